// One ticket: who owns it (and any pending handoff), what can be done, the conversation, the
// composer, and the customer.
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Customer, Message, Priority, Ticket, TicketEvent } from "../api/types";
import { PRIORITIES } from "../api/types";
import { useWorkspace } from "../context";
import { announce } from "../lib/announce";
import { useDirectory } from "../lib/directory";
import { debounce, ticketShouldRefresh, useLive } from "../lib/live";
import { OUTCOME_LABEL, parseTags, when } from "../lib/format";
import type { Names } from "../lib/timeline";
import { buildTimeline } from "../lib/timeline";
import { actionsFor } from "../lib/permissions";
import { DeclineDialog, HandoffDialog, ResolveDialog } from "./ActionDialogs";
import { ErrorLine, StatusBadge } from "./Bits";
import type { ComposerHandle } from "./Composer";
import { Composer } from "./Composer";
import { Conversation } from "./Conversation";
import { CustomerPanel } from "./CustomerPanel";
import { PresenceLine, usePresence } from "./Presence";
import { SlaDeadline, SlaTargets } from "./Sla";

interface Props {
  id: number;
  composer: { current: ComposerHandle | null };
  backHref: string;
  onChanged: (t: Ticket) => void;
}

type Open = null | "handoff" | "decline" | "resolve";

export function TicketView({ id, composer, backHref, onChanged }: Props) {
  const { api, dir, me, live } = useWorkspace();
  useDirectory(dir);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [dialog, setDialog] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const current = useRef(id);
  current.current = id;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const [t, m, ev] = await Promise.all([api.getTicket(id, signal), api.messages(id, signal), api.events(id, signal)]);
      if (signal?.aborted || current.current !== id) return null;
      setTicket(t);
      setMessages(m.items);
      setEvents(ev.items);
      return t;
    },
    [api, id],
  );

  useEffect(() => {
    const ac = new AbortController();
    setTicket(null);
    setMessages([]);
    setEvents([]);
    setCustomer(null);
    setError(null);
    setDialog(null);
    setLoading(true);
    load(ac.signal)
      .then((t) => {
        if (!t) return;
        setLoading(false);
        return api.customer(t.customer_id, ac.signal).then((c) => {
          if (ac.signal.aborted) return;
          setCustomer(c);
          dir.putCustomer(c);
        });
      })
      .catch((e) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        setError(e instanceof ApiError && e.status === 404 ? `There is no ticket #${id}, or you may not see it.` : errorText(e));
      });
    return () => ac.abort();
  }, [id, load]);

  // Reload after a change (ours or, on a 409, someone else's) and tell the agent.
  const refresh = useCallback(
    async (message?: string, tone: "info" | "error" = "info") => {
      try {
        const t = await load();
        if (t) onChanged(t);
        if (message) announce(message, tone);
      } catch (e) {
        announce(errorText(e), "error");
      }
    },
    [load, onChanged],
  );

  const conflict = useCallback(
    (detail: string) => {
      const what = detail.replace(/[.;]?\s*reload and retry\.?$/i, "");
      const said = what ? `${what.charAt(0).toUpperCase()}${what.slice(1)}. ` : "";
      void refresh(`${said}The ticket has been reloaded with the latest changes: check it and try again.`, "error");
    },
    [refresh],
  );

  useEffect(() => {
    if (ticket) document.title = `#${ticket.number} ${ticket.subject} · Steadfast`;
  }, [ticket?.number, ticket?.subject]);

  // Live updates: what someone else did to this ticket shows without a reload (once per burst).
  const reload = useRef<ReturnType<typeof debounce> | null>(null);
  useEffect(() => {
    const d = debounce(() => {
      load()
        .then((t) => t && onChanged(t))
        .catch(() => {});
    }, 300);
    reload.current = d;
    return () => d.cancel();
  }, [load, onChanged]);
  useLive(live, (m) => {
    if ((m.kind === "ticket" && ticketShouldRefresh(m.event, id, me.id)) || m.kind === "reset") reload.current?.call();
  });
  const presence = usePresence(id);

  // Without live updates: coming back to the tab after a while shows what changed meanwhile.
  useEffect(() => {
    if (live) return;
    let last = Date.now();
    const onFocus = () => {
      if (Date.now() - last < 30_000) return;
      last = Date.now();
      load().catch(() => {});
    };
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [load, live]);

  // The newest message is what the agent came for: show the end of the conversation.
  useEffect(() => {
    const el = scroller.current;
    if (el && !loading) el.scrollTop = el.scrollHeight;
  }, [loading, id, messages.length]);

  // Opened from the list: move focus to the ticket so a screen reader starts there.
  useEffect(() => {
    if (loading || !heading.current) return;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest("[data-nav-list]")) {
      heading.current.focus({ preventScroll: true });
    }
  }, [loading, id]);

  const names: Names = useMemo(
    () => ({
      agent: (aid: number) => dir.agentName(aid),
      customer: (cid: number) => (customer && customer.id === cid ? customer.name : dir.customerName(cid)),
      meId: me.id,
    }),
    [dir, customer, me.id, dir.agents.size],
  );
  const timeline = useMemo(() => buildTimeline(messages, events, names), [messages, events, names]);

  // Simple writes that answer with the ticket.
  const act = async (fn: () => Promise<Ticket | { ticket: Ticket }>, done: string) => {
    setBusy(true);
    try {
      const r = await fn();
      const t = "ticket" in r ? r.ticket : r;
      setTicket(t);
      onChanged(t);
      announce(done);
      const ev = await api.events(t.id);
      if (current.current === t.id) setEvents(ev.items);
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) conflict(e.detail);
      else announce(errorText(e), "error");
    } finally {
      setBusy(false);
    }
  };

  const patch = (change: { priority?: Priority; tags?: string[]; status?: "open" | "pending" }, done: string) => {
    if (!ticket) return;
    void act(() => api.patchTicket(ticket.id, { version: ticket.version, ...change }), done);
  };

  if (error) {
    return (
      <section class="ticket-pane" aria-label="Ticket">
        <ErrorLine text={error} />
        <a href={backHref} class="back">
          Back to the list
        </a>
      </section>
    );
  }
  if (!ticket) {
    return <section class="ticket-pane loading" aria-label="Ticket" aria-busy="true" />;
  }

  const can = actionsFor(ticket, me);
  const handoff = ticket.pending_handoff;
  const customerName = customer?.name ?? "";
  // What every action dialog gets: a done dialog closes and the ticket reloads with its message.
  const dialogProps = {
    ticket,
    onClose: () => setDialog(null),
    onConflict: conflict,
    onDone: (m: string) => {
      setDialog(null);
      void refresh(m);
    },
  };

  return (
    <section class="ticket-pane" aria-labelledby="ticket-title">
      <div class="ticket-main">
        <header class="ticket-head">
          <a href={backHref} class="back only-narrow">
            ← Back to the list
          </a>
          <h1 id="ticket-title" ref={heading} tabIndex={-1}>
            <span class="num">#{ticket.number}</span> {ticket.subject}
          </h1>
          <div class="ticket-facts">
            <StatusBadge status={ticket.status} />
            {ticket.owner === null ? (
              <span class="owner nobody">Nobody owns this</span>
            ) : (
              <span class="owner">
                Owner: <strong>{ticket.owner === me.id ? "You" : dir.agentName(ticket.owner)}</strong>
              </span>
            )}
            {ticket.team_id !== null ? <span class="quiet">Team {dir.teamName(ticket.team_id)}</span> : null}
            <div class="actions head-actions" role="group" aria-label="Ticket actions">
              {can.take ? (
                <button type="button" class="primary" disabled={busy} onClick={() => void act(() => api.take(ticket.id), "You own this ticket now.")}>
                  Take ownership
                </button>
              ) : null}
              {can.handoff ? (
                <button type="button" disabled={busy} onClick={() => setDialog("handoff")}>
                  Hand off…
                </button>
              ) : null}
              {can.resolve ? (
                <button type="button" disabled={busy} onClick={() => setDialog("resolve")}>
                  Resolve…
                </button>
              ) : null}
              {can.reopen ? (
                <button type="button" disabled={busy} onClick={() => void act(() => api.reopen(ticket.id), "Reopened.")}>
                  Reopen
                </button>
              ) : null}
            </div>
          </div>
          <TicketMeta ticket={ticket} busy={busy} onPatch={patch} />
          <SlaDeadline sla={ticket.sla} />
          <SlaTargets sla={ticket.sla} priority={ticket.priority} />
          {ticket.resolution ? (
            <p class="resolution">
              Resolved {when(ticket.resolution.resolved_at)} by {dir.agentName(ticket.resolution.resolved_by)}:{" "}
              <strong>{OUTCOME_LABEL[ticket.resolution.outcome]}</strong>
              {ticket.resolution.statement ? ` — “${ticket.resolution.statement}”` : ""}
              {ticket.resolution.duplicate_of !== null ? ` (continues in #${ticket.resolution.duplicate_of})` : ""}
              {ticket.resolution.alternatives.length > 0 ? (
                <span class="alternatives"> Offered instead: {ticket.resolution.alternatives.join("; ")}</span>
              ) : null}
            </p>
          ) : null}
          {(ticket.promises ?? []).length > 0 ? (
            <ul class="promises" aria-label="Promises owed to the customer">
              {(ticket.promises ?? []).map((p) => (
                <li key={p.id} class={p.state === "broken" ? "promise broken" : "promise"}>
                  {p.state === "broken" ? "Missed: " : "Promised: "}
                  <strong>{p.text}</strong> by {when(p.due_at)}
                  {p.owner_id !== me.id ? <span class="quiet"> ({dir.agentName(p.owner_id)})</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {handoff ? (
            <div class={handoff.to_agent_id === me.id ? "handoff-banner for-me" : "handoff-banner"} role="status">
              <div class="handoff-text">
              <p>
                {handoff.to_agent_id === me.id ? (
                  <>
                    <strong>{handoff.from_agent_id === 0 ? "Steadfast" : dir.agentName(handoff.from_agent_id)}</strong>{" "}
                    offers you this ticket:
                  </>
                ) : (
                  <>
                    Handoff to <strong>{dir.agentName(handoff.to_agent_id)}</strong> is waiting for their answer:
                  </>
                )}
              </p>
              <blockquote>{handoff.note}</blockquote>
              </div>
              {can.answerHandoff ? (
                <div class="actions">
                  <button
                    type="button"
                    class="primary"
                    disabled={busy}
                    onClick={() => void act(() => api.acceptHandoff(handoff.id), "You own this ticket now.")}
                  >
                    Accept handoff
                  </button>
                  <button type="button" disabled={busy} onClick={() => setDialog("decline")}>
                    Decline…
                  </button>
                </div>
              ) : null}
            </div>
          ) : null}
        </header>

        <div ref={scroller} class="conversation-wrap" data-conversation aria-busy={loading} data-conversation-ready={loading ? undefined : ""}>
          <Conversation entries={timeline} names={names} />
        </div>

        <PresenceLine others={presence.others} />
        <div class="composer-wrap" onInput={presence.typed}>
        <Composer
          handle={composer}
          ticket={ticket}
          customerName={customerName}
          onConflict={conflict}
          onSent={(w, kind) => {
            setTicket(w.ticket);
            setMessages((old) => [...old, ...w.messages]);
            onChanged(w.ticket);
            announce(kind === "reply" ? "Reply sent." : "Note added.");
            void api.events(w.ticket.id).then((ev) => current.current === w.ticket.id && setEvents(ev.items));
          }}
        />
        </div>
      </div>
      <CustomerPanel customer={customer} ticketId={ticket.id} onCustomer={setCustomer} />

      {dialog === "handoff" ? (
        <HandoffDialog {...dialogProps} />
      ) : null}
      {dialog === "decline" ? (
        <DeclineDialog {...dialogProps} />
      ) : null}
      {dialog === "resolve" ? (
        <ResolveDialog {...dialogProps} />
      ) : null}
    </section>
  );
}

// Priority, tags and open ⇄ waiting, edited in place. Each change sends the version we read; a
// 409 means someone changed the ticket meanwhile (the view reloads and says so).
function TicketMeta({
  ticket,
  busy,
  onPatch,
}: {
  ticket: Ticket;
  busy: boolean;
  onPatch: (c: { priority?: Priority; tags?: string[]; status?: "open" | "pending" }, done: string) => void;
}) {
  const [adding, setAdding] = useState("");
  const editable = ticket.status !== "closed";
  return (
    <div class="meta">
      <span class="inline-field">
        <label for={`priority-${ticket.id}`}>Priority</label>
        <select
          id={`priority-${ticket.id}`}
          value={ticket.priority}
          disabled={!editable || busy}
          onChange={(e) => {
            const p = (e.currentTarget as HTMLSelectElement).value as Priority;
            if (p !== ticket.priority) onPatch({ priority: p }, `Priority set to ${p}.`);
          }}
        >
          {PRIORITIES.map((p) => (
            <option value={p}>{p[0].toUpperCase() + p.slice(1)}</option>
          ))}
        </select>
      </span>
      {ticket.status === "open" || ticket.status === "pending" ? (
        <span class="inline-field">
          <label for={`status-${ticket.id}`}>Status</label>
          <select
            id={`status-${ticket.id}`}
            value={ticket.status}
            disabled={busy}
            onChange={(e) => {
              const s = (e.currentTarget as HTMLSelectElement).value as "open" | "pending";
              if (s !== ticket.status) onPatch({ status: s }, s === "pending" ? "Now waiting on the customer." : "Open: your move.");
            }}
          >
            <option value="open">Open (our move)</option>
            <option value="pending">Waiting on customer</option>
          </select>
        </span>
      ) : null}
      <div class="tags" role="group" aria-label="Tags">
        <span class="inline-label">Tags</span>
        <ul class="plain tag-list">
          {ticket.tags.map((t) => (
            <li class="tag" key={t}>
              {t}
              {editable ? (
                <button
                  type="button"
                  class="tag-remove"
                  aria-label={`Remove tag ${t}`}
                  disabled={busy}
                  onClick={() => onPatch({ tags: ticket.tags.filter((x) => x !== t) }, `Tag ${t} removed.`)}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {editable ? (
          <form
            class="tag-add"
            onSubmit={(e) => {
              e.preventDefault();
              const add = parseTags(adding);
              if (add.length === 0) return;
              const tags = parseTags([...ticket.tags, ...add].join(" "));
              setAdding("");
              onPatch({ tags }, `Tags: ${tags.join(", ")}.`);
            }}
          >
            <label class="sr-only" for={`tag-add-${ticket.id}`}>
              Add tags
            </label>
            <input
              id={`tag-add-${ticket.id}`}
              value={adding}
              placeholder="add tag"
              autocomplete="off"
              size={10}
              onInput={(e) => setAdding((e.currentTarget as HTMLInputElement).value)}
            />
            <button type="submit" class="small-button" disabled={busy}>
              Add
            </button>
          </form>
        ) : null}
      </div>
    </div>
  );
}
