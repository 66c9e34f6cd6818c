// The dialogs behind the ticket actions: hand off (to whom, with the note the next owner needs),
// decline a handoff (why), and resolve with an honest outcome.
import { useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Outcome, Ticket } from "../api/types";
import { OUTCOMES } from "../api/types";
import { useWorkspace } from "../context";
import { OUTCOME_LABEL } from "../lib/format";
import { ErrorLine } from "./Bits";
import { Dialog } from "./Dialog";

interface Common {
  ticket: Ticket;
  onClose: () => void;
  onDone: (message: string) => void;
  onConflict: (detail: string) => void;
}

// Runs a write; a 409 closes the dialog and lets the ticket view reload and explain.
function useSubmit(onConflict: (d: string) => void, onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) {
        onClose();
        onConflict(e.detail);
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function HandoffDialog({ ticket, onClose, onDone, onConflict }: Common) {
  const { api, dir, me } = useWorkspace();
  const candidates = [...dir.agents.values()]
    .filter((a) => a.active && a.id !== ticket.owner)
    .sort((a, b) => a.name.localeCompare(b.name));
  const [to, setTo] = useState<string>("");
  const [note, setNote] = useState("");
  const { busy, error, setError, run } = useSubmit(onConflict, onClose);

  const submit = (e: Event) => {
    e.preventDefault();
    if (!to) return setError("Pick who should own this ticket next.");
    if (!note.trim()) return setError("Write the note: what the next owner needs to know.");
    void run(async () => {
      await api.proposeHandoff(ticket.id, Number(to), note.trim());
      onDone(`Handoff offered to ${dir.agentName(Number(to))}. You own the ticket until they accept.`);
    });
  };

  return (
    <Dialog title={`Hand off #${ticket.number}`} onClose={onClose}>
      <form class="dialog-body" noValidate onSubmit={submit}>
        <p class="quiet">
          The ticket stays {ticket.owner === me.id ? "yours" : `with ${dir.agentName(ticket.owner)}`} until the
          other agent accepts. The customer is told who their person is then.
        </p>
        <div class="field">
          <label for="handoff-to">To</label>
          <select id="handoff-to" name="to" value={to} required onChange={(e) => {
              setTo((e.currentTarget as HTMLSelectElement).value);
              setError(null);
            }}>
            <option value="">Choose an agent…</option>
            {candidates.map((a) => (
              <option value={String(a.id)}>
                {a.name} ({a.email})
              </option>
            ))}
          </select>
        </div>
        <label class="field">
          Note for the next owner (required)
          <textarea
            name="note"
            rows={5}
            required
            value={note}
            placeholder="What they need to know: where it stands, what was promised, what to do next."
            onInput={(e) => {
              setNote((e.currentTarget as HTMLTextAreaElement).value);
              setError(null);
            }}
          />
        </label>
        <FormEnd error={error} busy={busy} submit={busy ? "Offering…" : "Offer handoff"} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function DeclineDialog({ ticket, onClose, onDone, onConflict }: Common) {
  const { api } = useWorkspace();
  const [reason, setReason] = useState("");
  const { busy, error, setError, run } = useSubmit(onConflict, onClose);
  const h = ticket.pending_handoff;
  if (!h) return null;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) return setError("Say why, so the owner can find someone else.");
    void run(async () => {
      await api.declineHandoff(h.id, reason.trim());
      onDone("Handoff declined. The owner keeps the ticket.");
    });
  };
  return (
    <Dialog title={`Decline the handoff of #${ticket.number}`} onClose={onClose}>
      <form class="dialog-body" noValidate onSubmit={submit}>
        <label class="field">
          Why (required)
          <textarea
            name="reason"
            rows={3}
            required
            value={reason}
            onInput={(e) => {
              setReason((e.currentTarget as HTMLTextAreaElement).value);
              setError(null);
            }}
          />
        </label>
        <FormEnd error={error} busy={busy} submit={"Decline"} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

const OUTCOME_HINT: Record<Outcome, string> = {
  solved: "The problem is gone.",
  workaround: "The customer can do what they needed another way.",
  cannot_do: "It cannot be done: tell the customer plainly, and what they can do instead.",
  duplicate: "Another ticket carries on with this.",
  withdrawn: "The customer no longer needs it.",
};

export function ResolveDialog({ ticket, onClose, onDone, onConflict }: Common) {
  const { api } = useWorkspace();
  const [outcome, setOutcome] = useState<Outcome>("solved");
  const [statement, setStatement] = useState("");
  const [alternatives, setAlternatives] = useState("");
  const [duplicateOf, setDuplicateOf] = useState("");
  const { busy, error, setError, run } = useSubmit(onConflict, onClose);

  const submit = (e: Event) => {
    e.preventDefault();
    if (outcome === "cannot_do" && !statement.trim()) {
      return setError("Write what the customer is told: the limit, plainly.");
    }
    let dup: number | undefined;
    if (outcome === "duplicate") {
      const m = /^#?\s*([1-9][0-9]*)$/.exec(duplicateOf.trim());
      if (!m) return setError("Give the number of the ticket that carries on, like #12.");
      dup = Number(m[1]);
      if (dup === ticket.number) return setError("A ticket cannot be a duplicate of itself.");
    }
    void run(async () => {
      if (dup !== undefined) {
        // Ticket numbers are ticket ids in this API; check it exists before resolving.
        try {
          await api.getTicket(dup);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) throw new ApiError(422, "", "", `There is no ticket #${dup}.`, "duplicate_of");
          throw err;
        }
      }
      await api.resolve(ticket.id, {
        outcome,
        statement: statement.trim() || undefined,
        alternatives:
          outcome === "cannot_do"
            ? alternatives
                .split("\n")
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
        duplicate_of: dup,
      });
      onDone(`Resolved: ${OUTCOME_LABEL[outcome]}.`);
    });
  };

  return (
    <Dialog title={`Resolve #${ticket.number}`} onClose={onClose} wide>
      <form class="dialog-body" noValidate onSubmit={submit}>
        <fieldset class="outcomes">
          <legend>Outcome</legend>
          {OUTCOMES.map((o) => (
            <label class={outcome === o ? "outcome on" : "outcome"}>
              <input
                type="radio"
                name="outcome"
                value={o}
                checked={outcome === o}
                onChange={() => {
                  setOutcome(o);
                  setError(null);
                }}
              />
              <span>
                <strong>{OUTCOME_LABEL[o]}</strong>
                <span class="quiet"> — {OUTCOME_HINT[o]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {outcome === "duplicate" ? (
          <label class="field">
            The ticket that carries on (number)
            <input
              name="duplicate_of"
              inputMode="numeric"
              placeholder="#12"
              required
              value={duplicateOf}
              onInput={(e) => setDuplicateOf((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
        ) : null}
        <label class="field">
          {outcome === "cannot_do"
            ? "What the customer is told: the limit, plainly (required)"
            : "What the customer is told (optional)"}
          <textarea
            name="statement"
            rows={3}
            required={outcome === "cannot_do"}
            value={statement}
            placeholder={outcome === "cannot_do" ? "We cannot … because … ." : ""}
            onInput={(e) => {
              setStatement((e.currentTarget as HTMLTextAreaElement).value);
              setError(null);
            }}
          />
        </label>
        {outcome === "cannot_do" ? (
          <label class="field">
            What they can do instead (one per line, optional)
            <textarea
              name="alternatives"
              rows={2}
              value={alternatives}
              onInput={(e) => setAlternatives((e.currentTarget as HTMLTextAreaElement).value)}
            />
          </label>
        ) : null}
        <FormEnd error={error} busy={busy} submit={busy ? "Resolving…" : "Resolve"} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

// The end of a dialog's form: its error line, Cancel, and the submit button (disabled while busy).
function FormEnd({ error, busy, submit, onCancel }: { error: string | null; busy: boolean; submit: string; onCancel: () => void }) {
  return (
    <>
      <ErrorLine text={error} />
      <div class="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {submit}
        </button>
      </div>
    </>
  );
}
