#include "domain/follow_through.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace steadfast::domain {
namespace {

constexpr TicketId kTicketId = 7;
constexpr AgentId kOwnerId = 10;
constexpr PromiseId kPromiseId = 4;
constexpr int64_t kHour = 3600 * 1000;
constexpr Timestamp kNow{1'893'459'600'000};

Principal Owner() { return Principal{Actor::Kind::kAgent, kOwnerId, Role::kAgent, {}, false}; }

TicketState Open() {
  TicketState s;
  s.ticket.id = kTicketId;
  s.ticket.status = TicketStatus::kOpen;
  s.ticket.owner_id = kOwnerId;
  s.ticket.version = 3;
  return s;
}

// A ticket that owes one promise due in `due_in` ms from kNow.
TicketState Owing(int64_t due_in, PromiseState state = PromiseState::kOpen) {
  TicketState s = Open();
  Promise p;
  p.id = kPromiseId;
  p.ticket_id = kTicketId;
  p.owner_id = kOwnerId;
  p.text = "send the refund confirmation";
  p.due_at = Timestamp{kNow.millis + due_in};
  p.state = state;
  p.message_id = 50;
  s.promises.push_back(p);
  return s;
}

NewMessage Reply(std::string body) {
  NewMessage m;
  m.kind = MessageKind::kReply;
  m.body = std::move(body);
  return m;
}

TEST(PromiseRules, AReplyMakesAPromiseOwnedByItsAuthor) {
  NewMessage m = Reply("I will check with billing.");
  m.promise = NewPromise{"  confirm the refund  ", Timestamp{kNow.millis + 4 * kHour}};
  auto c = AddMessage(Open(), Owner(), m, false, kNow);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->promises.size(), 1u);
  const Promise& p = c->promises[0];
  EXPECT_EQ(p.id, 0);
  EXPECT_EQ(p.message_id, 0);  // The reply in this change.
  EXPECT_EQ(p.owner_id, kOwnerId);
  EXPECT_EQ(p.text, "confirm the refund");
  EXPECT_EQ(p.state, PromiseState::kOpen);
  EXPECT_EQ(c->events.back().type, "promise_made");
}

TEST(PromiseRules, BadPromisesAreRefusedNamingTheField) {
  const auto with = [](NewPromise p, MessageKind kind = MessageKind::kReply) {
    NewMessage m = Reply("text");
    m.kind = kind;
    m.promise = std::move(p);
    return AddMessage(Open(), Owner(), m, false, kNow).status();
  };
  const Timestamp later{kNow.millis + kHour};
  EXPECT_EQ(with({"", later}).field(), "promise.text");
  EXPECT_EQ(with({std::string(201, 'x'), later}).field(), "promise.text");
  EXPECT_EQ(with({"two\nlines", later}).field(), "promise.text");
  EXPECT_EQ(with({"call back", kNow}).field(), "promise.due_at");
  EXPECT_EQ(with({"call back", Timestamp{kNow.millis - 1}}).field(), "promise.due_at");
  EXPECT_EQ(with({"call back", Timestamp{kNow.millis + 400 * 24 * kHour}}).field(),
            "promise.due_at");
  EXPECT_EQ(with({"call back", later}, MessageKind::kNote).field(), "promise");
}

TEST(PromiseRules, AReplyThatSaysSoKeepsThePromise) {
  NewMessage m = Reply("The refund went out today.");
  m.keeps_promise = kPromiseId;
  auto c = AddMessage(Owing(kHour), Owner(), m, false, kNow);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->promises.size(), 1u);
  EXPECT_EQ(c->promises[0].state, PromiseState::kKept);
  EXPECT_EQ(c->promises[0].kept_by, MessageId{0});
  EXPECT_FALSE(c->promises[0].missed);
  EXPECT_EQ(c->events.back().type, "promise_kept");
}

TEST(PromiseRules, KeepingAfterTheDueTimeIsKeptLate) {
  auto c = KeepPromise(Owing(-kHour, PromiseState::kBroken), Owner(), kPromiseId, 60, kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->promises[0].state, PromiseState::kKept);
  EXPECT_EQ(c->promises[0].kept_by, MessageId{60});
  EXPECT_TRUE(c->promises[0].missed);
  EXPECT_EQ(c->events.back().type, "promise_kept_late");
}

TEST(PromiseRules, OnlyAnOwedPromiseOfThisTicketCanBeKept) {
  NewMessage m = Reply("done");
  m.keeps_promise = 999;
  EXPECT_EQ(AddMessage(Owing(kHour), Owner(), m, false, kNow).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(KeepPromise(Open(), Owner(), kPromiseId, 60, kNow).status().code(),
            StatusCode::kNotFound);
}

TEST(PromiseRules, RenegotiatingMovesTheDateAndABrokenPromiseIsOwedAgainButStaysMissed) {
  const Timestamp new_due{kNow.millis + 24 * kHour};
  auto c = RenegotiatePromise(Owing(-kHour, PromiseState::kBroken), Owner(), kPromiseId, new_due,
                              61, kNow);
  ASSERT_TRUE(c.ok());
  const Promise& p = c->promises[0];
  EXPECT_EQ(p.state, PromiseState::kOpen);
  EXPECT_EQ(p.due_at, new_due);
  EXPECT_TRUE(p.missed);
  EXPECT_EQ(p.renegotiations, 1);
  EXPECT_EQ(c->events.back().type, "promise_renegotiated");
  EXPECT_EQ(RenegotiatePromise(Owing(kHour), Owner(), kPromiseId, kNow, 61, kNow).status().field(),
            "due_at");
}

TEST(PromiseRules, TheEngineBreaksADuePromiseOnceAndPromptsTheOwner) {
  auto early = BreakPromise(Owing(kHour), kPromiseId, kNow);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->events.empty());  // Not due yet: nothing.

  auto c = BreakPromise(Owing(0), kPromiseId, kNow);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->promises.size(), 1u);
  EXPECT_EQ(c->promises[0].state, PromiseState::kBroken);
  EXPECT_TRUE(c->promises[0].missed);
  ASSERT_EQ(c->messages.size(), 1u);
  EXPECT_EQ(c->messages[0].kind, MessageKind::kNote);  // For the team, not the customer.
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("Write to the customer now"));
  EXPECT_EQ(c->events.back().type, "promise_broken");

  // Acting on it again (another node, a retry) changes nothing.
  auto again = BreakPromise(Owing(0, PromiseState::kBroken), kPromiseId, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
}

TEST(PromiseRules, TheOwnerIsRemindedOnce) {
  auto c = RemindPromise(Owing(kHour), kPromiseId, kNow);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->promises.size(), 1u);
  EXPECT_EQ(c->promises[0].reminded_at, kNow);
  EXPECT_EQ(c->events.back().type, "promise_due_soon");

  TicketState reminded = Owing(kHour);
  reminded.promises[0].reminded_at = kNow;
  auto again = RemindPromise(reminded, kPromiseId, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
}

TEST(Silence, TheCustomerWaitsFromTheirMessageUntilOurReply) {
  TicketState s = Open();
  NewMessage customer;
  customer.kind = MessageKind::kCustomer;
  customer.body = "Hello?";
  const Principal pat{Actor::Kind::kCustomer, 100, Role::kAgent, {}, false};
  auto asked = AddMessage(s, pat, customer, false, kNow);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->after.waiting_since, kNow);

  // A second message does not restart the wait.
  s.ticket = asked->after;
  auto again = AddMessage(s, pat, customer, false, Timestamp{kNow.millis + kHour});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->after.waiting_since, kNow);

  // A note is not word to the customer; a reply is.
  s.ticket = again->after;
  NewMessage note;
  note.kind = MessageKind::kNote;
  note.body = "checking";
  EXPECT_EQ(AddMessage(s, Owner(), note, false, kNow)->after.waiting_since, kNow);
  auto answered = AddMessage(s, Owner(), Reply("Here is where it stands."), false, kNow);
  ASSERT_TRUE(answered.ok());
  EXPECT_FALSE(answered->after.waiting_since.has_value());
}

TEST(Chases, ACustomerChaseIsCountedOnTheTicketWithAnEvent) {
  NewMessage m;
  m.kind = MessageKind::kCustomer;
  m.body = "any update??";
  m.chase = true;
  const Principal pat{Actor::Kind::kCustomer, 100, Role::kAgent, {}, false};
  auto c = AddMessage(Open(), pat, m, false, kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->after.chases, 1);
  EXPECT_TRUE(c->messages[0].chase);
  std::vector<std::string> types;
  for (const Event& e : c->events) types.push_back(e.type);
  EXPECT_THAT(types, ::testing::Contains("chase_received"));

  // Only a customer's message can be one.
  NewMessage note = Reply("any update??");
  note.kind = MessageKind::kNote;
  note.chase = true;
  auto n = AddMessage(Open(), Owner(), note, false, kNow);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->after.chases, 0);
  EXPECT_FALSE(n->messages[0].chase);
}

TicketState Resolved(Outcome outcome) {
  TicketState s = Open();
  s.ticket.number = 1007;
  s.ticket.subject = "Refund";
  ResolutionInput in;
  in.outcome = outcome;
  in.statement = outcome == Outcome::kCannotDo ? "Refunds after 90 days are not possible." : "";
  in.notify_email = "pat@example.com";
  auto c = Resolve(s, Owner(), in, kNow);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  s.ticket = c->after;
  return s;
}

TEST(FollowUp, ResolvingTellsTheCustomerTheOutcomeByEmail) {
  TicketState s = Open();
  s.ticket.number = 1007;
  s.ticket.subject = "Refund";
  ResolutionInput in;
  in.outcome = Outcome::kCannotDo;
  in.statement = "Refunds after 90 days are not possible.";
  in.alternatives = {"Store credit"};
  in.notify_email = "pat@example.com";
  auto c = Resolve(s, Owner(), in, kNow);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->messages.size(), 1u);
  EXPECT_EQ(c->messages[0].kind, MessageKind::kSystem);
  EXPECT_EQ(c->messages[0].auto_email_to, "pat@example.com");
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("We cannot do what you asked in #1007"));
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("Refunds after 90 days"));
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("- Store credit"));
}

TEST(FollowUp, ASolvedTicketIsAskedOnceWithTwoLinks) {
  const TicketState s = Resolved(Outcome::kSolved);
  auto c = AskFollowUp(s, "pat@example.com", "https://h/yes", "https://h/no", kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->after.followup_asked_at, kNow);
  ASSERT_EQ(c->messages.size(), 1u);
  EXPECT_EQ(c->messages[0].auto_email_to, "pat@example.com");
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("https://h/yes"));
  EXPECT_THAT(c->messages[0].body, ::testing::HasSubstr("https://h/no"));
  TicketState asked = s;
  asked.ticket = c->after;
  EXPECT_TRUE(AskFollowUp(asked, "pat@example.com", "y", "n", kNow)->events.empty());  // Once.
  // cannot_do asks nothing: the statement is what the customer keeps.
  EXPECT_TRUE(
      AskFollowUp(Resolved(Outcome::kCannotDo), "pat@example.com", "y", "n", kNow)->events.empty());
}

TEST(FollowUp, NoReopensToTheSameOwnerAtTopPriorityAndYesCloses) {
  TicketState s = Resolved(Outcome::kWorkaround);
  s.ticket = AskFollowUp(s, "pat@example.com", "y", "n", kNow)->after;

  auto no = AnswerFollowUp(s, false, kNow);
  ASSERT_TRUE(no.ok());
  EXPECT_EQ(no->after.status, TicketStatus::kOpen);
  EXPECT_EQ(no->after.owner_id, kOwnerId);
  EXPECT_EQ(no->after.priority, Priority::kUrgent);
  EXPECT_FALSE(no->after.resolution.has_value());
  EXPECT_EQ(no->after.waiting_since, kNow);
  EXPECT_EQ(no->events.back().type, "followup_came_back");

  auto yes = AnswerFollowUp(s, true, kNow);
  ASSERT_TRUE(yes.ok());
  EXPECT_EQ(yes->after.status, TicketStatus::kClosed);

  // Not asked (or answered already): nothing to answer.
  EXPECT_EQ(AnswerFollowUp(Resolved(Outcome::kSolved), true, kNow).status().code(),
            StatusCode::kConflict);
  TicketState reopened = s;
  reopened.ticket = no->after;
  EXPECT_EQ(AnswerFollowUp(reopened, true, kNow).status().code(), StatusCode::kConflict);
}

TEST(FollowUp, CloseResolvedClosesOnlyResolvedTickets) {
  auto c = CloseResolved(Resolved(Outcome::kCannotDo), kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->after.status, TicketStatus::kClosed);
  EXPECT_EQ(c->events.back().type, "closed_after_outcome");
  EXPECT_TRUE(CloseResolved(Open(), kNow)->events.empty());
}

TEST(Silence, ALongWaitIsRaisedOncePerWait) {
  TicketState s = Open();
  s.ticket.waiting_since = Timestamp{kNow.millis - 25 * kHour};
  auto raised = RaiseSilence(s, kNow);
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->after.silence_raised_at, kNow);
  ASSERT_EQ(raised->messages.size(), 1u);
  EXPECT_EQ(raised->messages[0].kind, MessageKind::kNote);
  EXPECT_THAT(raised->messages[0].body, ::testing::HasSubstr("waited 25 hours"));
  EXPECT_EQ(raised->events.back().type, "silence_raised");

  s.ticket = raised->after;
  EXPECT_TRUE(RaiseSilence(s, kNow)->events.empty());  // Once.

  TicketState pending = Open();
  pending.ticket.status = TicketStatus::kPending;
  EXPECT_TRUE(RaiseSilence(pending, kNow)->events.empty());  // Nobody waits for us.
}

TEST(Silence, PendingAndResolvingEndTheWait) {
  TicketState s = Open();
  s.ticket.waiting_since = kNow;
  s.ticket.silence_raised_at = kNow;
  auto pending = AddMessage(s, Owner(), Reply("Can you send a photo?"), true, kNow);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(pending->after.waiting_since.has_value());
  EXPECT_FALSE(pending->after.silence_raised_at.has_value());
  ResolutionInput solved;
  solved.outcome = Outcome::kSolved;
  auto resolved = Resolve(s, Owner(), solved, kNow);
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->after.waiting_since.has_value());
}

}  // namespace
}  // namespace steadfast::domain
