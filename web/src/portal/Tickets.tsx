// The customer's tickets: the list, and one ticket with its honest state, the conversation (no
// internal notes: the server never sends them to a customer) and the reply box. Both follow the
// live stream (lib/live.ts): when the team replies or the state changes, what is shown is
// fetched again, without a reload.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Customer, Message, Ticket, TicketListItem } from "../api/types";
import { bytes } from "../lib/format";
import { debounce, type Live, useLive } from "../lib/live";
import { onLinkClick } from "../router";
import type { PortalApi } from "./api";
import { FormError, useAction } from "./Forms";
import { headline, listOwner, mergeFirstPage, plainState, replier, when } from "./state";

// A burst of events (a reply changes the owner, the status and adds a message) makes one fetch.
const REFRESH_MS = 250;

// Calls `refresh` (debounced) for live events `wanted` lets through, and after a reset.
function useLiveRefresh(live: Live | undefined, wanted: (ticketId: number) => boolean, refresh: () => void) {
  const ref = useRef(refresh);
  ref.current = refresh;
  const later = useMemo(() => debounce(() => ref.current(), REFRESH_MS), []);
  useEffect(() => () => later.cancel(), [later]);
  useLive(live, (m) => {
    if (m.kind === "reset" || (m.kind === "ticket" && wanted(m.event.ticket_id))) later.call();
  });
}

export function MyTickets({ api, me, live }: { api: PortalApi; me: Customer; live?: Live }) {
  const [items, setItems] = useState<TicketListItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (cursor?: string) => {
    try {
      const page = await api.tickets(cursor);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
    } catch (err) {
      setError(errorText(err));
    }
  };
  // The first page again, keeping older pages already shown.
  const refresh = async () => {
    try {
      const page = await api.tickets();
      setItems((old) => mergeFirstPage(page.items, old ?? [], page.next_cursor === null));
      setNext((old) => (old === null ? page.next_cursor : old));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    load();
  }, [api]);
  // Customers only hear of their own tickets: any of them may be new or changed.
  useLiveRefresh(live, () => true, refresh);

  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">Your tickets</h1>
      <p class="p-muted">Signed in as {me.name || me.emails[0]}.</p>
      {error ? (
        <p class="p-error" role="alert">
          {error}
        </p>
      ) : null}
      {items === null ? <p>Loading…</p> : null}
      {items && items.length === 0 ? (
        <p>
          You have no tickets with us yet.{" "}
          <a href="/portal/new" onClick={onLinkClick}>
            Open one
          </a>
          .
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <ul class="p-tickets">
          {items.map((t) => (
            <li key={t.id}>
              <a href={`/portal/tickets/${t.id}`} onClick={onLinkClick}>
                <span class="p-number">#{t.number}</span> {t.subject}
              </a>
              <span class={`p-state p-state-${t.status}`}>{headline(t)}</span>
              <span class="p-owner">{listOwner(t)}</span>
              <span class="p-muted">Last change {when(t.updated_at)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {next ? (
        <button type="button" onClick={() => load(next)}>
          Show older tickets
        </button>
      ) : null}
    </section>
  );
}

export function TicketScreen({ api, id, live }: { api: PortalApi; id: number; live?: Live }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [news, setNews] = useState(""); // What a live update brought; read out too.

  const load = async (fromLive = false) => {
    try {
      const [t, m] = await Promise.all([api.ticket(id), api.messages(id)]);
      const known = new Set(messages.map((x) => x.id));
      const added = m.items.filter((x) => x.kind === "reply" && !known.has(x.id));
      if (fromLive && added.length > 0) setNews(`New reply from ${replier(t, added[added.length - 1])}.`);
      setTicket(t);
      setMessages(m.items);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setMissing(true);
      else setError(errorText(err));
    }
  };
  useEffect(() => {
    setTicket(null);
    setMissing(false);
    setNews("");
    load();
  }, [id]);
  useLiveRefresh(live, (ticketId) => ticketId === id, () => load(true));

  if (missing) {
    return (
      <section>
        <h1>Ticket not found</h1>
        <p>
          We have no ticket of yours at this address.{" "}
          <a href="/portal/" onClick={onLinkClick}>
            See your tickets
          </a>
          .
        </p>
      </section>
    );
  }
  if (error) {
    return (
      <p class="p-error" role="alert">
        {error}
      </p>
    );
  }
  if (!ticket) return <p>Loading…</p>;
  const state = plainState(ticket, messages);
  return (
    <article aria-labelledby="ticket-title">
      <p>
        <a href="/portal/" onClick={onLinkClick}>
          ← Your tickets
        </a>
      </p>
      <h1 id="ticket-title">
        <span class="p-number">#{ticket.number}</span> {ticket.subject}
      </h1>
      <section class="p-status" aria-label="Where it stands">
        <p class={`p-headline p-state-${ticket.status}`}>{state.headline}</p>
        {state.owner ? <p>{state.owner}</p> : null}
        {state.lastDone ? <p>{state.lastDone}</p> : null}
        {state.promises.length > 0 ? (
          <div>
            <h2>What we promised you</h2>
            <ul>
              {state.promises.map((p, i) => (
                <li key={i} class={p.late ? "p-late" : undefined}>
                  {p.text} — by {p.due}
                  {p.late ? " (late: we owe you word on this)" : ""}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {state.outcome ? (
          <div class="p-outcome">
            <h2>Outcome: {state.outcome.title}</h2>
            {state.outcome.statement ? <p class="p-statement">{state.outcome.statement}</p> : null}
            {state.outcome.alternatives.length > 0 ? (
              <>
                <p>What you can do instead:</p>
                <ul>
                  {state.outcome.alternatives.map((a, i) => (
                    <li key={i}>{a}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ) : null}
      </section>
      <p class="p-news" role="status">
        {news}
      </p>
      <section aria-label="Conversation">
        <h2>Conversation</h2>
        <ol class="p-conversation">
          {messages.map((m) => (
            <li key={m.id} class={`p-msg p-msg-${m.kind}`}>
              <p class="p-muted">
                {m.kind === "customer" ? "You" : m.kind === "reply" ? replier(ticket, m) : "Update"} ·{" "}
                {when(m.created_at)}
              </p>
              <div class="p-body">{m.body}</div>
              {m.attachments.length > 0 ? (
                <ul class="p-files">
                  {m.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={a.url}>{a.filename}</a> <span class="p-muted">({bytes(a.size)})</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <Reply api={api} ticket={ticket} onSent={() => load()} />
    </article>
  );
}

function Reply({ api, ticket, onSent }: { api: PortalApi; ticket: Ticket; onSent: () => void }) {
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    run(async () => {
      await api.reply(ticket.id, body, files);
      setBody("");
      setFiles([]);
      setSent(true);
      form.reset();
      onSent();
    });
  };

  const closed = ticket.status === "closed";
  return (
    <form class="p-form" onSubmit={submit} aria-label="Reply">
      <h2>{ticket.status === "resolved" ? "Something more? Write to us" : "Reply"}</h2>
      {closed ? (
        <p>This ticket is closed. To ask something new, open a new ticket.</p>
      ) : (
        <>
          <label for="reply-body">Your message</label>
          <textarea
            id="reply-body"
            required
            rows={5}
            value={body}
            onInput={(e) => {
              setBody((e.target as HTMLTextAreaElement).value);
              setSent(false);
            }}
          />
          <label for="reply-files">Attach files (optional)</label>
          <input
            id="reply-files"
            type="file"
            multiple
            onChange={(e) => setFiles(Array.from((e.target as HTMLInputElement).files ?? []))}
          />
          <FormError error={error} />
          {sent ? (
            <p class="p-ok" role="status">
              Sent. We have it.
            </p>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Send"}
          </button>
        </>
      )}
    </form>
  );
}
