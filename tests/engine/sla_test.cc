// SLA clocks on business hours, through a real SQLite store (its finisher keeps the clocks) and
// the engine's SLA phase, on a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "common/time.h"
#include "domain/ticket_rules.h"
#include "engine/engine.h"
#include "engine/sla_clocks.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::engine {
namespace {

using namespace std::chrono_literals;
using domain::SlaKind;

Timestamp At(const char* iso) { return ParseIso8601(iso).value(); }

class SlaClockTest : public ::testing::Test {
 protected:
  // Opens the store and engine on `settings` (default: UTC, mon-fri 09:00-17:00, first reply
  // 1 h, next reply 2 h, resolution 8 h for every priority, warning 15 min before).
  void Start(std::string_view zone = "UTC", std::string_view hours = "mon-fri 09:00-17:00",
             std::string_view holidays = "", bool with_policy = true) {
    auto settings = std::make_shared<SlaSettings>();
    settings->calendar = BusinessCalendar::Parse(zone, hours, holidays).value();
    SlaRule rule;
    rule.policy.name = "Standard";
    for (auto& t : rule.policy.by_priority) t = {1h, 2h, 8h};
    if (with_policy) settings->policies.push_back(rule);
    settings->warning = SlaWarning{15 * 60 * 1000, std::nullopt};
    settings->silence_after_ms = {24 * 3600 * 1000LL, 3 * 3600 * 1000LL, 3 * 3600 * 1000LL,
                                  3 * 3600 * 1000LL};
    settings_ = settings;
    storage::sqlite::SqliteOptions o;
    o.path = dir_.path() + "/steadfast.db";
    o.finish = MakeSlaFinisher(settings);
    store_ = storage::sqlite::SqliteStore::Open(o, clock_).value();
    bo_ = store_->CreateAgent({"Bo", "bo@help.example", domain::Role::kAgent, "x", {}}).value();
    EngineOptions eo;
    eo.sla = settings;
    engine_ = std::make_unique<Engine>(*store_, clock_, eo);
  }

  void Open(const char* iso) {
    clock_.Set(At(iso));
    domain::NewTicket t;
    t.subject = "Refund";
    t.body = "Where is my refund?";
    ticket_ = store_
                  ->CreateTicket(t, storage::CustomerRef{"pat@example.com", "Pat"},
                                 domain::Principal::System())
                  .value()
                  .state.ticket.id;
  }

  void Reply(bool then_pending = false) {
    auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = domain::MessageKind::kReply;
      m.body = "On it.";
      return domain::AddMessage(s, domain::Principal::ForAgent(bo_), m, then_pending, clock_.Now());
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  void CustomerWrites() {
    auto w = store_->ModifyTicket(ticket_, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = domain::MessageKind::kCustomer;
      m.body = "The parcel came back to you.";
      const domain::Customer pat = store_->GetCustomer(s.ticket.customer_id).value();
      return domain::AddMessage(s, domain::Principal::ForCustomer(pat, false), m, false,
                                clock_.Now());
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  // A new ticket opened at `created_at` as an import (or a store from before SLAs) writes it:
  // without its SLA clocks.
  void InsertOldTicket(Timestamp created_at) {
    storage::BulkTicket old;
    old.ticket.subject = "Old";
    storage::NewCustomer al;
    al.name = "Al";
    al.emails = {"al@example.com"};
    old.ticket.customer_id = store_->CreateCustomer(al).value().id;
    old.ticket.status = domain::TicketStatus::kNew;
    old.ticket.created_at = created_at;
    old.ticket.updated_at = created_at;
    std::vector<storage::BulkTicket> bulk{old};
    ASSERT_TRUE(store_->BulkInsertTickets(bulk).ok());
    ticket_ = bulk[0].ticket.id;
  }

  domain::SlaState Sla() { return store_->GetTicket(ticket_).value().ticket.sla; }

  std::optional<domain::SlaClock> Clock(SlaKind kind) {
    const domain::SlaState sla = Sla();
    for (const auto& c : sla.clocks) {
      if (c.kind == kind) return c;
    }
    return std::nullopt;
  }

  std::optional<Timestamp> Due(SlaKind kind) {
    auto c = Clock(kind);
    return c ? c->due_at : std::nullopt;
  }

  // The ticket's events of `type`, as "kind due_at".
  std::vector<std::string> Events(std::string_view type) {
    std::vector<std::string> out;
    const std::vector<domain::Event> events = store_->ListEvents(ticket_).value();
    for (const auto& e : events) {
      if (e.type != type) continue;
      std::string line;
      for (const auto& c : e.changes) {
        if (c.field == "kind" || c.field == "due_at") line += (line.empty() ? "" : " ") + c.after;
      }
      out.push_back(line);
    }
    return out;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::shared_ptr<const SlaSettings> settings_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  domain::Agent bo_;
  domain::TicketId ticket_ = 0;
  std::unique_ptr<Engine> engine_;
};

TEST_F(SlaClockTest, FirstReplyDueCountsOnlyBusinessHoursAcrossAWeekend) {
  Start();
  Open("2030-01-11T16:30:00Z");  // Friday, 30 business minutes left.
  EXPECT_EQ(Sla().policy, "Standard");
  EXPECT_EQ(Due(SlaKind::kFirstReply), At("2030-01-14T09:30:00Z"));  // Monday.
  EXPECT_EQ(Due(SlaKind::kResolution), At("2030-01-14T16:30:00Z"));
  EXPECT_EQ(Clock(SlaKind::kNextReply), std::nullopt);   // The first reply covers the first wait.
  EXPECT_EQ(Sla().next_at, At("2030-01-14T09:15:00Z"));  // The warning comes first.
}

TEST_F(SlaClockTest, ADaylightSavingChangeDoesNotShiftLocalHours) {
  Start("America/New_York");
  // Friday 16:30 EST; clocks go forward on Sunday 2030-03-10.
  Open("2030-03-08T21:30:00Z");
  EXPECT_EQ(Due(SlaKind::kFirstReply), At("2030-03-11T13:30:00Z"));  // Monday 09:30 EDT.
}

TEST_F(SlaClockTest, AHolidayIsClosedAllDay) {
  Start("UTC", "mon-fri 09:00-17:00", "2030-12-25");
  Open("2030-12-24T16:30:00Z");  // Tuesday; Wednesday is a holiday.
  EXPECT_EQ(Due(SlaKind::kFirstReply), At("2030-12-26T09:30:00Z"));
}

TEST_F(SlaClockTest, PendingPausesResolutionWhichKeepsTheTimeUsed) {
  Start();
  Open("2030-01-07T09:00:00Z");  // Monday.
  clock_.Set(At("2030-01-07T10:00:00Z"));
  Reply(/*then_pending=*/true);  // 1 business hour used; waiting on the customer.
  EXPECT_EQ(Clock(SlaKind::kFirstReply), std::nullopt);  // Met.
  auto paused = Clock(SlaKind::kResolution);
  ASSERT_TRUE(paused.has_value());
  EXPECT_FALSE(paused->due_at.has_value());
  EXPECT_EQ(paused->remaining_ms, 7 * 3600 * 1000);

  clock_.Set(At("2030-01-08T09:00:00Z"));  // A day later the customer answers.
  CustomerWrites();
  EXPECT_EQ(Due(SlaKind::kResolution), At("2030-01-08T16:00:00Z"));  // 7 hours left.
  EXPECT_EQ(Due(SlaKind::kNextReply), At("2030-01-08T11:00:00Z"));
}

TEST_F(SlaClockTest, OurReplyStopsTheNextReplyClockAndTheNextMessageStartsAFreshOne) {
  Start();
  Open("2030-01-07T09:00:00Z");
  clock_.Set(At("2030-01-07T09:10:00Z"));
  Reply();
  clock_.Set(At("2030-01-07T10:00:00Z"));
  CustomerWrites();
  EXPECT_EQ(Due(SlaKind::kNextReply), At("2030-01-07T12:00:00Z"));
  clock_.Set(At("2030-01-07T11:50:00Z"));
  engine_->RunOnce();  // Warned at 11:45.
  EXPECT_TRUE(Clock(SlaKind::kNextReply)->warned);
  Reply();
  EXPECT_EQ(Clock(SlaKind::kNextReply), std::nullopt);
  clock_.Set(At("2030-01-07T16:00:00Z"));
  CustomerWrites();
  EXPECT_EQ(Due(SlaKind::kNextReply), At("2030-01-08T10:00:00Z"));  // 1 h today, 1 h tomorrow.
  EXPECT_FALSE(Clock(SlaKind::kNextReply)->warned);
}

TEST_F(SlaClockTest, WarningThenBreachAreRecordedExactlyOnceEach) {
  Start();
  Open("2030-01-07T09:00:00Z");
  clock_.Set(At("2030-01-07T09:44:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 0);
  clock_.Set(At("2030-01-07T09:45:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 1);
  EXPECT_EQ(engine_->RunOnce().sla, 0);  // A second pass records nothing again.
  EXPECT_EQ(Events("sla_warning"),
            std::vector<std::string>{"first_reply 2030-01-07T10:00:00.000Z"});
  EXPECT_TRUE(Events("sla_breached").empty());

  clock_.Set(At("2030-01-07T10:00:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 1);
  EXPECT_EQ(engine_->RunOnce().sla, 0);
  EXPECT_EQ(Events("sla_breached"),
            std::vector<std::string>{"first_reply 2030-01-07T10:00:00.000Z"});
  EXPECT_EQ(Events("sla_warning").size(), 1u);
  EXPECT_TRUE(Clock(SlaKind::kFirstReply)->breached);
}

TEST_F(SlaClockTest, ABreachFoundLateIsRecordedWithoutAWarningFirst) {
  Start();
  Open("2030-01-07T09:00:00Z");
  clock_.Set(At("2030-01-07T11:00:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 1);
  EXPECT_TRUE(Events("sla_warning").empty());
  EXPECT_EQ(Events("sla_breached").size(), 1u);
}

TEST_F(SlaClockTest, AResolutionBreachedBeforeAPauseIsNotBreachedAgain) {
  Start();
  Open("2030-01-07T09:00:00Z");
  clock_.Set(At("2030-01-07T18:00:00Z"));
  engine_->RunOnce();  // First reply and resolution breached.
  EXPECT_EQ(Events("sla_breached").size(), 2u);
  Reply(/*then_pending=*/true);
  clock_.Set(At("2030-01-08T10:00:00Z"));
  CustomerWrites();
  clock_.Set(At("2030-01-08T11:00:00Z"));
  engine_->RunOnce();
  // Only the new wait's next reply can still be breached.
  EXPECT_EQ(Events("sla_breached").size(), 2u);
  EXPECT_TRUE(Clock(SlaKind::kResolution)->breached);
}

TEST_F(SlaClockTest, SilenceIsMeasuredInBusinessHoursAndCapsAtTheReplyWarning) {
  Start();
  // Friday. Normal: 3 business hours → Monday 11:00, but the first reply is due Friday 17:00:
  // raised at its warning.
  Open("2030-01-11T16:00:00Z");
  EXPECT_EQ(Sla().silence_at, At("2030-01-11T16:45:00Z"));
  EXPECT_EQ(Sla().silence_at, Clock(SlaKind::kFirstReply)->warn_at);
  clock_.Set(At("2030-01-11T16:45:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 1);
  EXPECT_TRUE(store_->GetTicket(ticket_).value().ticket.silence_raised_at.has_value());
  EXPECT_EQ(Events("silence_raised").size(), 1u);
  EXPECT_EQ(Events("sla_warning").size(), 1u);  // The same moment.
  EXPECT_EQ(engine_->RunOnce().sla, 0);
}

TEST_F(SlaClockTest, SilenceWaitsForBusinessHoursAndNotWhilePending) {
  // No policy: only silence runs (3 business hours for normal).
  Start("UTC", "mon-fri 09:00-17:00", "", /*with_policy=*/false);
  Open("2030-01-11T16:00:00Z");  // Friday: 1 h on Friday, 2 h on Monday.
  EXPECT_EQ(Sla().policy, "");
  EXPECT_TRUE(Sla().clocks.empty());
  EXPECT_EQ(Sla().silence_at, At("2030-01-14T11:00:00Z"));
  clock_.Set(At("2030-01-14T10:59:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 0);  // 71 hours of wall clock, 2 h 59 min of business.
  clock_.Set(At("2030-01-14T11:00:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 1);
  EXPECT_EQ(Events("silence_raised").size(), 1u);

  // Waiting on the customer is not silence.
  Reply(/*then_pending=*/true);
  clock_.Set(At("2030-01-20T11:00:00Z"));
  EXPECT_EQ(engine_->RunOnce().sla, 0);
  EXPECT_FALSE(Sla().silence_at.has_value());
}

TEST_F(SlaClockTest, TicketsWrittenBeforeSlasAreComputedByTheEngine) {
  Start();
  InsertOldTicket(At("2030-01-07T09:00:00Z"));
  EXPECT_FALSE(Sla().computed);
  clock_.Set(At("2030-01-07T09:30:00Z"));
  engine_->RunOnce();
  EXPECT_TRUE(Sla().computed);
  EXPECT_EQ(Due(SlaKind::kFirstReply), At("2030-01-07T10:00:00Z"));
  EXPECT_EQ(store_->GetTicket(ticket_).value().ticket.version, 1);  // Bookkeeping, not a change.
}

TEST_F(SlaClockTest, TicketsFromBeforeSlasAreNotBreachedAfterTheFact) {
  Start();
  InsertOldTicket(At("2030-01-07T09:00:00Z"));
  clock_.Set(At("2030-01-08T09:00:00Z"));  // Long past its first reply and resolution.
  engine_->RunOnce();
  EXPECT_TRUE(Events("sla_breached").empty());
  EXPECT_TRUE(Events("sla_warning").empty());
  EXPECT_TRUE(Clock(SlaKind::kFirstReply)->breached);  // Shown as breached all the same.
  EXPECT_EQ(engine_->RunOnce().sla, 0);
}

}  // namespace
}  // namespace steadfast::engine
