// Reply to the customer or write an internal note. The draft is saved as the agent types
// (per ticket and kind) and survives a reload; Ctrl+Enter (Cmd+Enter) sends.
import { useRef, useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Ticket, TicketWrite } from "../api/types";
import { useWorkspace } from "../context";
import { clearDraft, loadDraft, saveDraft } from "../lib/drafts";
import { bytes } from "../lib/format";
import { ErrorLine } from "./Bits";

export type ComposerKind = "reply" | "note";

export interface ComposerHandle {
  focus(kind: ComposerKind): void;
}

interface Props {
  handle: { current: ComposerHandle | null };
  ticket: Ticket;
  customerName: string;
  onSent: (w: TicketWrite, kind: ComposerKind) => void;
  onConflict: (detail: string) => void;
}

export function Composer({ handle, ticket, customerName, onSent, onConflict }: Props) {
  const { api } = useWorkspace();
  const [kind, setKind] = useState<ComposerKind>(() => (loadDraft(ticket.id, "note") && !loadDraft(ticket.id, "reply") ? "note" : "reply"));
  const [body, setBody] = useState(() => loadDraft(ticket.id, kind)?.body ?? "");
  const [waiting, setWaiting] = useState(() => loadDraft(ticket.id, "reply")?.waiting ?? false);
  const [files, setFiles] = useState<File[]>([]);
  // A promise this reply makes (what, by when), and the owed promise it keeps.
  const [promiseText, setPromiseText] = useState("");
  const [promiseDue, setPromiseDue] = useState("");
  const [keeps, setKeeps] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const closed = ticket.status === "closed";

  handle.current = {
    focus(k: ComposerKind) {
      switchKind(k);
      // After the re-render that shows the right kind.
      setTimeout(() => area.current?.focus(), 0);
    },
  };

  // Another ticket: load its drafts (during render, so nothing typed meanwhile is overwritten).
  const shown = useRef(ticket.id);
  if (shown.current !== ticket.id) {
    shown.current = ticket.id;
    const k: ComposerKind = loadDraft(ticket.id, "note") && !loadDraft(ticket.id, "reply") ? "note" : "reply";
    setKind(k);
    setBody(loadDraft(ticket.id, k)?.body ?? "");
    setWaiting(loadDraft(ticket.id, "reply")?.waiting ?? false);
    setFiles([]);
    setError(null);
  }

  const switchKind = (k: ComposerKind) => {
    if (k === kind) return;
    saveDraft(ticket.id, kind, { body, waiting: kind === "reply" ? waiting : false });
    setKind(k);
    setBody(loadDraft(ticket.id, k)?.body ?? "");
    setError(null);
  };

  const update = (text: string) => {
    setBody(text);
    saveDraft(ticket.id, kind, { body: text, waiting: kind === "reply" ? waiting : false });
  };

  const send = async () => {
    if (sending || closed) return;
    if (body.trim() === "") {
      setError(kind === "reply" ? "Write the reply first." : "Write the note first.");
      area.current?.focus();
      return;
    }
    if (kind === "reply" && (promiseText.trim() === "") !== (promiseDue === "")) {
      setError("A promise needs both what you will do and by when.");
      return;
    }
    setSending(true);
    setError(null);
    try {
      const w = await api.postMessage(ticket.id, {
        kind,
        body,
        status: kind === "reply" ? (waiting ? "pending" : "open") : undefined,
        files,
        promise:
          kind === "reply" && promiseText.trim() !== ""
            ? { text: promiseText.trim(), due_at: new Date(promiseDue).toISOString() }
            : undefined,
        keeps_promise: kind === "reply" && keeps !== null ? keeps : undefined,
      });
      setPromiseText("");
      setPromiseDue("");
      setKeeps(null);
      clearDraft(ticket.id, kind);
      setBody("");
      setFiles([]);
      if (fileInput.current) fileInput.current.value = "";
      if (kind === "reply") setWaiting(false);
      onSent(w, kind);
    } catch (e) {
      const text = errorText(e);
      if (e instanceof ApiError && e.isConflict) onConflict(text);
      setError(text);
    } finally {
      setSending(false);
    }
  };

  const label = kind === "reply" ? `Reply to ${customerName || "the customer"}` : "Internal note (only the team sees it)";

  return (
    <form
      class={`composer composer-${kind}`}
      aria-label="Composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div class="composer-kinds" role="radiogroup" aria-label="What to write">
        <label class={kind === "reply" ? "kind on" : "kind"}>
          <input type="radio" name="kind" value="reply" checked={kind === "reply"} onChange={() => switchKind("reply")} />
          Reply <kbd aria-hidden="true">r</kbd>
        </label>
        <label class={kind === "note" ? "kind on" : "kind"}>
          <input type="radio" name="kind" value="note" checked={kind === "note"} onChange={() => switchKind("note")} />
          Internal note <kbd aria-hidden="true">n</kbd>
        </label>
      </div>
      <label class="sr-only" for={`composer-${ticket.id}`}>
        {label}
      </label>
      <textarea
        id={`composer-${ticket.id}`}
        ref={area}
        value={body}
        rows={4}
        disabled={closed}
        placeholder={closed ? "This ticket is closed: nothing more can be added." : `${label}  (Ctrl+Enter sends)`}
        onInput={(e) => update((e.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          } else if (e.key === "Escape") {
            (e.currentTarget as HTMLTextAreaElement).blur();
          }
        }}
      />
      {files.length > 0 ? (
        <ul class="files" aria-label="Files to attach">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} <span class="quiet">({bytes(f.size)})</span>{" "}
              <button
                type="button"
                class="link-button"
                aria-label={`Remove ${f.name}`}
                onClick={() => setFiles(files.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {kind === "reply" && !closed ? (
        <div class="composer-promise">
          {(ticket.promises ?? []).length > 0 ? (
            <label class="check">
              <input
                type="checkbox"
                checked={keeps !== null}
                onChange={(e) =>
                  setKeeps((e.currentTarget as HTMLInputElement).checked ? (ticket.promises ?? [])[0].id : null)
                }
              />
              This reply keeps the promise “{(ticket.promises ?? [])[0].text}”
            </label>
          ) : null}
          <label>
            <span>Promise (optional)</span>
            <input
              type="text"
              maxLength={200}
              value={promiseText}
              placeholder="e.g. send the replacement tracking number"
              onInput={(e) => setPromiseText((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <label>
            <span>by</span>
            <input
              type="datetime-local"
              value={promiseDue}
              onInput={(e) => setPromiseDue((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
        </div>
      ) : null}
      <ErrorLine text={error} />
      <div class="composer-bar">
        <label class="file-pick">
          <span>Attach files</span>
          <input
            ref={fileInput}
            type="file"
            multiple
            disabled={closed}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              setFiles([...files, ...Array.from(input.files ?? [])]);
              input.value = "";
            }}
          />
        </label>
        {kind === "reply" ? (
          <label class="check">
            <input
              type="checkbox"
              checked={waiting}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLInputElement).checked;
                setWaiting(v);
                saveDraft(ticket.id, "reply", { body, waiting: v });
              }}
            />
            Then wait on customer
          </label>
        ) : null}
        <span class="grow" />
        <button type="submit" class="primary" disabled={sending || closed} title="Ctrl+Enter">
          {sending ? "Sending…" : kind === "reply" ? "Send reply" : "Add note"}
        </button>
      </div>
    </form>
  );
}
