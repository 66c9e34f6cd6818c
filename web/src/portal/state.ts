// The honest state of a ticket in plain words, for the customer: where it stands, who has it,
// what was done last, what we promised and by when, and how it ended. Pure functions (tested in
// test/portal.test.ts); the screens only lay the words out.
import type { Message, Outcome, Promise_, Ticket, TicketListItem, TicketSummary } from "../api/types";

export interface PlainPromise {
  text: string;
  due: string; // In words: "Fri 27 Nov, 17:00".
  late: boolean; // Its time passed and it is still owed.
}

export interface PlainOutcome {
  title: string;
  statement: string; // The team's own words; "" when they wrote none.
  alternatives: string[];
}

export interface PlainState {
  headline: string; // One line: where it stands.
  owner: string | null; // "Ben Okafor is looking after it." / null while nobody has it yet.
  lastDone: string | null; // "Ben Okafor replied on Mon 23 Nov, 17:30."
  promises: PlainPromise[];
  outcome: PlainOutcome | null;
}

export interface WordsOptions {
  now?: Date;
  timeZone?: string; // For tests; the browser's own zone otherwise.
}

const OUTCOME_TITLES: Record<Outcome, string> = {
  solved: "Solved",
  workaround: "Solved with a workaround",
  cannot_do: "We cannot do this",
  duplicate: "Handled in another of your tickets",
  withdrawn: "Withdrawn",
};

export function outcomeTitle(o: Outcome): string {
  return OUTCOME_TITLES[o];
}

// "Mon 23 Nov, 17:30" in the reader's time zone (or options.timeZone).
export function when(iso: string, options: WordsOptions = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const fmt = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: options.timeZone,
  });
  const part: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) part[p.type] = p.value;
  return `${part.weekday} ${part.day} ${part.month}, ${part.hour}:${part.minute}`;
}

// One line for a ticket in a list (the list has no messages; its owner is listOwner's).
export function headline(t: TicketSummary): string {
  switch (t.status) {
    case "new":
      return "Received: a person on our team will pick it up.";
    case "open":
      return t.owner !== null ? "Someone on our team is working on it." : "Received: a person on our team will pick it up.";
    case "pending":
      return "We are waiting for your answer.";
    case "resolved":
    case "closed":
      return t.resolution ? outcomeTitle(t.resolution.outcome) + "." : "Finished.";
  }
}

// Who has a ticket, for the list: "Ben Okafor has it" / "Not picked up yet".
export function listOwner(t: TicketListItem): string {
  if (t.owner === null) return "Not picked up yet";
  return `${t.owner_name ?? "A person on our team"} has it`;
}

// Who wrote a reply: the agent's display name as the server gives it, else the owner's name
// when the owner wrote it (older servers), else "Our team".
export function replier(t: Ticket, m: Message): string {
  if (m.author_name) return m.author_name;
  if (m.author.kind === "agent" && m.author.id === t.owner && t.owner_name) return t.owner_name;
  return "Our team";
}

// The list after a live refresh of its first page: the fresh page, then the older tickets
// already loaded beyond it (lists are newest first, by id), so "Show older" keeps its place.
export function mergeFirstPage<T extends { id: number }>(fresh: T[], shown: T[], freshIsAll: boolean): T[] {
  if (freshIsAll || fresh.length === 0) return fresh;
  const oldest = fresh[fresh.length - 1].id;
  const seen = new Set(fresh.map((t) => t.id));
  return [...fresh, ...shown.filter((t) => !seen.has(t.id) && t.id < oldest)];
}

function ownerWords(t: Ticket): string | null {
  if (t.owner === null) return null;
  const name = t.owner_name ?? "A person on our team";
  if (t.status === "resolved" || t.status === "closed") return `${name} looked after it.`;
  return `${name} is looking after it.`;
}

function promiseWords(p: Promise_, options: WordsOptions): PlainPromise {
  const now = options.now ?? new Date();
  const late = p.state !== "kept" && (p.state === "broken" || p.missed || new Date(p.due_at) < now);
  return { text: p.text, due: when(p.due_at, options), late };
}

function lastDoneWords(t: Ticket, messages: Message[], options: WordsOptions): string | null {
  const visible = messages.filter((m) => m.kind !== "note");
  const last = visible[visible.length - 1];
  if (!last) return null;
  const at = when(last.created_at, options);
  switch (last.kind) {
    case "customer":
      return `You wrote on ${at}.`;
    case "reply":
      return `${replier(t, last)} replied on ${at}.`;
    default:
      return `We sent you an update on ${at}.`;
  }
}

export function plainState(t: Ticket, messages: Message[], options: WordsOptions = {}): PlainState {
  let head = headline(t);
  if (t.status === "open" && t.owner !== null && t.owner_name) head = `${t.owner_name} is working on it.`;
  const owed = (t.promises ?? []).filter((p) => p.state !== "kept");
  const done = t.status === "resolved" || t.status === "closed";
  return {
    headline: head,
    owner: ownerWords(t),
    lastDone: lastDoneWords(t, messages, options),
    promises: done ? [] : owed.map((p) => promiseWords(p, options)),
    outcome: t.resolution
      ? {
          title: outcomeTitle(t.resolution.outcome),
          statement: t.resolution.statement,
          alternatives: t.resolution.alternatives,
        }
      : null,
  };
}
