#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace steadfast::domain {

using TicketId = int64_t;
using CustomerId = int64_t;
using CompanyId = int64_t;
using AgentId = int64_t;
using TeamId = int64_t;
using MessageId = int64_t;
using HandoffId = int64_t;
using AttachmentId = int64_t;
using EventId = int64_t;
using PromiseId = int64_t;

// new: nobody owns it yet. open: owned, our move. pending: waiting on the customer.
// resolved: outcome recorded. closed: final.
enum class TicketStatus { kNew, kOpen, kPending, kResolved, kClosed };
enum class Priority { kLow, kNormal, kHigh, kUrgent };
enum class Outcome { kSolved, kWorkaround, kCannotDo, kDuplicate, kWithdrawn };
enum class MessageKind { kCustomer, kReply, kNote, kSystem };
enum class Role { kAgent, kLead, kAdmin };
enum class Channel { kWeb, kEmail, kApi, kPortal };
enum class HandoffState { kProposed, kAccepted, kDeclined };
// open: owed, not yet due. kept: done, by the reply that did it. broken: its time passed first
// (it stays owed until kept late or renegotiated with the customer).
enum class PromiseState { kOpen, kKept, kBroken };

// The wire names ("new", "urgent", "cannot_do", ...) used by the API and the store.
std::string_view Name(TicketStatus v);
std::string_view Name(Priority v);
std::string_view Name(Outcome v);
std::string_view Name(MessageKind v);
std::string_view Name(Role v);
std::string_view Name(Channel v);
std::string_view Name(HandoffState v);
std::string_view Name(PromiseState v);

// Inverse of Name; nullopt for an unknown name.
std::optional<TicketStatus> ParseTicketStatus(std::string_view s);
std::optional<Priority> ParsePriority(std::string_view s);
std::optional<Outcome> ParseOutcome(std::string_view s);
std::optional<MessageKind> ParseMessageKind(std::string_view s);
std::optional<Role> ParseRole(std::string_view s);
std::optional<Channel> ParseChannel(std::string_view s);
std::optional<HandoffState> ParseHandoffState(std::string_view s);
std::optional<PromiseState> ParsePromiseState(std::string_view s);

// "new, open, pending, resolved, closed" — for error messages that list the allowed values.
std::string_view AllowedTicketStatuses();
std::string_view AllowedPriorities();
std::string_view AllowedOutcomes();
std::string_view AllowedRoles();

}  // namespace steadfast::domain
