#include "domain/ticket_rules.h"

#include <algorithm>
#include <string>

#include "common/text.h"
#include "domain/follow_through.h"

namespace steadfast::domain {
namespace {

std::string IdText(const std::optional<int64_t>& id) {
  return id.has_value() ? std::to_string(*id) : std::string();
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

Event MakeEvent(const Ticket& t, std::string type, const Principal& who, Timestamp now,
                std::vector<FieldChange> changes = {}, std::string note = {}) {
  Event e;
  e.ticket_id = t.id;
  e.type = std::move(type);
  e.actor = who.actor();
  e.at = now;
  e.changes = std::move(changes);
  e.note = std::move(note);
  return e;
}

std::string OutcomeText(const Ticket& t) {
  return t.resolution.has_value() ? std::string(Name(t.resolution->outcome)) : std::string();
}

FieldChange StatusChange(TicketStatus from, TicketStatus to) {
  return {"status", std::string(Name(from)), std::string(Name(to))};
}

FieldChange OwnerChange(const std::optional<AgentId>& from, AgentId to) {
  return {"owner", IdText(from), std::to_string(to)};
}

// Moves `c.after` to `to`, recording the status change on `changes`.
Status MoveTo(Change& c, TicketStatus to, std::vector<FieldChange>& changes) {
  const TicketStatus from = c.after.status;
  if (from == to) return Status::Ok();
  SF_RETURN_IF_ERROR(CheckTransition(from, to));
  c.after.status = to;
  changes.push_back(StatusChange(from, to));
  if (to != TicketStatus::kOpen && to != TicketStatus::kNew) {
    // Waiting on the customer, or done: nobody waits for us.
    c.after.waiting_since.reset();
    c.after.silence_raised_at.reset();
  }
  return Status::Ok();
}

// Closes the pending handoff of `s` (if any) as declined with `reason`, onto `c`.
void WithdrawPendingHandoff(const TicketState& s, Change& c, const Principal& who,
                            std::string_view reason, Timestamp now) {
  if (!s.pending_handoff.has_value()) return;
  Handoff h = *s.pending_handoff;
  h.state = HandoffState::kDeclined;
  h.decline_reason = std::string(reason);
  h.answered_at = now;
  c.handoff = h;
  c.events.push_back(MakeEvent(c.after, "handoff_withdrawn", who, now,
                               {{"handoff_id", std::to_string(h.id), ""}}, std::string(reason)));
}

Result<Handoff> PendingHandoff(const TicketState& s, HandoffId id) {
  if (!s.pending_handoff.has_value() || s.pending_handoff->id != id) {
    return Status::Conflict("this handoff is no longer pending");
  }
  return *s.pending_handoff;
}

Status RequireOpenForWork(const Ticket& t, std::string_view what) {
  if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed) {
    return Status::Conflict(std::string("cannot ") + std::string(what) + " a " +
                            std::string(Name(t.status)) + " ticket");
  }
  return Status::Ok();
}

}  // namespace

Change BeginChange(const TicketState& s, Timestamp now) {
  Change c;
  c.after = s.ticket;
  c.after.version = s.ticket.version + 1;
  c.after.updated_at = now;
  return c;
}

Status CheckTransition(TicketStatus from, TicketStatus to) {
  using S = TicketStatus;
  bool ok = false;
  switch (from) {
    case S::kNew:
      ok = to == S::kOpen || to == S::kResolved;
      break;
    case S::kOpen:
      ok = to == S::kPending || to == S::kResolved;
      break;
    case S::kPending:
      ok = to == S::kOpen || to == S::kResolved;
      break;
    case S::kResolved:
      ok = to == S::kOpen || to == S::kClosed;
      break;
    case S::kClosed:
      ok = false;
      break;
  }
  if (ok) return Status::Ok();
  return Status::Conflict("a " + std::string(Name(from)) + " ticket cannot become " +
                          std::string(Name(to)));
}

Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags) {
  if (tags.size() > 32) return Status::InvalidArgument("tags", "at most 32 tags");
  std::vector<std::string> out;
  for (const auto& raw : tags) {
    const std::string tag = AsciiLower(Trim(raw));
    if (tag.empty()) return Status::InvalidArgument("tags", "a tag cannot be empty");
    if (tag.size() > 64) return Status::InvalidArgument("tags", "a tag is at most 64 bytes");
    if (tag.find_first_of(" ,\t\r\n") != std::string::npos || HasControlChars(tag)) {
      return Status::InvalidArgument("tags",
                                     "a tag cannot contain spaces or commas: '" + tag + "'");
    }
    out.push_back(tag);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::string> ValidateSubject(std::string_view subject) {
  const std::string_view s = Trim(subject);
  if (s.empty()) return Status::InvalidArgument("subject", "is required");
  if (s.size() > 255) return Status::InvalidArgument("subject", "is at most 255 bytes");
  if (!IsSingleLine(s)) {
    return Status::InvalidArgument("subject", "cannot contain line breaks or control characters");
  }
  return std::string(s);
}

Status ValidateBody(std::string_view body, size_t max_bytes, std::string_view field) {
  if (Trim(body).empty()) return Status::InvalidArgument(std::string(field), "is required");
  if (body.size() > max_bytes) {
    return Status::InvalidArgument(std::string(field),
                                   "is at most " + std::to_string(max_bytes) + " bytes");
  }
  return Status::Ok();
}

Result<Change> AddMessage(const TicketState& s, const Principal& who, NewMessage message,
                          bool then_pending, Timestamp now) {
  const Ticket& t = s.ticket;
  if (t.status == TicketStatus::kClosed) {
    return Status::Conflict("ticket is closed; open a new ticket instead");
  }
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  std::string event_type;
  switch (message.kind) {
    case MessageKind::kReply:
      event_type = "reply_added";
      if (!t.owner_id.has_value()) {
        c.after.owner_id = who.id;
        changes.push_back(OwnerChange(std::nullopt, who.id));
        c.events.push_back(MakeEvent(c.after, "owner_taken", who, now, {changes.back()}));
        changes.clear();
      }
      if (t.status == TicketStatus::kNew)
        SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
      if (then_pending) {
        if (c.after.status != TicketStatus::kOpen && c.after.status != TicketStatus::kPending) {
          return Status::Conflict("only an open ticket can be set to pending");
        }
        SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kPending, changes));
      }
      break;
    case MessageKind::kNote:
      event_type = "note_added";
      if (then_pending) return Status::InvalidArgument("status", "a note cannot change status");
      break;
    case MessageKind::kCustomer:
      event_type = "customer_message_added";
      if (t.status == TicketStatus::kResolved) {
        SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
        changes.push_back({"outcome", OutcomeText(t), ""});
        c.after.resolution.reset();
        c.after.followup_asked_at.reset();
        event_type = "reopened_by_customer";
      } else if (t.status == TicketStatus::kPending) {
        SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
      }
      break;
    case MessageKind::kSystem:
      event_type = "system_message_added";
      break;
  }
  if (message.chase && message.kind == MessageKind::kCustomer) {
    // The customer had to ask: counted on the ticket, and logged for the team's chase rate.
    ++c.after.chases;
    c.events.push_back(
        MakeEvent(c.after, "chase_received", who, now,
                  {{"chases", std::to_string(s.ticket.chases), std::to_string(c.after.chases)}}));
  } else {
    message.chase = false;  // Only a customer's message can be a chase.
  }
  if (message.kind == MessageKind::kCustomer && !c.after.waiting_since.has_value()) {
    c.after.waiting_since = now;  // Our move: the customer waits from now until we answer.
  } else if (message.kind == MessageKind::kReply) {
    c.after.waiting_since.reset();
    c.after.silence_raised_at.reset();
  }
  std::optional<NewPromise> promise = std::move(message.promise);
  const std::optional<PromiseId> keeps = message.keeps_promise;
  if ((promise || keeps) && message.kind != MessageKind::kReply) {
    return Status::InvalidArgument(promise ? "promise" : "keeps_promise",
                                   "only a reply to the customer can make or keep a promise");
  }
  message.author = who.actor();
  c.messages.push_back(std::move(message));
  c.events.push_back(MakeEvent(c.after, event_type, who, now, std::move(changes)));
  if (keeps) SF_RETURN_IF_ERROR(ApplyKeep(c, s, who, *keeps, 0, now));
  if (promise) {
    SF_ASSIGN_OR_RETURN(Promise p, MakePromise(c.after, who.id, *promise, now));
    Event made;
    made.ticket_id = c.after.id;
    made.type = "promise_made";
    made.actor = who.actor();
    made.at = now;
    made.changes = {{"due_at", "", FormatIso8601(p.due_at)}};
    made.note = p.text;
    c.events.push_back(std::move(made));
    c.promises.push_back(std::move(p));
  }
  return c;
}

Result<Change> EditTicket(const TicketState& s, const Principal& who, const TicketPatch& patch,
                          int64_t expected_version, Timestamp now) {
  const Ticket& t = s.ticket;
  if (expected_version != t.version) {
    return Status::Conflict("ticket was changed by someone else (version " +
                            std::to_string(t.version) + ", you sent " +
                            std::to_string(expected_version) + "); reload and retry");
  }
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  if (patch.subject.has_value() && *patch.subject != t.subject) {
    changes.push_back({"subject", t.subject, *patch.subject});
    c.after.subject = *patch.subject;
  }
  if (patch.priority.has_value() && *patch.priority != t.priority) {
    changes.push_back(
        {"priority", std::string(Name(t.priority)), std::string(Name(*patch.priority))});
    c.after.priority = *patch.priority;
  }
  if (patch.tags.has_value() && *patch.tags != t.tags) {
    changes.push_back({"tags", JoinTags(t.tags), JoinTags(*patch.tags)});
    c.after.tags = *patch.tags;
  }
  if (patch.team_id.has_value() && *patch.team_id != t.team_id) {
    changes.push_back({"team_id", IdText(t.team_id), IdText(*patch.team_id)});
    c.after.team_id = *patch.team_id;
  }
  if (patch.status.has_value() && *patch.status != t.status) {
    const TicketStatus to = *patch.status;
    const bool open_pending = (t.status == TicketStatus::kOpen && to == TicketStatus::kPending) ||
                              (t.status == TicketStatus::kPending && to == TicketStatus::kOpen);
    if (!open_pending) {
      return Status::Conflict(
          "status can only move between open and pending here; use resolve, reopen or a reply");
    }
    SF_RETURN_IF_ERROR(MoveTo(c, to, changes));
  }
  if (changes.empty()) {
    c.after = t;
    return c;
  }
  c.events.push_back(MakeEvent(c.after, "ticket_updated", who, now, std::move(changes)));
  return c;
}

Result<Change> ProposeHandoff(const TicketState& s, const Principal& who, AgentId to,
                              std::string_view note, Timestamp now) {
  const Ticket& t = s.ticket;
  const std::string_view trimmed = Trim(note);
  if (trimmed.empty()) {
    return Status::InvalidArgument("note", "is required: say what the next owner needs to know");
  }
  SF_RETURN_IF_ERROR(RequireOpenForWork(t, "hand off"));
  if (!t.owner_id.has_value()) {
    return Status::Conflict("nobody owns this ticket yet; take it or reassign it instead");
  }
  if (*t.owner_id == to) return Status::InvalidArgument("to_agent_id", "already owns this ticket");
  if (s.pending_handoff.has_value()) {
    return Status::Conflict("a handoff is already pending on this ticket");
  }
  Change c = BeginChange(s, now);
  Handoff h;
  h.ticket_id = t.id;
  h.from_agent_id = *t.owner_id;
  h.to_agent_id = to;
  h.note = std::string(trimmed);
  h.state = HandoffState::kProposed;
  h.created_at = now;
  c.handoff = h;
  c.events.push_back(MakeEvent(c.after, "handoff_proposed", who, now,
                               {{"to_agent_id", "", std::to_string(to)}}, h.note));
  return c;
}

Result<Change> AcceptHandoff(const TicketState& s, const Principal& who, HandoffId handoff_id,
                             Timestamp now) {
  SF_ASSIGN_OR_RETURN(Handoff h, PendingHandoff(s, handoff_id));
  SF_RETURN_IF_ERROR(RequireOpenForWork(s.ticket, "hand off"));
  Change c = BeginChange(s, now);
  h.state = HandoffState::kAccepted;
  h.answered_at = now;
  c.after.owner_id = h.to_agent_id;
  c.handoff = h;
  std::vector<FieldChange> changes{OwnerChange(s.ticket.owner_id, h.to_agent_id)};
  // An offered new ticket: owned now, so open.
  if (s.ticket.status == TicketStatus::kNew) {
    SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
  }
  c.events.push_back(MakeEvent(c.after, "handoff_accepted", who, now, std::move(changes), h.note));
  return c;
}

Result<Change> DeclineHandoff(const TicketState& s, const Principal& who, HandoffId handoff_id,
                              std::string_view reason, Timestamp now) {
  const std::string_view trimmed = Trim(reason);
  if (trimmed.empty()) {
    return Status::InvalidArgument("reason", "is required: say why, so the owner can find another");
  }
  SF_ASSIGN_OR_RETURN(Handoff h, PendingHandoff(s, handoff_id));
  Change c = BeginChange(s, now);
  h.state = HandoffState::kDeclined;
  h.decline_reason = std::string(trimmed);
  h.answered_at = now;
  c.handoff = h;
  c.events.push_back(MakeEvent(c.after, "handoff_declined", who, now,
                               {{"handoff_id", std::to_string(h.id), ""}}, h.decline_reason));
  return c;
}

Result<Change> Reassign(const TicketState& s, const Principal& who, AgentId to,
                        std::string_view note, Timestamp now) {
  const Ticket& t = s.ticket;
  const std::string_view trimmed = Trim(note);
  if (trimmed.empty()) {
    return Status::InvalidArgument("note", "is required: say what the next owner needs to know");
  }
  SF_RETURN_IF_ERROR(RequireOpenForWork(t, "reassign"));
  if (t.owner_id == to) return Status::InvalidArgument("agent_id", "already owns this ticket");
  Change c = BeginChange(s, now);
  WithdrawPendingHandoff(s, c, who, "ticket was reassigned", now);
  std::vector<FieldChange> changes{OwnerChange(t.owner_id, to)};
  c.after.owner_id = to;
  if (t.status == TicketStatus::kNew) SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
  c.events.push_back(
      MakeEvent(c.after, "reassigned", who, now, std::move(changes), std::string(trimmed)));
  return c;
}

Result<Change> TakeOwnership(const TicketState& s, const Principal& who, Timestamp now) {
  const Ticket& t = s.ticket;
  if (t.owner_id.has_value()) {
    return Status::Conflict("ticket already has an owner; ask for a handoff instead");
  }
  SF_RETURN_IF_ERROR(RequireOpenForWork(t, "take"));
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes{OwnerChange(std::nullopt, who.id)};
  c.after.owner_id = who.id;
  if (t.status == TicketStatus::kNew) SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
  c.events.push_back(MakeEvent(c.after, "owner_taken", who, now, std::move(changes)));
  return c;
}

Result<Change> Resolve(const TicketState& s, const Principal& who, const ResolutionInput& input,
                       Timestamp now) {
  const Ticket& t = s.ticket;
  SF_RETURN_IF_ERROR(RequireOpenForWork(t, "resolve"));
  Resolution r;
  r.outcome = input.outcome;
  r.statement = std::string(Trim(input.statement));
  r.resolved_by = who.id;
  r.resolved_at = now;
  for (const auto& alt : input.alternatives) {
    const std::string_view a = Trim(alt);
    if (a.empty()) return Status::InvalidArgument("alternatives", "an alternative cannot be empty");
    r.alternatives.emplace_back(a);
  }
  switch (input.outcome) {
    case Outcome::kCannotDo:
      if (r.statement.empty()) {
        return Status::InvalidArgument(
            "statement", "is required for cannot_do: state the limit plainly for the customer");
      }
      break;
    case Outcome::kDuplicate:
      if (!input.duplicate_of.has_value()) {
        return Status::InvalidArgument("duplicate_of",
                                       "is required for duplicate: the ticket that continues");
      }
      if (*input.duplicate_of == t.id) {
        return Status::InvalidArgument("duplicate_of", "cannot be the ticket itself");
      }
      r.duplicate_of = input.duplicate_of;
      break;
    default:
      break;
  }
  if (input.outcome != Outcome::kCannotDo && !r.alternatives.empty()) {
    return Status::InvalidArgument("alternatives", "only apply to cannot_do");
  }
  if (input.outcome != Outcome::kDuplicate && input.duplicate_of.has_value()) {
    return Status::InvalidArgument("duplicate_of", "only applies to the duplicate outcome");
  }
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  if (!t.owner_id.has_value() && who.is_agent()) {
    c.after.owner_id = who.id;
    changes.push_back(OwnerChange(std::nullopt, who.id));
  }
  SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kResolved, changes));
  WithdrawPendingHandoff(s, c, who, "ticket was resolved", now);
  changes.push_back({"outcome", "", std::string(Name(r.outcome))});
  c.after.resolution = r;
  c.after.followup_asked_at.reset();
  c.events.push_back(MakeEvent(c.after, "resolved", who, now, std::move(changes), r.statement));
  NewMessage notice;
  notice.kind = MessageKind::kSystem;
  notice.body = OutcomeNotice(c.after);
  notice.auto_email_to = input.notify_email;
  c.messages.push_back(std::move(notice));
  return c;
}

Result<Change> Reopen(const TicketState& s, const Principal& who, Timestamp now) {
  const Ticket& t = s.ticket;
  if (t.status != TicketStatus::kResolved) {
    return Status::Conflict("only a resolved ticket can be reopened; this one is " +
                            std::string(Name(t.status)));
  }
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kOpen, changes));
  changes.push_back({"outcome", OutcomeText(t), ""});
  c.after.resolution.reset();
  c.after.followup_asked_at.reset();
  c.events.push_back(MakeEvent(c.after, "reopened", who, now, std::move(changes)));
  return c;
}

Result<Change> Close(const TicketState& s, const Principal& who, Timestamp now) {
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  if (s.ticket.status != TicketStatus::kResolved) {
    return Status::Conflict("only a resolved ticket can be closed");
  }
  SF_RETURN_IF_ERROR(MoveTo(c, TicketStatus::kClosed, changes));
  c.events.push_back(MakeEvent(c.after, "closed", who, now, std::move(changes)));
  return c;
}

Change CreateTicket(Ticket t, NewMessage first_message, const Principal& who, Timestamp now) {
  t.status = TicketStatus::kNew;
  t.version = 1;
  t.created_at = now;
  t.updated_at = now;
  t.waiting_since = now;
  first_message.author = who.actor();
  Change c;
  c.after = std::move(t);
  c.messages.push_back(std::move(first_message));
  std::vector<FieldChange> changes{{"status", "", "new"},
                                   {"priority", "", std::string(Name(c.after.priority))}};
  c.events.push_back(MakeEvent(c.after, "ticket_created", who, now, std::move(changes)));
  return c;
}

}  // namespace steadfast::domain
