#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/entities.h"
#include "domain/principal.h"

namespace steadfast::domain {

// A ticket as the rules see it: the row plus its open handoff, if any.
struct TicketState {
  Ticket ticket;
  std::optional<Handoff> pending_handoff;
  std::vector<Promise> promises;  // Still owed: open and broken ones, oldest first.
};

// A promise made in a reply: what, by when.
struct NewPromise {
  std::string text;
  Timestamp due_at;
};

// A file to attach to a new message; the store hashes and keeps the bytes.
struct NewAttachment {
  std::string filename;
  std::string content_type;
  std::string data;
};

struct NewMessage {
  MessageKind kind = MessageKind::kCustomer;
  Actor author;
  std::string body;
  std::vector<NewAttachment> attachments;
  // Email only: the sender's address, the sanitized HTML, the quoted history trimmed from `body`.
  std::string from_address;
  std::string html;
  std::string quoted;
  // Where the message came from, unique across the store (an email's Message-ID). The store
  // refuses a second message with the same key (Conflict), so a message is taken in once.
  std::string source_key;
  // A system message that is also emailed, as automatic mail (Auto-Submitted: auto-replied), to
  // this address, queued in the same transaction. Empty: not emailed. (Agent replies are always
  // emailed to the customer; this is for acknowledgements and notifications.)
  std::string auto_email_to;
  // Replies only: a promise this reply makes, and the owed promise it keeps.
  std::optional<NewPromise> promise;
  std::optional<PromiseId> keeps_promise;
  // Customer messages: it only asks for news (the caller ran the chase detector on `body`).
  bool chase = false;
};

// What a command decided. The store writes all of it in one transaction, or nothing.
// `after.version` is already incremented; `handoff` with id 0 is inserted, otherwise updated.
struct Change {
  Ticket after;
  std::vector<NewMessage> messages;
  std::optional<Handoff> handoff;
  std::vector<Promise> promises;  // Inserted when id is 0, updated otherwise.
  std::vector<Event> events;
};

// Starts a change of `s`: the ticket as it is, its version bumped, updated_at `now`.
[[nodiscard]] Change BeginChange(const TicketState& s, Timestamp now);

// Ok if a ticket may move from `from` to `to`; Conflict naming both otherwise. The one place
// where the status machine lives:
//   new → open (owner taken) | resolved;  open ⇄ pending;  open|pending → resolved;
//   resolved → open (reopen, customer message) | closed.
[[nodiscard]] Status CheckTransition(TicketStatus from, TicketStatus to);

// Normalizes tags: trimmed, lower-cased, unique, sorted. InvalidArgument("tags") for an empty
// tag, one over 64 bytes, one with spaces or commas, or more than 32.
[[nodiscard]] Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags);

// Checks a subject: 1–255 bytes after trimming, no control characters. Returns it trimmed.
[[nodiscard]] Result<std::string> ValidateSubject(std::string_view subject);

// Checks a message body: not blank, at most `max_bytes`.
[[nodiscard]] Status ValidateBody(std::string_view body, size_t max_bytes, std::string_view field);

// A new ticket as asked for. The store fills ids, number and customer. The first message is
// always the customer's words (kind customer, authored by the customer), whoever logged them;
// the ticket_created event records who did.
struct NewTicket {
  std::string subject;
  std::string body;
  Priority priority = Priority::kNormal;
  std::vector<std::string> tags;
  Channel channel = Channel::kApi;
  std::optional<TeamId> team_id;
  std::vector<NewAttachment> attachments;
  // For the first message, as in NewMessage (email only).
  std::string from_address;
  std::string html;
  std::string quoted;
  std::string source_key;
};

// Adds a message. Rules:
// - An agent reply to a `new` ticket makes that agent the owner and opens it.
// - A customer message reopens a resolved ticket and brings a pending one back to open.
// - An agent reply may set the status to pending (`then_pending`) — waiting on the customer.
// - Notes never change status or owner. Nothing may be added to a closed ticket (Conflict).
// - A reply may make a promise (`message.promise`, see MakePromise) and keep an owed one
//   (`message.keeps_promise`: NotFound unless owed on this ticket); other kinds may not.
// REQUIRES: Authorize(who, kReply|kNote|kPostCustomerMessage) passed.
[[nodiscard]] Result<Change> AddMessage(const TicketState& s, const Principal& who,
                                        NewMessage message, bool then_pending, Timestamp now);

struct TicketPatch {
  std::optional<std::string> subject;
  std::optional<Priority> priority;
  std::optional<std::vector<std::string>> tags;  // Replaces all tags; already normalized.
  std::optional<std::optional<TeamId>> team_id;  // nullopt inside: remove the team.
  std::optional<TicketStatus> status;            // Only open ⇄ pending here.
};

// Applies a patch when `expected_version` matches (Conflict otherwise). A patch that changes
// nothing is still Ok and returns a Change without events and without a version bump.
[[nodiscard]] Result<Change> EditTicket(const TicketState& s, const Principal& who,
                                        const TicketPatch& patch, int64_t expected_version,
                                        Timestamp now);

// The owner (or a lead) offers ownership to `to`; `note` carries the context and is required.
// Conflict if the ticket has no owner, is resolved/closed, or already has a pending handoff.
[[nodiscard]] Result<Change> ProposeHandoff(const TicketState& s, const Principal& who, AgentId to,
                                            std::string_view note, Timestamp now);

// The receiver accepts: ownership moves. Conflict if the handoff is no longer pending.
[[nodiscard]] Result<Change> AcceptHandoff(const TicketState& s, const Principal& who,
                                           HandoffId handoff_id, Timestamp now);

// The receiver declines with a reason (required); ownership stays.
[[nodiscard]] Result<Change> DeclineHandoff(const TicketState& s, const Principal& who,
                                            HandoffId handoff_id, std::string_view reason,
                                            Timestamp now);

// A lead or admin moves ownership directly (recorded as a reassignment, with a note). Any
// pending handoff is declined on the way.
[[nodiscard]] Result<Change> Reassign(const TicketState& s, const Principal& who, AgentId to,
                                      std::string_view note, Timestamp now);

// An agent takes a ticket nobody owns. Conflict if it has an owner.
[[nodiscard]] Result<Change> TakeOwnership(const TicketState& s, const Principal& who,
                                           Timestamp now);

struct ResolutionInput {
  Outcome outcome = Outcome::kSolved;
  std::string statement;
  std::vector<std::string> alternatives;
  std::optional<TicketId> duplicate_of;
  // Where the outcome notice is emailed (the customer's address); empty: it is only shown.
  std::string notify_email;
};

// Resolves with an outcome. cannot_do requires a statement; duplicate requires duplicate_of
// (not the ticket itself; the caller checks it exists). A ticket nobody owns becomes the
// resolver's. Any pending handoff is withdrawn. The customer is told the outcome in plain words
// (a system message, emailed to `notify_email`): no ticket ends without its customer knowing how.
[[nodiscard]] Result<Change> Resolve(const TicketState& s, const Principal& who,
                                     const ResolutionInput& input, Timestamp now);

// Reopens a resolved ticket to its owner. Conflict for any other status.
[[nodiscard]] Result<Change> Reopen(const TicketState& s, const Principal& who, Timestamp now);

// Closes a resolved ticket (the time engine's follow-up does this).
[[nodiscard]] Result<Change> Close(const TicketState& s, const Principal& who, Timestamp now);

// The change that creates `t` (status new, version 1) with its first message and the
// "ticket_created" event. `t` must have subject, customer, channel, priority, tags set.
Change CreateTicket(Ticket t, NewMessage first_message, const Principal& who, Timestamp now);

}  // namespace steadfast::domain
