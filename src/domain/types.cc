#include "domain/types.h"

#include <array>
#include <utility>

namespace steadfast::domain {
namespace {

template <typename E, size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<TicketStatus, 5> kStatusNames{{{TicketStatus::kNew, "new"},
                                               {TicketStatus::kOpen, "open"},
                                               {TicketStatus::kPending, "pending"},
                                               {TicketStatus::kResolved, "resolved"},
                                               {TicketStatus::kClosed, "closed"}}};
constexpr Names<Priority, 4> kPriorityNames{{{Priority::kLow, "low"},
                                             {Priority::kNormal, "normal"},
                                             {Priority::kHigh, "high"},
                                             {Priority::kUrgent, "urgent"}}};
constexpr Names<Outcome, 5> kOutcomeNames{{{Outcome::kSolved, "solved"},
                                           {Outcome::kWorkaround, "workaround"},
                                           {Outcome::kCannotDo, "cannot_do"},
                                           {Outcome::kDuplicate, "duplicate"},
                                           {Outcome::kWithdrawn, "withdrawn"}}};
constexpr Names<MessageKind, 4> kKindNames{{{MessageKind::kCustomer, "customer"},
                                            {MessageKind::kReply, "reply"},
                                            {MessageKind::kNote, "note"},
                                            {MessageKind::kSystem, "system"}}};
constexpr Names<Role, 3> kRoleNames{
    {{Role::kAgent, "agent"}, {Role::kLead, "lead"}, {Role::kAdmin, "admin"}}};
constexpr Names<Channel, 4> kChannelNames{{{Channel::kWeb, "web"},
                                           {Channel::kEmail, "email"},
                                           {Channel::kApi, "api"},
                                           {Channel::kPortal, "portal"}}};
constexpr Names<HandoffState, 3> kHandoffNames{{{HandoffState::kProposed, "proposed"},
                                                {HandoffState::kAccepted, "accepted"},
                                                {HandoffState::kDeclined, "declined"}}};
constexpr Names<PromiseState, 3> kPromiseNames{{{PromiseState::kOpen, "open"},
                                                {PromiseState::kKept, "kept"},
                                                {PromiseState::kBroken, "broken"}}};

template <typename E, size_t N>
std::string_view Find(const Names<E, N>& names, E v) {
  for (const auto& [e, name] : names) {
    if (e == v) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const Names<E, N>& names, std::string_view s) {
  for (const auto& [e, name] : names) {
    if (name == s) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(TicketStatus v) { return Find(kStatusNames, v); }
std::string_view Name(Priority v) { return Find(kPriorityNames, v); }
std::string_view Name(Outcome v) { return Find(kOutcomeNames, v); }
std::string_view Name(MessageKind v) { return Find(kKindNames, v); }
std::string_view Name(Role v) { return Find(kRoleNames, v); }
std::string_view Name(Channel v) { return Find(kChannelNames, v); }
std::string_view Name(HandoffState v) { return Find(kHandoffNames, v); }
std::string_view Name(PromiseState v) { return Find(kPromiseNames, v); }

std::optional<TicketStatus> ParseTicketStatus(std::string_view s) { return Parse(kStatusNames, s); }
std::optional<Priority> ParsePriority(std::string_view s) { return Parse(kPriorityNames, s); }
std::optional<Outcome> ParseOutcome(std::string_view s) { return Parse(kOutcomeNames, s); }
std::optional<MessageKind> ParseMessageKind(std::string_view s) { return Parse(kKindNames, s); }
std::optional<Role> ParseRole(std::string_view s) { return Parse(kRoleNames, s); }
std::optional<Channel> ParseChannel(std::string_view s) { return Parse(kChannelNames, s); }
std::optional<HandoffState> ParseHandoffState(std::string_view s) {
  return Parse(kHandoffNames, s);
}
std::optional<PromiseState> ParsePromiseState(std::string_view s) {
  return Parse(kPromiseNames, s);
}

std::string_view AllowedTicketStatuses() { return "new, open, pending, resolved, closed"; }
std::string_view AllowedPriorities() { return "low, normal, high, urgent"; }
std::string_view AllowedOutcomes() { return "solved, workaround, cannot_do, duplicate, withdrawn"; }
std::string_view AllowedRoles() { return "agent, lead, admin"; }

}  // namespace steadfast::domain
