// The time engine over a real SQLite store, with a fake clock.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "domain/ticket_rules.h"
#include "engine/followup_links.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::engine {
namespace {

using namespace std::chrono_literals;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::sqlite::SqliteOptions o;
    o.path = dir_.path() + "/steadfast.db";
    store_ = storage::sqlite::SqliteStore::Open(o, clock_).value();
    bo_ = store_->CreateAgent({"Bo", "bo@help.example", domain::Role::kAgent, "x", {}}).value();
    domain::NewTicket t;
    t.subject = "Refund";
    t.body = "Where is my refund?";
    ticket_ = store_
                  ->CreateTicket(t, storage::CustomerRef{"pat@example.com", "Pat"},
                                 domain::Principal::System())
                  .value()
                  .state.ticket.id;
    engine_ = std::make_unique<Engine>(*store_, clock_, EngineOptions{});
  }

  // Bo replies, promising `text` due `in` from now; keeping `keeps` if given.
  void Reply(std::string text, std::chrono::milliseconds in,
             std::optional<domain::PromiseId> keeps = std::nullopt) {
    auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = domain::MessageKind::kReply;
      m.body = "On it.";
      if (!text.empty()) {
        m.promise = domain::NewPromise{text, Timestamp{clock_.Now().millis + in.count()}};
      }
      m.keeps_promise = keeps;
      return domain::AddMessage(s, domain::Principal::ForAgent(bo_), m, false, clock_.Now());
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  std::vector<domain::Promise> Promises(domain::PromiseState state) {
    storage::PromiseQuery q;
    q.state = state;
    return store_->ListPromises(q).value();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  domain::Agent bo_;
  domain::TicketId ticket_ = 0;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, APromiseIsRemindedBeforeItIsDueThenBrokenOnceWhenMissed) {
  Reply("confirm the refund", 3h);
  EXPECT_EQ(engine_->RunOnce().reminded, 0);

  clock_.Advance(2h + 1min);  // Inside the hour before it is due.
  PassStats pass = engine_->RunOnce();
  EXPECT_EQ(pass.reminded, 1);
  EXPECT_EQ(pass.broken, 0);
  EXPECT_EQ(engine_->RunOnce().reminded, 0);  // Once.

  clock_.Advance(1h);
  pass = engine_->RunOnce();
  EXPECT_EQ(pass.broken, 1);
  EXPECT_EQ(pass.failed, 0);
  EXPECT_EQ(engine_->RunOnce().broken, 0);  // Once.
  ASSERT_EQ(Promises(domain::PromiseState::kBroken).size(), 1u);

  // The owner is told on the ticket, privately, to write to the customer.
  const auto messages = store_->ListMessages(ticket_, true).value();
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.back().kind, domain::MessageKind::kNote);
  EXPECT_NE(messages.back().body.find("Write to the customer now"), std::string::npos);
}

TEST_F(EngineTest, AKeptPromiseIsNeverRemindedOrBroken) {
  Reply("call back", 30min);
  const domain::PromiseId id = Promises(domain::PromiseState::kOpen).at(0).id;
  clock_.Advance(10min);
  Reply("", 0ms, id);
  clock_.Advance(1h);
  const PassStats pass = engine_->RunOnce();
  EXPECT_EQ(pass.reminded + pass.broken + pass.failed, 0);
  EXPECT_EQ(Promises(domain::PromiseState::kKept).size(), 1u);
}

TEST_F(EngineTest, APromiseAlreadyPastDueIsBrokenNotReminded) {
  Reply("send the label", 10min);
  clock_.Advance(1h);
  const PassStats pass = engine_->RunOnce();
  EXPECT_EQ(pass.broken, 1);
  EXPECT_EQ(pass.reminded, 0);
}

TEST_F(EngineTest, ACustomerWaitingPastTheThresholdIsRaisedOncePerWait) {
  // The ticket was opened by the customer (normal priority: 24 hours).
  clock_.Advance(23h);
  EXPECT_EQ(engine_->RunOnce().silent, 0);
  clock_.Advance(2h);
  EXPECT_EQ(engine_->RunOnce().silent, 1);
  EXPECT_EQ(engine_->RunOnce().silent, 0);
  const auto messages = store_->ListMessages(ticket_, true).value();
  EXPECT_EQ(messages.back().kind, domain::MessageKind::kNote);
  EXPECT_NE(messages.back().body.find("waited 25 hours"), std::string::npos);

  // Our reply ends the wait; the customer's next message starts a new one.
  Reply("", 0ms);
  clock_.Advance(30h);
  EXPECT_EQ(engine_->RunOnce().silent, 0);
  auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
    domain::NewMessage m;
    m.kind = domain::MessageKind::kCustomer;
    m.body = "Any news?";
    const domain::Customer pat = store_->GetCustomer(s.ticket.customer_id).value();
    return domain::AddMessage(s, domain::Principal::ForCustomer(pat, false), m, false,
                              clock_.Now());
  });
  ASSERT_TRUE(w.ok());
  clock_.Advance(25h);
  EXPECT_EQ(engine_->RunOnce().silent, 1);
}

TEST_F(EngineTest, UrgentTicketsAreRaisedSooner) {
  auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
    domain::TicketPatch patch;
    patch.priority = domain::Priority::kUrgent;
    return domain::EditTicket(s, domain::Principal::ForAgent(bo_), patch, s.ticket.version,
                              clock_.Now());
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  clock_.Advance(61min);
  EXPECT_EQ(engine_->RunOnce().silent, 1);
}

TEST_F(EngineTest, ASolvedTicketIsAskedAfterThreeDaysAndClosedAWeekLaterWithoutAnAnswer) {
  auto resolve = [&](domain::Outcome outcome) {
    auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
      domain::ResolutionInput in;
      in.outcome = outcome;
      in.statement = "It cannot be done.";
      in.notify_email = "pat@example.com";
      return domain::Resolve(s, domain::Principal::ForAgent(bo_), in, clock_.Now());
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  };
  resolve(domain::Outcome::kSolved);
  clock_.Advance(71h);
  EXPECT_EQ(engine_->RunOnce().asked, 0);
  clock_.Advance(2h);
  EXPECT_EQ(engine_->RunOnce().asked, 1);
  EXPECT_EQ(engine_->RunOnce().asked, 0);  // Once.
  const domain::Ticket asked = store_->GetTicket(ticket_).value().ticket;
  ASSERT_TRUE(asked.followup_asked_at.has_value());
  // The question went out by email with a link that carries a token for this very question.
  const auto messages = store_->ListMessages(ticket_, false).value();
  const std::string token = MakeFollowUpToken(store_->Secret("followup_links").value(), ticket_,
                                              *asked.followup_asked_at);
  EXPECT_NE(messages.back().body.find("followup?token=" + token + "&answer=no"), std::string::npos)
      << messages.back().body;
  EXPECT_EQ(store_->CountAutomaticMail(ticket_, "pat@example.com", Timestamp{0})->to_ticket, 2);

  clock_.Advance(7 * 24h);
  EXPECT_EQ(engine_->RunOnce().closed, 1);
  EXPECT_EQ(store_->GetTicket(ticket_).value().ticket.status, domain::TicketStatus::kClosed);
}

TEST_F(EngineTest, CannotDoIsClosedWithoutTheQuestion) {
  auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
    domain::ResolutionInput in;
    in.outcome = domain::Outcome::kCannotDo;
    in.statement = "We do not ship to the moon.";
    return domain::Resolve(s, domain::Principal::ForAgent(bo_), in, clock_.Now());
  });
  ASSERT_TRUE(w.ok());
  clock_.Advance(4 * 24h);
  EXPECT_EQ(engine_->RunOnce().asked, 0);
  clock_.Advance(4 * 24h);
  const PassStats pass = engine_->RunOnce();
  EXPECT_EQ(pass.closed, 1);
  EXPECT_EQ(pass.asked, 0);
}

class OfferTest : public EngineTest {
 protected:
  // Agent `name`, signed in (an unexpired session) when `present`.
  domain::Agent Agent(std::string name, bool present) {
    domain::Agent a =
        store_->CreateAgent({name, name + "@help.example", domain::Role::kAgent, "x", {}}).value();
    if (present) {
      storage::Credential c;
      c.token_hash = "session-of-" + name;
      c.kind = domain::Actor::Kind::kAgent;
      c.principal_id = a.id;
      c.csrf_token = "csrf";
      c.created_at = clock_.Now();
      c.expires_at = Timestamp{clock_.Now().millis + 30LL * 24 * 3600 * 1000};
      EXPECT_TRUE(store_->SaveCredential(c).ok());
    }
    return a;
  }
  domain::TicketId NewTicket(const std::string& email) {
    domain::NewTicket t;
    t.subject = "Help";
    t.body = "Please.";
    return store_->CreateTicket(t, storage::CustomerRef{email, ""}, domain::Principal::System())
        .value()
        .state.ticket.id;
  }
  std::optional<domain::Handoff> Offer(domain::TicketId id) {
    return store_->GetTicket(id).value().pending_handoff;
  }
};

TEST_F(OfferTest, AnUnownedTicketGoesToWhoHelpedTheCustomerLastThenToTheLeastLoaded) {
  // Bo (not signed in) owns the fixture ticket of pat@example.com; he answered Pat before.
  Reply("", 0ms);
  const domain::Agent cy = Agent("Cy", true);
  const domain::Agent di = Agent("Di", true);
  // Cy already carries two open tickets; Di none.
  for (int i = 0; i < 2; ++i) {
    const domain::TicketId id = NewTicket("other" + std::to_string(i) + "@example.com");
    ASSERT_TRUE(store_
                    ->ModifyTicket(id,
                                   [&](const domain::TicketState& s) {
                                     return domain::TakeOwnership(
                                         s, domain::Principal::ForAgent(cy), clock_.Now());
                                   })
                    .ok());
  }
  const domain::TicketId pat = NewTicket("pat@example.com");
  clock_.Advance(14min);
  EXPECT_EQ(engine_->RunOnce().offered, 0);  // Not yet: someone may still take it.
  clock_.Advance(2min);
  // Bo helped Pat last but is not signed in: Di, with the fewest open tickets, is offered it.
  EXPECT_EQ(engine_->RunOnce().offered, 1);
  ASSERT_TRUE(Offer(pat).has_value());
  EXPECT_EQ(Offer(pat)->to_agent_id, di.id);
  EXPECT_EQ(Offer(pat)->from_agent_id, 0);
  EXPECT_EQ(engine_->RunOnce().offered, 0);  // Offered once.

  // Di does not answer in time: withdrawn, and offered to the next (Cy; never Di again).
  clock_.Advance(16min);
  const PassStats pass = engine_->RunOnce();
  EXPECT_EQ(pass.expired, 1);
  EXPECT_EQ(pass.offered, 1);  // In the same pass.
  ASSERT_TRUE(Offer(pat).has_value());
  EXPECT_EQ(Offer(pat)->to_agent_id, cy.id);

  // Cy accepts: the owner, and the ticket is open.
  const domain::HandoffId h = Offer(pat)->id;
  ASSERT_TRUE(store_
                  ->ModifyTicket(pat,
                                 [&](const domain::TicketState& s) {
                                   return domain::AcceptHandoff(s, domain::Principal::ForAgent(cy),
                                                                h, clock_.Now());
                                 })
                  .ok());
  const domain::Ticket t = store_->GetTicket(pat).value().ticket;
  EXPECT_EQ(t.owner_id, cy.id);
  EXPECT_EQ(t.status, domain::TicketStatus::kOpen);
}

TEST_F(OfferTest, ContinuityWinsWhenTheLastHelperIsSignedInAndTheCapIsRespected) {
  Reply("", 0ms);  // Bo answers Pat.
  storage::Credential c;
  c.token_hash = "bo-session";
  c.kind = domain::Actor::Kind::kAgent;
  c.principal_id = bo_.id;
  c.csrf_token = "csrf";
  c.created_at = clock_.Now();
  ASSERT_TRUE(store_->SaveCredential(c).ok());
  const domain::TicketId pat = NewTicket("pat@example.com");
  clock_.Advance(16min);
  EXPECT_EQ(engine_->RunOnce().offered, 1);
  EXPECT_EQ(Offer(pat)->to_agent_id, bo_.id);
  EXPECT_NE(Offer(pat)->note.find("helped this customer last"), std::string::npos);

  // Bo is at the cap: a new ticket of another customer is not offered to him.
  EngineOptions capped;
  capped.offer_cap = 1;
  Engine engine(*store_, clock_, capped);
  const domain::TicketId other = NewTicket("zed@example.com");
  clock_.Advance(16min);
  engine.RunOnce();
  EXPECT_FALSE(Offer(other).has_value() && Offer(other)->to_agent_id == bo_.id);
}

TEST(FollowUpLinks, OnlyOurOwnSignatureOpensAQuestion) {
  const Timestamp at{1'893'456'000'000};
  const std::string token = MakeFollowUpToken("key-1", 42, at);
  auto parsed = ParseFollowUpToken("key-1", token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ticket_id, 42);
  EXPECT_EQ(parsed->asked_at, at);
  EXPECT_FALSE(ParseFollowUpToken("key-2", token).ok());  // Another server's key.
  std::string forged = token;
  forged[0] = '4';
  forged[1] = '3';
  EXPECT_FALSE(ParseFollowUpToken("key-1", forged).ok());  // Another ticket.
  for (std::string_view bad : {"", "42", "42.1", "42..", "x.y.z", "-1.5.aa", "42.1893456000000."}) {
    EXPECT_EQ(ParseFollowUpToken("key-1", bad).status().code(), StatusCode::kNotFound) << bad;
  }
}

}  // namespace
}  // namespace steadfast::engine
