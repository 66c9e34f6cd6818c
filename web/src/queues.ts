// The queues on the left. "Nobody owns these" is an alarm, not a parking place: it is shown
// in red while anything is in it.
import type { Team, TicketQuery } from "./api/types";

export interface QueueDef {
  key: string;
  label: string;
  hint: string;
  query: TicketQuery;
  alarm?: boolean;
  alarmLabel?: string; // What a non-zero count means, for screen readers: "without an owner".
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
    hint: "Tickets whose SLA deadline is near (warned) or missed (breached)",
    query: { sla: "at_risk" },
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

export function findQueue(key: string, teams: Team[]): QueueDef | null {
  const fixed = FIXED_QUEUES.find((q) => q.key === key);
  if (fixed) return fixed;
  if (key === ALL_QUEUE.key) return ALL_QUEUE;
  const m = /^team-(\d+)$/.exec(key);
  if (m) {
    const team = teams.find((t) => t.id === Number(m[1]));
    return team ? teamQueue(team) : null;
  }
  return null;
}
