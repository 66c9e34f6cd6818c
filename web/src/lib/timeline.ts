// The conversation as one timeline: messages, and between them the ticket's events as quiet
// lines. Events that only repeat a message (a reply was added) are left out.
import type { Actor, Message, TicketEvent } from "../api/types";
import { OUTCOME_LABEL, STATUS_LABEL, humanize } from "./format";

export type Entry = { kind: "message"; at: string; message: Message } | { kind: "event"; at: string; event: TicketEvent; text: string };

const SHOWN_AS_MESSAGES = new Set([
  "reply_added",
  "note_added",
  "customer_message_added",
  "ticket_created",
  "system_message_added",
]);

export interface Names {
  agent(id: number): string;
  customer(id: number): string;
  meId: number;
}

export function actorName(a: Actor, names: Names): string {
  if (a.kind === "system") return "Steadfast";
  if (a.kind === "customer") return names.customer(a.id) || "The customer";
  return a.id === names.meId ? "You" : names.agent(a.id);
}

function change(e: TicketEvent, field: string) {
  return e.changes.find((c) => c.field === field);
}

function agentRef(value: string | undefined, names: Names): string {
  const id = Number(value);
  if (!value || !Number.isFinite(id) || id <= 0) return "someone";
  return id === names.meId ? "you" : names.agent(id);
}

// One line for an event, or null to leave it out.
export function describeEvent(e: TicketEvent, names: Names): string | null {
  if (SHOWN_AS_MESSAGES.has(e.type)) return null;
  const who = actorName(e.actor, names);
  const note = e.note ? `: “${e.note}”` : "";
  switch (e.type) {
    case "owner_taken":
      return `${who} took ownership`;
    case "handoff_proposed":
      return `${who} offered this ticket to ${agentRef(change(e, "to_agent_id")?.after, names)}${note}`;
    case "handoff_accepted":
      return `${who} accepted the handoff and now own${who === "You" ? "" : "s"} this ticket`;
    case "handoff_declined":
      return `${who} declined the handoff${note}`;
    case "handoff_withdrawn":
      return `The pending handoff was withdrawn${note}`;
    case "reassigned": {
      const to = change(e, "owner") ?? change(e, "owner_id");
      return `${who} reassigned this ticket to ${agentRef(to?.after, names)}${note}`;
    }
    case "resolved": {
      const outcome = change(e, "outcome")?.after ?? "";
      return `${who} resolved it: ${OUTCOME_LABEL[outcome] ?? humanize(outcome || "resolved")}${note}`;
    }
    case "reopened":
      return `${who} reopened it`;
    case "reopened_by_customer":
      return `The customer wrote again; the ticket is open again`;
    case "closed":
      return `Closed`;
    case "chase_received":
      return `The customer asked for news: a chase${note}`;
    case "silence_raised":
      return `The customer has waited without news: raised with the owner${note}`;
    case "promise_made":
      return `${who} promised the customer${note}`;
    case "sla_warning":
      return `SLA warning: ${e.note || "a deadline is near"}`;
    case "sla_breached":
      return `SLA breached: ${e.note || "a deadline was missed"}`;
    case "ticket_updated": {
      const parts = e.changes.map((c) => {
        const field = c.field.replace(/_id$/, "").replace(/_/g, " ");
        const show = (v: string) => (c.field === "status" ? (STATUS_LABEL[v] ?? v) : v.replace(/,(?=\S)/g, ", ")) || "none";
        if (c.before === "") return `set ${field} to ${show(c.after)}`;
        return `changed ${field} from ${show(c.before)} to ${show(c.after)}`;
      });
      return `${who} ${parts.join(", ") || "changed the ticket"}`;
    }
    default:
      return `${humanize(e.type)}${e.actor.kind === "system" ? "" : ` (${who})`}${note}`;
  }
}

export function buildTimeline(messages: Message[], events: TicketEvent[], names: Names): Entry[] {
  const out: Entry[] = messages.map((m) => ({ kind: "message", at: m.created_at, message: m }));
  for (const e of events) {
    const text = describeEvent(e, names);
    if (text !== null) out.push({ kind: "event", at: e.at, event: e, text });
  }
  // Stable: at equal times messages come before the events they caused.
  return out
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || kindRank(a.entry) - kindRank(b.entry) || a.i - b.i)
    .map((x) => x.entry);
}

function kindRank(e: Entry): number {
  return e.kind === "message" ? 0 : 1;
}
