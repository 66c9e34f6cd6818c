// The queues on the left. "Nobody owns these" is an alarm, not a parking place: it is shown
// in red while anything is in it.
import type { SavedView, Team, TicketQuery } from "./api/types";
import { parseListQuery } from "./lib/listview";

export interface QueueDef {
  key: string;
  label: string;
  hint: string;
  query: TicketQuery;
  alarm?: boolean;
  alarmLabel?: string; // What a non-zero count means, for screen readers: "without an owner".
  viewId?: number; // Set for an agent's saved view.
}

export const FIXED_QUEUES: QueueDef[] = [
  {
    key: "mine",
    label: "Mine",
    hint: "Open tickets you own: your move",
    query: { owner: "me", status: "open" },
  },
  {
    key: "unowned",
    label: "Nobody owns these",
    hint: "New tickets without an owner: take one",
    query: { owner: "none", status: "new" },
    alarm: true,
    alarmLabel: "without an owner",
  },
  {
    key: "sla",
    label: "SLA at risk",
    hint: "Tickets whose SLA deadline is near (warned) or missed (breached), the soonest deadline first",
    query: { sla: "at_risk", sort: "sla_due" },
    alarm: true,
    alarmLabel: "at risk of missing or past their SLA",
  },
  {
    key: "offered",
    label: "Offered to me",
    hint: "Tickets handed to you: accept or decline",
    query: { offered_to: "me" },
  },
  {
    key: "waiting",
    label: "Waiting on customer",
    hint: "Your tickets waiting for the customer's answer",
    query: { owner: "me", status: "pending" },
  },
];

export const ALL_QUEUE: QueueDef = {
  key: "all",
  label: "All tickets",
  hint: "Every ticket, newest first",
  query: {},
};

export function teamQueue(t: Team): QueueDef {
  return { key: `team-${t.id}`, label: t.name, hint: `Tickets of the ${t.name} team`, query: { team: t.id } };
}

// An agent's saved view as a queue: its key is "view-<id>", its path /views/<id>.
export function viewQueue(v: SavedView): QueueDef {
  return { key: `view-${v.id}`, label: v.name, hint: "Your saved view", query: parseListQuery(v.query), viewId: v.id };
}

// The saved view's id for a queue key ("view-12" → 12), or null.
export function viewIdOf(key: string): number | null {
  const m = /^view-([1-9][0-9]*)$/.exec(key);
  return m ? Number(m[1]) : null;
}

// Where a queue lives: /queues/<key>, or /views/<id> for a saved view.
export function queuePath(key: string): string {
  const view = viewIdOf(key);
  return view === null ? `/queues/${key}` : `/views/${view}`;
}

export function findQueue(key: string, teams: Team[], views: SavedView[] = []): QueueDef | null {
  const fixed = FIXED_QUEUES.find((q) => q.key === key);
  if (fixed) return fixed;
  if (key === ALL_QUEUE.key) return ALL_QUEUE;
  const m = /^team-(\d+)$/.exec(key);
  if (m) {
    const team = teams.find((t) => t.id === Number(m[1]));
    return team ? teamQueue(team) : null;
  }
  const view = viewIdOf(key);
  if (view !== null) {
    const v = views.find((x) => x.id === view);
    return v ? viewQueue(v) : null;
  }
  return null;
}
