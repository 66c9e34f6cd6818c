#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/types.h"

namespace steadfast::domain {

struct Company {
  CompanyId id = 0;
  std::string name;
  // When true, every customer of the company may see the company's tickets.
  bool shares_tickets = false;
  Timestamp created_at;
};

struct Customer {
  CustomerId id = 0;
  std::string name;
  std::vector<std::string> emails;  // Lower-cased; the first is the primary address.
  std::optional<CompanyId> company_id;
  std::string timezone;  // IANA name, e.g. "Europe/Lisbon"; empty if unknown.
  std::string language;  // BCP 47 tag, e.g. "pt-PT"; empty if unknown.
  std::string notes;
  Timestamp created_at;
  Timestamp updated_at;
  int64_t version = 1;
};

struct Agent {
  AgentId id = 0;
  std::string name;
  std::string email;  // Lower-cased, unique.
  Role role = Role::kAgent;
  std::vector<TeamId> teams;
  bool active = true;
  Timestamp created_at;
};

struct Team {
  TeamId id = 0;
  std::string name;
  Timestamp created_at;
};

struct Resolution {
  Outcome outcome = Outcome::kSolved;
  // Required for cannot_do: the limit, stated plainly for the customer.
  std::string statement;
  std::vector<std::string> alternatives;
  std::optional<TicketId> duplicate_of;  // Required for duplicate.
  AgentId resolved_by = 0;
  Timestamp resolved_at;
};

// The SLA clocks a ticket runs (see docs/business-hours.md).
enum class SlaKind { kFirstReply, kNextReply, kResolution };
std::string_view Name(SlaKind kind);  // "first_reply", "next_reply", "resolution".

// One SLA clock that has not been met yet. Running: `due_at` (and `warn_at`) are set. Paused
// (pending, resolved): both empty and `remaining_ms` holds the business time left (negative once
// past due). `warned` and `breached` record that the engine raised the warning and the breach.
struct SlaClock {
  SlaKind kind = SlaKind::kFirstReply;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> warn_at;
  int64_t remaining_ms = 0;
  bool warned = false;
  bool breached = false;

  friend bool operator==(const SlaClock&, const SlaClock&) = default;
};

// A ticket's SLA bookkeeping, derived from the ticket and the team's SLA policies on every change
// (engine/sla_clocks.h computes it; the domain rules never touch it). Plain data.
struct SlaState {
  bool computed = false;  // False for tickets written before SLAs existed (or imported).
  std::string policy;     // The policy that applies; empty: none.
  std::optional<Timestamp> first_replied_at;  // Our first reply.
  // The first-reply and resolution clocks run while the ticket is new or open: since
  // `running_since`, after `used_ms` of business time in earlier running periods.
  std::optional<Timestamp> running_since;
  int64_t used_ms = 0;
  // The customer wait (ticket.waiting_since) the next-reply clock and silence are measured from.
  std::optional<Timestamp> next_reply_since;
  std::vector<SlaClock> clocks;  // Not met yet, in SlaKind order.
  // Silence on business hours: when it is raised (while the customer waits, not raised yet).
  std::optional<Timestamp> silence_at;
  // The engine's next moment for this ticket: the earliest warning, breach or silence not yet
  // raised. Empty: nothing to do.
  std::optional<Timestamp> next_at;

  friend bool operator==(const SlaState&, const SlaState&) = default;
};

struct Ticket {
  TicketId id = 0;
  int64_t number = 0;  // The human number shown as "#123".
  std::string subject;
  CustomerId customer_id = 0;
  std::optional<CompanyId> company_id;  // The customer's company when the ticket was opened.
  std::optional<AgentId> owner_id;
  std::optional<TeamId> team_id;
  TicketStatus status = TicketStatus::kNew;
  Priority priority = Priority::kNormal;
  std::vector<std::string> tags;  // Lower-cased, unique, sorted.
  Channel channel = Channel::kApi;
  Timestamp created_at;
  Timestamp updated_at;
  int64_t version = 1;  // Incremented by every change; stale versions get Conflict.
  std::optional<Resolution> resolution;
  // Since when the customer has been waiting for word from us (their message is the last one);
  // cleared by our reply, by pending, by resolving. When silence about it was raised, if it was.
  std::optional<Timestamp> waiting_since;
  std::optional<Timestamp> silence_raised_at;
  int chases = 0;  // Customer messages that only asked for news: each one a follow-through miss.
  // When the customer was asked whether a solved ticket stayed solved (see follow_through.h).
  std::optional<Timestamp> followup_asked_at;
  SlaState sla;
};

struct Attachment {
  AttachmentId id = 0;
  MessageId message_id = 0;
  TicketId ticket_id = 0;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;  // Hex; the content-addressed blob.
};

// Who did something. For agents and customers `id` is theirs; the system has id 0.
struct Actor {
  enum class Kind { kAgent, kCustomer, kSystem };
  Kind kind = Kind::kSystem;
  int64_t id = 0;
};

struct Message {
  MessageId id = 0;
  TicketId ticket_id = 0;
  MessageKind kind = MessageKind::kCustomer;
  Actor author;
  std::string body;  // Plain text: what the author wrote this time.
  Timestamp created_at;
  std::vector<Attachment> attachments;
  std::string from_address;  // Email: the address it came from; empty otherwise.
  std::string html;          // Email: sanitized HTML (safe to show); empty otherwise.
  std::string quoted;        // Email: the quoted history trimmed from `body`.
  bool chase = false;        // A customer message that only asks for news (see engine/chase.h).
};

struct Handoff {
  HandoffId id = 0;
  TicketId ticket_id = 0;
  AgentId from_agent_id = 0;
  AgentId to_agent_id = 0;
  std::string note;  // The context the receiver needs; required.
  HandoffState state = HandoffState::kProposed;
  std::string decline_reason;
  Timestamp created_at;
  std::optional<Timestamp> answered_at;
};

// Something an agent told a customer they would do, by when. Tracked until kept.
struct Promise {
  PromiseId id = 0;
  TicketId ticket_id = 0;
  AgentId owner_id = 0;  // Who made it and must keep it.
  std::string text;      // What, in a few words: "send the replacement tracking number".
  Timestamp due_at;
  PromiseState state = PromiseState::kOpen;
  // The reply that made it, and the one that kept it. In a Change, 0 means the Change's own
  // (first) message, whose id the store fills in.
  MessageId message_id = 0;
  std::optional<MessageId> kept_by;
  bool missed = false;     // Its time passed at least once (kept late, or renegotiated after).
  int renegotiations = 0;  // New dates agreed with the customer.
  std::optional<Timestamp> reminded_at;
  Timestamp created_at;
  std::optional<Timestamp> settled_at;  // When kept.
};

// One changed field: values rendered as text ("open", "high", "7"); empty for none.
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

// An entry in the append-only ticket log.
struct Event {
  EventId id = 0;
  TicketId ticket_id = 0;
  std::string type;  // "ticket_created", "owner_taken", "handoff_accepted", "resolved", ...
  Actor actor;
  Timestamp at;
  std::vector<FieldChange> changes;
  std::string note;  // Free text that belongs to the event (handoff note, decline reason).
};

std::string_view Name(Actor::Kind kind);

}  // namespace steadfast::domain
