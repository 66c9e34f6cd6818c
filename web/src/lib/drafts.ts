// Composer drafts, kept in localStorage per ticket and kind so a reload, a crash or a walk to
// another ticket loses nothing. Attachments are not kept (files cannot be stored).

export interface Draft {
  body: string;
  waiting: boolean; // Reply only: set the ticket to "waiting on customer" when sent.
}

const PREFIX = "sf.draft.";

function key(ticketId: number, kind: string): string {
  return `${PREFIX}${ticketId}.${kind}`;
}

export function loadDraft(ticketId: number, kind: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(ticketId, kind));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    return { body: typeof d.body === "string" ? d.body : "", waiting: d.waiting === true };
  } catch {
    return null;
  }
}

export function saveDraft(ticketId: number, kind: string, d: Draft): void {
  try {
    if (d.body === "" && !d.waiting) localStorage.removeItem(key(ticketId, kind));
    else localStorage.setItem(key(ticketId, kind), JSON.stringify(d));
  } catch {
    // Storage full or disabled: the draft lives only in the page.
  }
}

export function clearDraft(ticketId: number, kind: string): void {
  try {
    localStorage.removeItem(key(ticketId, kind));
  } catch {
    // Ignored, as above.
  }
}
