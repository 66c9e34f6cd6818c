// A ticket's next SLA deadline as an agent reads it. Pure functions; `now` is passed in for tests.
import type { Priority, SlaKind, SlaNext, SlaPolicies, TicketSla } from "../api/types";

export type SlaTone = "ok" | "warning" | "breached" | "paused";

export interface SlaLine {
  tone: SlaTone;
  text: string; // "First reply due in 1 h 20 min (business hours)"
  short: string; // For a list column: "1 h 20 min", "2 h late", "paused".
}

const KIND_LABEL: Record<SlaKind, string> = {
  first_reply: "First reply",
  next_reply: "Next reply",
  resolution: "Resolution",
};

// "45 min", "1 h 20 min", "3 d 4 h": a span of wall-clock time, to the minute.
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

// The line for `next` at `now`. The deadline was computed on the team's business hours; the span
// shown is the wall-clock time left until it. Past due reads as breached even before the engine
// records it.
export function slaLine(next: SlaNext, now: number = Date.now()): SlaLine {
  const label = KIND_LABEL[next.kind] ?? next.kind;
  if (next.state === "paused" || next.due_at === null) {
    return { tone: "paused", text: `${label} paused — waiting on customer`, short: "paused" };
  }
  const left = Date.parse(next.due_at) - now;
  if (next.state === "breached" || left <= 0) {
    const late = span(-left);
    return { tone: "breached", text: `${label} overdue by ${late} (business hours target missed)`, short: `${late} late` };
  }
  return {
    tone: next.state === "warning" ? "warning" : "ok",
    text: `${label} due in ${span(left)} (business hours)`,
    short: span(left),
  };
}

// The line for a ticket's SLA, or null when no clock runs (no policy, or resolved).
export function ticketSlaLine(sla: TicketSla | undefined, now: number = Date.now()): SlaLine | null {
  return sla?.next ? slaLine(sla.next, now) : null;
}

// The alarm SLA queues filter on, as the server does: "breached" when a running clock was
// breached, else "warning" when one was warned, else null.
export function slaAlarm(sla: TicketSla | undefined): "warning" | "breached" | null {
  const clocks = sla?.clocks ?? [];
  if (clocks.some((c) => c.state === "breached")) return "breached";
  if (clocks.some((c) => c.state === "warning")) return "warning";
  return null;
}

// Whether a ticket belongs in the SLA queue `filter` (the `sla` query parameter).
export function inSlaQueue(filter: "warning" | "breached" | "at_risk", sla: TicketSla | undefined): boolean {
  const alarm = slaAlarm(sla);
  return filter === "at_risk" ? alarm !== null : alarm === filter;
}

// "4 h", "1 d 2 h": a target in business minutes.
function target(minutes: number | null): string | null {
  return minutes === null ? null : span(minutes * 60_000);
}

// What the ticket's policy promises at its priority, in one line for the ticket view:
// "Standard, high priority: first reply 1 h · next reply 4 h · resolution 2 d — business hours
// mon-fri 09:00-17:30 (Europe/Lisbon)". Null when the policy is unknown or sets no target.
export function policyTargetsText(p: SlaPolicies, policy: string | null, priority: Priority): string | null {
  const rule = p.policies.find((r) => r.name === policy);
  if (!rule) return null;
  const t = rule.targets[priority];
  const parts = [
    ["first reply", target(t.first_reply_minutes)],
    ["next reply", target(t.next_reply_minutes)],
    ["resolution", target(t.resolution_minutes)],
  ]
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v}`);
  if (parts.length === 0) return null;
  const hours = p.business_hours;
  return `${rule.name}, ${priority} priority: ${parts.join(" · ")} — business hours ${hours.hours} (${hours.time_zone})`;
}
