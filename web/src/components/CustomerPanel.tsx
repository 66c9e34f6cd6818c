// Who the customer is: addresses, their local time, notes, and their other tickets.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Customer, TicketSummary } from "../api/types";
import { useWorkspace } from "../context";
import { announce } from "../lib/announce";
import { localTime } from "../lib/format";
import { onLinkClick } from "../router";
import { ErrorLine, StatusBadge } from "./Bits";

interface Props {
  customer: Customer | null;
  ticketId: number;
  onCustomer: (c: Customer) => void;
}

export function CustomerPanel({ customer, ticketId, onCustomer }: Props) {
  const { api, dir } = useWorkspace();
  const [others, setOthers] = useState<TicketSummary[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    if (!customer) return;
    const ac = new AbortController();
    setOthers(null);
    setError(null);
    api
      .customerTickets(customer.id, 20, ac.signal)
      .then((p) => {
        setOthers(p.items.filter((t) => t.id !== ticketId));
        setMore(p.next_cursor !== null);
      })
      .catch((e) => {
        if (!ac.signal.aborted) setError(errorText(e));
      });
    return () => ac.abort();
  }, [api, customer?.id, ticketId]);

  if (!customer) return <aside class="customer-panel" aria-label="Customer" aria-busy="true" />;
  const local = localTime(customer.timezone, now);

  return (
    <aside class="customer-panel" aria-labelledby="customer-name">
      <h2 id="customer-name">{customer.name}</h2>
      <ul class="plain emails">
        {customer.emails.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
      <dl class="facts">
        <dt>Local time</dt>
        <dd>{local ? `${local} (${customer.timezone})` : "Time zone unknown"}</dd>
        {customer.language ? (
          <>
            <dt>Language</dt>
            <dd>{customer.language}</dd>
          </>
        ) : null}
      </dl>
      <Notes customer={customer} onCustomer={onCustomer} />
      <h3>Other tickets</h3>
      <ErrorLine text={error} />
      {others === null && !error ? <p class="quiet">Loading…</p> : null}
      {others !== null && others.length === 0 ? <p class="quiet">None: this is their first.</p> : null}
      {others !== null && others.length > 0 ? (
        <ul class="plain other-tickets">
          {others.map((t) => (
            <li key={t.id}>
              <a href={`/tickets/${t.id}`} onClick={onLinkClick}>
                #{t.number} {t.subject}
              </a>
              <span class="other-meta">
                <StatusBadge status={t.status} />
                {t.owner !== null ? <span class="quiet"> {dir.agentName(t.owner)}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {more ? <p class="quiet small">Showing the newest 20.</p> : null}
    </aside>
  );
}

// The team's notes about the customer, edited in place. A 409 means someone else saved notes
// meanwhile: theirs are shown and the agent's text is kept in the box to merge by hand.
function Notes({ customer, onCustomer }: { customer: Customer; onCustomer: (c: Customer) => void }) {
  const { api, dir } = useWorkspace();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(customer.notes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Another customer: leave editing (but not on the first render: effects run late).
  const shown = useRef(customer.id);
  if (shown.current !== customer.id) {
    shown.current = customer.id;
    if (editing) setEditing(false);
    if (error) setError(null);
  }

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await api.patchCustomer(customer.id, { version: customer.version, notes: text.trim() });
      onCustomer(c);
      dir.putCustomer(c);
      setEditing(false);
      announce("Customer notes saved.");
    } catch (err) {
      if (err instanceof ApiError && err.isConflict) {
        try {
          const fresh = await api.customer(customer.id);
          onCustomer(fresh);
          setError("Someone else changed this customer meanwhile. Their notes are shown above; your text is still here to merge and save again.");
        } catch (again) {
          setError(errorText(again));
        }
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3 id="notes-title">Notes</h3>
      {!editing || error ? <p class="notes">{customer.notes || <span class="quiet">No notes yet.</span>}</p> : null}
      {editing ? (
        <form onSubmit={save} aria-labelledby="notes-title">
          <label class="sr-only" for="customer-notes">
            Notes about {customer.name}
          </label>
          <textarea id="customer-notes" rows={4} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <ErrorLine text={error} />
          <div class="dialog-actions">
            <button type="button" class="small-button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" class="small-button primary" disabled={busy}>
              Save notes
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          class="link-button small"
          onClick={() => {
            setText(customer.notes);
            setEditing(true);
          }}
        >
          Edit notes
        </button>
      )}
    </>
  );
}
