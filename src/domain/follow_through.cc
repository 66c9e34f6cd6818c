#include "domain/follow_through.h"

#include <algorithm>
#include <string>

#include "common/check.h"
#include "common/text.h"

namespace steadfast::domain {
namespace {

constexpr int64_t kYearMillis = 366LL * 24 * 3600 * 1000;

Status CheckDue(Timestamp due, Timestamp now, std::string_view field) {
  if (due <= now) return Status::InvalidArgument(std::string(field), "must be in the future");
  if (due.millis - now.millis > kYearMillis) {
    return Status::InvalidArgument(std::string(field), "must be within a year");
  }
  return Status::Ok();
}

const Promise* FindOwed(const TicketState& s, PromiseId id) {
  auto it = std::find_if(s.promises.begin(), s.promises.end(),
                         [&](const Promise& p) { return p.id == id; });
  return it == s.promises.end() ? nullptr : &*it;
}

Result<Promise> Owed(const TicketState& s, PromiseId id) {
  const Promise* p = FindOwed(s, id);
  if (p == nullptr) {
    return Status::NotFound("promise " + std::to_string(id) + " is not owed on ticket " +
                            std::to_string(s.ticket.id));
  }
  return *p;
}

Event PromiseEvent(const Ticket& t, std::string type, const Actor& actor, const Promise& p,
                   Timestamp now, std::vector<FieldChange> changes = {}) {
  Event e;
  e.ticket_id = t.id;
  e.type = std::move(type);
  e.actor = actor;
  e.at = now;
  e.changes = std::move(changes);
  e.changes.insert(e.changes.begin(), FieldChange{"promise_id", "", std::to_string(p.id)});
  e.note = p.text;
  return e;
}

}  // namespace

Result<Promise> MakePromise(const Ticket& t, AgentId owner, const NewPromise& in, Timestamp now) {
  const std::string_view text = Trim(in.text);
  if (text.empty() || text.size() > 200 || !IsSingleLine(text) || HasControlChars(text)) {
    return Status::InvalidArgument("promise.text", "must be 1-200 characters on one line");
  }
  SF_RETURN_IF_ERROR(CheckDue(in.due_at, now, "promise.due_at"));
  Promise p;
  p.ticket_id = t.id;
  p.owner_id = owner;
  p.text = std::string(text);
  p.due_at = in.due_at;
  p.created_at = now;
  return p;
}

Status ApplyKeep(Change& c, const TicketState& s, const Principal& who, PromiseId id, MessageId by,
                 Timestamp now) {
  SF_ASSIGN_OR_RETURN(Promise p, Owed(s, id));
  const bool late = p.state == PromiseState::kBroken || now > p.due_at;
  p.state = PromiseState::kKept;
  p.kept_by = by;
  p.missed = p.missed || late;
  p.settled_at = now;
  c.events.push_back(PromiseEvent(c.after, late ? "promise_kept_late" : "promise_kept", who.actor(),
                                  p, now, {{"promise_state", "open", "kept"}}));
  c.promises.push_back(std::move(p));
  return Status::Ok();
}

Result<Change> KeepPromise(const TicketState& s, const Principal& who, PromiseId id, MessageId by,
                           Timestamp now) {
  Change c = BeginChange(s, now);
  SF_RETURN_IF_ERROR(ApplyKeep(c, s, who, id, by, now));
  return c;
}

Result<Change> RenegotiatePromise(const TicketState& s, const Principal& who, PromiseId id,
                                  Timestamp new_due, MessageId told_in, Timestamp now) {
  SF_ASSIGN_OR_RETURN(Promise p, Owed(s, id));
  SF_RETURN_IF_ERROR(CheckDue(new_due, now, "due_at"));
  Change c = BeginChange(s, now);
  const std::string before = FormatIso8601(p.due_at);
  p.missed = p.missed || p.state == PromiseState::kBroken;
  p.state = PromiseState::kOpen;
  p.due_at = new_due;
  p.reminded_at.reset();
  ++p.renegotiations;
  c.events.push_back(PromiseEvent(c.after, "promise_renegotiated", who.actor(), p, now,
                                  {{"due_at", before, FormatIso8601(new_due)},
                                   {"told_in_message", "", std::to_string(told_in)}}));
  c.promises.push_back(std::move(p));
  return c;
}

Result<Change> RemindPromise(const TicketState& s, PromiseId id, Timestamp now) {
  Change c = BeginChange(s, now);
  const Promise* owed = FindOwed(s, id);
  if (owed == nullptr || owed->state != PromiseState::kOpen || owed->reminded_at.has_value()) {
    return c;  // Kept, broken or reminded already: nothing to do.
  }
  Promise p = *owed;
  p.reminded_at = now;
  c.events.push_back(PromiseEvent(c.after, "promise_due_soon", Actor{}, p, now,
                                  {{"due_at", "", FormatIso8601(p.due_at)}}));
  c.promises.push_back(std::move(p));
  return c;
}

Result<Change> BreakPromise(const TicketState& s, PromiseId id, Timestamp now) {
  Change c = BeginChange(s, now);
  const Promise* owed = FindOwed(s, id);
  if (owed == nullptr || owed->state != PromiseState::kOpen || now < owed->due_at) {
    return c;  // Kept, renegotiated or already broken: nothing to do.
  }
  Promise p = *owed;
  p.state = PromiseState::kBroken;
  p.missed = true;
  NewMessage note;
  note.kind = MessageKind::kNote;
  note.author = Actor{};
  note.body = "A promise was missed: \"" + p.text + "\" was due " + FormatIso8601(p.due_at) +
              ". Write to the customer now: say where it stands and when they will hear next, "
              "then renegotiate the promise with that reply.";
  c.messages.push_back(std::move(note));
  c.events.push_back(PromiseEvent(c.after, "promise_broken", Actor{}, p, now,
                                  {{"promise_state", "open", "broken"}}));
  c.promises.push_back(std::move(p));
  return c;
}

std::string OutcomeNotice(const Ticket& t) {
  SF_CHECK(t.resolution.has_value());
  const Resolution& r = *t.resolution;
  const std::string number = "#" + std::to_string(t.number);
  std::string text;
  switch (r.outcome) {
    case Outcome::kSolved:
      text = "We have marked " + number + " \"" + t.subject + "\" as solved.";
      break;
    case Outcome::kWorkaround:
      text = number + " \"" + t.subject + "\" is solved with a workaround.";
      break;
    case Outcome::kCannotDo:
      text = "We cannot do what you asked in " + number + " \"" + t.subject + "\".";
      break;
    case Outcome::kDuplicate:
      text = number + " \"" + t.subject + "\" continues in #" +
             std::to_string(r.duplicate_of.value_or(0)) + "; we will answer you there.";
      break;
    case Outcome::kWithdrawn:
      text = number + " \"" + t.subject + "\" is closed as withdrawn.";
      break;
  }
  if (!r.statement.empty()) text += "\n\n" + r.statement;
  if (!r.alternatives.empty()) {
    text += "\n\nWhat you can do instead:";
    for (const std::string& a : r.alternatives) text += "\n- " + a;
  }
  if (r.outcome == Outcome::kSolved || r.outcome == Outcome::kWorkaround) {
    text += "\n\nIf it is not solved for you, reply to this email and it opens again.";
  }
  return text;
}

namespace {

bool AsksFollowUp(const Ticket& t) {
  return t.status == TicketStatus::kResolved && t.resolution.has_value() &&
         (t.resolution->outcome == Outcome::kSolved ||
          t.resolution->outcome == Outcome::kWorkaround);
}

Event SystemEvent(const Ticket& t, std::string type, Timestamp now,
                  std::vector<FieldChange> changes = {}) {
  Event e;
  e.ticket_id = t.id;
  e.type = std::move(type);
  e.at = now;
  e.changes = std::move(changes);
  return e;
}

}  // namespace

Result<Change> OfferTicket(const TicketState& s, AgentId to, std::string note, Timestamp now) {
  Change c = BeginChange(s, now);
  const Ticket& t = s.ticket;
  if (t.status != TicketStatus::kNew || t.owner_id.has_value() || s.pending_handoff.has_value()) {
    return c;  // Someone took it, or it is already offered.
  }
  Handoff h;
  h.ticket_id = t.id;
  h.from_agent_id = 0;  // The system.
  h.to_agent_id = to;
  h.note = std::move(note);
  h.state = HandoffState::kProposed;
  h.created_at = now;
  c.events.push_back(
      SystemEvent(c.after, "offered", now, {{"to_agent_id", "", std::to_string(to)}}));
  c.events.back().note = h.note;
  c.handoff = std::move(h);
  return c;
}

Result<Change> ExpireOffer(const TicketState& s, Timestamp offered_before, Timestamp now) {
  Change c = BeginChange(s, now);
  if (!s.pending_handoff.has_value() || s.pending_handoff->from_agent_id != 0 ||
      s.pending_handoff->created_at > offered_before) {
    return c;
  }
  Handoff h = *s.pending_handoff;
  h.state = HandoffState::kDeclined;
  h.decline_reason = "not answered in time";
  h.answered_at = now;
  c.events.push_back(SystemEvent(c.after, "offer_expired", now,
                                 {{"to_agent_id", std::to_string(h.to_agent_id), ""}}));
  c.handoff = std::move(h);
  return c;
}

Result<Change> AskFollowUp(const TicketState& s, const std::string& email_to,
                           const std::string& yes_url, const std::string& no_url, Timestamp now) {
  Change c = BeginChange(s, now);
  if (!AsksFollowUp(s.ticket) || s.ticket.followup_asked_at.has_value()) return c;
  c.after.followup_asked_at = now;
  NewMessage m;
  m.kind = MessageKind::kSystem;
  m.auto_email_to = email_to;
  m.body = "Did #" + std::to_string(s.ticket.number) + " \"" + s.ticket.subject +
           "\" stay solved?\n\nYes, it did: " + yes_url + "\nNo, it came back: " + no_url +
           "\n\nOne click is all it takes; no sign-in needed.";
  c.messages.push_back(std::move(m));
  c.events.push_back(SystemEvent(c.after, "followup_asked", now));
  return c;
}

Result<Change> AnswerFollowUp(const TicketState& s, bool stayed_solved, Timestamp now) {
  const Ticket& t = s.ticket;
  if (!AsksFollowUp(t) || !t.followup_asked_at.has_value()) {
    return Status::Conflict("this ticket no longer waits for that answer");
  }
  Change c = BeginChange(s, now);
  std::vector<FieldChange> changes;
  if (stayed_solved) {
    c.after.status = TicketStatus::kClosed;
    changes.push_back({"status", "resolved", "closed"});
    c.events.push_back(SystemEvent(c.after, "followup_stayed_solved", now, std::move(changes)));
    return c;
  }
  // Back to the same owner, at the top of their queue.
  SF_RETURN_IF_ERROR(CheckTransition(t.status, TicketStatus::kOpen));
  c.after.status = TicketStatus::kOpen;
  changes.push_back({"status", "resolved", "open"});
  changes.push_back({"outcome", std::string(Name(t.resolution->outcome)), ""});
  c.after.resolution.reset();
  c.after.followup_asked_at.reset();
  if (t.priority != Priority::kUrgent) {
    changes.push_back({"priority", std::string(Name(t.priority)), "urgent"});
    c.after.priority = Priority::kUrgent;
  }
  c.after.waiting_since = now;
  c.after.silence_raised_at.reset();
  NewMessage m;
  m.kind = MessageKind::kSystem;
  m.body = "The customer says it did not stay solved: the ticket is open again, at the top of " +
           std::string(t.owner_id ? "its owner's" : "the") + " queue.";
  c.messages.push_back(std::move(m));
  c.events.push_back(SystemEvent(c.after, "followup_came_back", now, std::move(changes)));
  return c;
}

Result<Change> CloseResolved(const TicketState& s, Timestamp now) {
  Change c = BeginChange(s, now);
  if (s.ticket.status != TicketStatus::kResolved) return c;
  c.after.status = TicketStatus::kClosed;
  c.events.push_back(SystemEvent(
      c.after, s.ticket.followup_asked_at ? "closed_without_answer" : "closed_after_outcome", now,
      {{"status", "resolved", "closed"}}));
  return c;
}

Result<Change> RaiseSilence(const TicketState& s, Timestamp now) {
  Change c = BeginChange(s, now);
  const Ticket& t = s.ticket;
  if (!t.waiting_since.has_value() || t.silence_raised_at.has_value() ||
      (t.status != TicketStatus::kNew && t.status != TicketStatus::kOpen)) {
    return c;
  }
  c.after.silence_raised_at = now;
  const int64_t hours = (now.millis - t.waiting_since->millis) / (3600 * 1000);
  NewMessage note;
  note.kind = MessageKind::kNote;
  note.body = "The customer has waited " +
              (hours >= 1 ? std::to_string(hours) + (hours == 1 ? " hour" : " hours")
                          : std::string("less than an hour")) +
              " with no word from us. Write to them now, even if only to say where it stands "
              "and when they will hear next.";
  c.messages.push_back(std::move(note));
  Event e;
  e.ticket_id = t.id;
  e.type = "silence_raised";
  e.at = now;
  e.changes = {{"waiting_since", "", FormatIso8601(*t.waiting_since)}};
  c.events.push_back(std::move(e));
  return c;
}

}  // namespace steadfast::domain
