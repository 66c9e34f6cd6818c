#include "domain/notifications.h"

#include <charconv>

namespace steadfast::domain {
namespace {

// Types that concern the ticket's owner.
constexpr std::string_view kOwnerTypes[] = {
    "promise_due_soon",       "promise_broken",       "silence_raised",     "chase_received",
    "customer_message_added", "reopened_by_customer", "followup_came_back", "sla_warning",
    "sla_breached",
};

std::optional<AgentId> ProposedTo(const Event& e) {
  for (const FieldChange& change : e.changes) {
    if (change.field != "to_agent_id") continue;
    AgentId id = 0;
    const std::string& text = change.after;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc() && end == text.data() + text.size() && id > 0) return id;
  }
  return std::nullopt;
}

}  // namespace

std::optional<AgentId> ConcernedAgent(const Event& e, const Ticket& after) {
  std::optional<AgentId> agent;
  if (e.type == "handoff_proposed" || e.type == "offered") {
    agent = ProposedTo(e);
  } else {
    for (std::string_view type : kOwnerTypes) {
      if (e.type == type) {
        agent = after.owner_id;
        break;
      }
    }
  }
  if (agent.has_value() && e.actor.kind == Actor::Kind::kAgent && e.actor.id == *agent) {
    return std::nullopt;  // Nobody needs telling what they did.
  }
  return agent;
}

bool ConcernsTeamLeads(std::string_view type) { return type == "promise_broken"; }

bool IsUrgentNotification(std::string_view type) {
  return type == "promise_broken" || type == "sla_breached";
}

}  // namespace steadfast::domain
