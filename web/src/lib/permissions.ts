// Which actions to offer, mirroring the API's rules (docs/api.md, "Who may do what"). The
// server decides; this only keeps buttons that would be refused out of the way.
import type { Agent, Ticket } from "../api/types";

export interface Allowed {
  take: boolean;
  handoff: boolean;
  answerHandoff: boolean;
  resolve: boolean;
  reopen: boolean;
}

export function actionsFor(t: Ticket, me: Agent): Allowed {
  const live = t.status === "new" || t.status === "open" || t.status === "pending";
  const lead = me.role === "lead" || me.role === "admin";
  const mine = t.owner === me.id;
  return {
    take: live && t.owner === null,
    handoff: live && t.owner !== null && t.pending_handoff === null && (mine || lead),
    answerHandoff: t.pending_handoff !== null && t.pending_handoff.to_agent_id === me.id,
    resolve: live && (t.owner === null || mine || lead),
    reopen: t.status === "resolved",
  };
}
