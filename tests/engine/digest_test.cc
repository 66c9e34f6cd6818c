// The leads' daily digest over a real SQLite store, with a fake clock.
#include "engine/digest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "domain/follow_through.h"
#include "domain/ticket_rules.h"
#include "engine/engine.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::engine {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kJan1 = 1893456000000;  // 2030-01-01T00:00:00Z, a Tuesday.

Timestamp At(int64_t day, std::chrono::milliseconds into) {
  return Timestamp{kJan1 + day * 86400000 + into.count()};
}

class DigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::sqlite::SqliteOptions o;
    o.path = dir_.path() + "/steadfast.db";
    store_ = storage::sqlite::SqliteStore::Open(o, clock_).value();
    billing_ = store_->CreateTeam("Billing").value();
    sales_ = store_->CreateTeam("Sales").value();
    bo_ = store_->CreateAgent({"Bo", "bo@help.example", domain::Role::kAgent, "x", {billing_.id}})
              .value();
    lee_ = store_->CreateAgent({"Lee", "lee@help.example", domain::Role::kLead, "x", {billing_.id}})
               .value();
    ann_ = store_->CreateAgent({"Ann", "ann@help.example", domain::Role::kLead, "x", {}}).value();
    options_.public_url = "https://help.example";
  }

  domain::TicketId Open(std::string subject, domain::TeamId team) {
    domain::NewTicket t;
    t.subject = std::move(subject);
    t.body = "Hello";
    t.team_id = team;
    return store_
        ->CreateTicket(t, storage::CustomerRef{"pat@example.com", "Pat"},
                       domain::Principal::System())
        .value()
        .state.ticket.id;
  }

  void Modify(domain::TicketId id, const storage::Mutation& m) {
    auto w = store_->ModifyTicket(id, m);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  // Bo answers `id`, promising "send the label" due in an hour; then the hour passes and the
  // promise is broken.
  void BreakAPromise(domain::TicketId id) {
    Modify(id, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = domain::MessageKind::kReply;
      m.body = "On it.";
      m.promise = domain::NewPromise{"send the label", Timestamp{clock_.Now().millis + 3600000}};
      return domain::AddMessage(s, domain::Principal::ForAgent(bo_), m, false, clock_.Now());
    });
    clock_.Advance(2h);
    storage::PromiseQuery q;
    q.ticket_id = id;
    const domain::PromiseId pid = store_->ListPromises(q).value().at(0).id;
    Modify(id, [&](const domain::TicketState& s) {
      return domain::BreakPromise(s, pid, clock_.Now());
    });
  }

  void Chase(domain::TicketId id) {
    Modify(id, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = domain::MessageKind::kCustomer;
      m.body = "Any update?";
      m.chase = true;
      const domain::Customer c = store_->GetCustomer(s.ticket.customer_id).value();
      return domain::AddMessage(s, domain::Principal::ForCustomer(c, false), m, false,
                                clock_.Now());
    });
  }

  int Queue() {
    int failed = 0;
    const int n = QueueDueDigests(*store_, options_, clock_.Now(), &failed);
    EXPECT_EQ(failed, 0);
    return n;
  }

  // The digests queued so far, by recipient (claimed, as the sender would).
  std::map<std::string, storage::DigestMail> Claim() {
    auto claimed = store_->ClaimDigests(clock_.Now(), Timestamp{clock_.Now().millis + 60000}, 100,
                                        [](const storage::DigestMail&) { return "x@y"; });
    EXPECT_TRUE(claimed.ok());
    std::map<std::string, storage::DigestMail> out;
    for (auto& d : *claimed) out[d.to_address] = d;
    return out;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{At(0, 0ms)};
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  domain::Team billing_;
  domain::Team sales_;
  domain::Agent bo_;
  domain::Agent lee_;
  domain::Agent ann_;
  DigestOptions options_;
};

TEST_F(DigestTest, SentOnceADayAtTheHourNotBeforeNotTwice) {
  clock_.Set(At(1, 7h + 59min));
  EXPECT_EQ(Queue(), 0);
  clock_.Set(At(1, 8h));
  EXPECT_EQ(Queue(), 2);  // Lee and Ann, the leads; not Bo.
  EXPECT_EQ(Queue(), 0);
  clock_.Set(At(1, 23h + 59min));
  EXPECT_EQ(Queue(), 0);
  auto sent = Claim();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent.at("lee@help.example").day, "2030-01-01");  // The day it reports on.

  // Across the day boundary: not again before the hour, then the next day's.
  clock_.Set(At(2, 0h));
  EXPECT_EQ(Queue(), 0);
  clock_.Set(At(2, 8h + 30min));
  EXPECT_EQ(Queue(), 2);
  EXPECT_EQ(Queue(), 0);
  EXPECT_EQ(Claim().at("ann@help.example").day, "2030-01-02");
}

TEST_F(DigestTest, TheEnginePassQueuesItOnce) {
  options_.hour = 6;
  EngineOptions eo;
  eo.digest = options_;
  Engine engine(*store_, clock_, eo);
  clock_.Set(At(1, 5h));
  EXPECT_EQ(engine.RunOnce().digests, 0);
  clock_.Set(At(1, 6h));
  EXPECT_EQ(engine.RunOnce().digests, 2);
  EXPECT_EQ(engine.RunOnce().digests, 0);
}

TEST_F(DigestTest, TheHourAndTheDayAreLocal) {
  options_.time_zone = "America/New_York";  // UTC-5 in January.
  clock_.Set(At(1, 12h + 59min));           // 07:59 in New York.
  EXPECT_EQ(Queue(), 0);
  clock_.Set(At(1, 13h));  // 08:00.
  EXPECT_EQ(Queue(), 2);
  EXPECT_EQ(Claim().at("lee@help.example").day, "2030-01-01");
  clock_.Set(At(2, 4h));  // Still the 1st (23:00) in New York: nothing new.
  EXPECT_EQ(Queue(), 0);
}

TEST_F(DigestTest, ListsYesterdaysBrokenPromisesSilencesAndChasesOnTheLeadsTeams) {
  clock_.Set(At(0, 9h));
  const domain::TicketId label = Open("Return label", billing_.id);
  const domain::TicketId quote = Open("Quote for 40 seats", sales_.id);
  const domain::TicketId today = Open("Came in today", billing_.id);
  BreakAPromise(label);
  Chase(quote);
  Modify(label, [&](const domain::TicketState& s) {
    domain::NewMessage m;
    m.kind = domain::MessageKind::kCustomer;
    m.body = "I still have no label.";
    const domain::Customer c = store_->GetCustomer(s.ticket.customer_id).value();
    return domain::AddMessage(s, domain::Principal::ForCustomer(c, false), m, false, clock_.Now());
  });
  clock_.Advance(25h);  // Day 1, 12:00: past the normal silence threshold.
  Modify(label,
         [&](const domain::TicketState& s) { return domain::RaiseSilence(s, clock_.Now()); });
  Chase(today);  // On day 1: tomorrow's digest.

  clock_.Set(At(1, 8h));
  ASSERT_EQ(Queue(), 2);
  const auto sent = Claim();
  const storage::DigestMail& lee = sent.at("lee@help.example");
  const int64_t label_number = store_->GetTicket(label).value().ticket.number;
  EXPECT_EQ(lee.subject, "Follow-through 2030-01-01: 1 broken promise, 0 silent tickets, 0 chases");
  EXPECT_THAT(lee.body, HasSubstr("Hello Lee,"));
  EXPECT_THAT(lee.body, HasSubstr("- #" + std::to_string(label_number) +
                                  " Return label (owner: Bo) promised: \"send the label\""));
  EXPECT_THAT(lee.body, HasSubstr("https://help.example/tickets/" + std::to_string(label)));
  EXPECT_THAT(lee.body, Not(HasSubstr("Quote for 40 seats")));  // Sales is not Lee's team.
  EXPECT_THAT(lee.body, Not(HasSubstr("Came in today")));       // Not yesterday.

  const storage::DigestMail& ann = sent.at("ann@help.example");  // No team: every team.
  EXPECT_THAT(ann.body, HasSubstr("Quote for 40 seats (owner: nobody)"));
  EXPECT_THAT(ann.subject, HasSubstr("1 chase"));

  // The next day: the silence raised and the chase of day 1.
  clock_.Set(At(2, 8h));
  ASSERT_EQ(Queue(), 2);
  const storage::DigestMail next = Claim().at("lee@help.example");
  EXPECT_EQ(next.subject, "Follow-through 2030-01-02: 0 broken promises, 1 silent ticket, 1 chase");
  EXPECT_THAT(next.body, HasSubstr("Came in today (owner: nobody)"));
}

TEST_F(DigestTest, SaysNothingBrokeWhenNothingDid) {
  clock_.Set(At(1, 9h));
  const auto content = BuildDigest(*store_, TimeZone::Utc(), LocalDate{2030, 1, 1}, {billing_.id},
                                   options_.public_url);
  ASSERT_TRUE(content.ok());
  EXPECT_TRUE(content->nothing_broke());
  EXPECT_EQ(DigestSubject(*content), "Follow-through 2030-01-01: nothing broke");
  EXPECT_THAT(DigestBody(*content, "Lee"), HasSubstr("Nothing broke yesterday"));
}

TEST_F(DigestTest, NoDigestWhenDisabled) {
  clock_.Set(At(1, 9h));
  options_.enabled = false;
  EXPECT_EQ(Queue(), 0);
  options_.enabled = true;
  EXPECT_EQ(Queue(), 2);
}

}  // namespace
}  // namespace steadfast::engine
