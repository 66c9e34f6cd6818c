#pragma once

#include <optional>
#include <string_view>

#include "domain/entities.h"

namespace steadfast::domain {

// In-app notifications are events of the ticket log that concern one agent; nothing else is
// stored for them but a per-agent "seen up to" mark.

// The agent event `e` concerns, given the ticket as the event left it (`after`): the agent a
// handoff or offer is proposed to; the ticket's owner for a promise reminder or a broken
// promise, raised silence, a chase or customer reply, the customer reopening it (by reply or
// by the follow-up's "no"), and SLA alarms (sla_warning, sla_breached). nullopt for every
// other event, when nobody owns the ticket, or when the owner did it themselves.
std::optional<AgentId> ConcernedAgent(const Event& e, const Ticket& after);

// True for the types leads also get for their teams' tickets (a broken promise).
bool ConcernsTeamLeads(std::string_view type);

// True for the types worth interrupting for (a broken promise, a breached SLA).
bool IsUrgentNotification(std::string_view type);

}  // namespace steadfast::domain
