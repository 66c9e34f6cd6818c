// Ticket lists in every sort, queue counts, the follow-through figures and the digest queue, over
// SQLite; and the query plans that keep each of them indexed at a million tickets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/follow_through.h"
#include "domain/ticket_rules.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::storage {
namespace {

using domain::Agent;
using domain::MessageKind;
using domain::Principal;
using domain::Priority;
using domain::Ticket;
using domain::TicketState;
using domain::TicketStatus;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

Timestamp Plus(Timestamp t, std::chrono::milliseconds d) { return Timestamp{t.millis + d.count()}; }

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) throw std::runtime_error("unexpected error: " + r.status().ToString());
  return std::move(r).value();
}

class QueuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite::SqliteOptions o;
    o.path = path();
    store_ = Must(sqlite::SqliteStore::Open(o, clock_));
    bo_ = Must(store_->CreateAgent({"Bo", "bo@help.example", domain::Role::kAgent, "x", {}}));
    cy_ = Must(store_->CreateAgent({"Cy", "cy@help.example", domain::Role::kAgent, "x", {}}));
  }

  std::string path() const { return dir_.path() + "/steadfast.db"; }

  TicketId Open(std::string subject, std::string email, std::string name = "",
                Priority priority = Priority::kNormal, std::optional<TeamId> team = {}) {
    domain::NewTicket t;
    t.subject = std::move(subject);
    t.body = "Hello";
    t.priority = priority;
    t.team_id = team;
    clock_.Advance(1s);
    return Must(store_->CreateTicket(t, CustomerRef{std::move(email), std::move(name)},
                                     Principal::System()))
        .state.ticket.id;
  }

  TicketWrite Modify(TicketId id, const Mutation& m) {
    clock_.Advance(1s);
    return Must(store_->ModifyTicket(id, m));
  }

  // `who` replies (taking the ticket if nobody owns it), optionally promising something due `in`.
  TicketWrite Reply(TicketId id, const Agent& who, std::string promise = "",
                    std::chrono::milliseconds in = 0ms, bool then_pending = false) {
    return Modify(id, [&](const TicketState& s) {
      domain::NewMessage m;
      m.kind = MessageKind::kReply;
      m.body = "On it.";
      if (!promise.empty()) {
        m.promise = domain::NewPromise{promise, Timestamp{clock_.Now().millis + in.count()}};
      }
      return domain::AddMessage(s, Principal::ForAgent(who), m, then_pending, clock_.Now());
    });
  }

  TicketWrite CustomerWrites(TicketId id, std::string body, bool chase) {
    return Modify(id, [&](const TicketState& s) {
      domain::NewMessage m;
      m.kind = MessageKind::kCustomer;
      m.body = body;
      m.chase = chase;
      const domain::Customer c = Must(store_->GetCustomer(s.ticket.customer_id));
      return domain::AddMessage(s, Principal::ForCustomer(c, false), m, false, clock_.Now());
    });
  }

  // Sets the ticket's SLA clocks as the finisher would: one running clock per `due` (set) and a
  // paused one per empty entry. Writes only the bookkeeping (no event).
  void SetClocks(TicketId id, std::vector<std::optional<Timestamp>> dues) {
    Modify(id, [&](const TicketState& s) -> Result<domain::Change> {
      domain::Change c{s.ticket, {}, {}, {}, {}};
      c.after.sla = domain::SlaState{};
      c.after.sla.computed = true;
      for (const auto& due : dues) {
        domain::SlaClock k;
        k.due_at = due;
        if (!due) k.remaining_ms = 60000;
        c.after.sla.clocks.push_back(k);
      }
      return c;
    });
  }

  // Every page of `q` (sort included) with `limit`, calling `between` after each page.
  std::vector<TicketId> Walk(TicketQuery q, int limit, const std::function<void()>& between = {}) {
    std::vector<TicketId> seen;
    q.limit = limit;
    for (int page = 0; page < 100; ++page) {
      const TicketPage p = Must(store_->ListTickets(q));
      for (const Ticket& t : p.items) seen.push_back(t.id);
      if (between) between();
      if (!p.next) return seen;
      EXPECT_FALSE(p.items.empty());
      q.after = p.next;
    }
    ADD_FAILURE() << "pagination did not end";
    return seen;
  }

  // The plan SQLite picks for `sql`, one line per step.
  std::string Plan(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) ==
        SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW) {
        out += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
        out += "\n";
      }
    } else {
      ADD_FAILURE() << sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  Agent bo_;
  Agent cy_;
};

TEST_F(QueuesTest, EverySortOrdersTheWholeListAndPagesWithoutDuplicatesOrGaps) {
  const TicketId a = Open("a", "a@example.com", "", Priority::kLow);
  const TicketId b = Open("b", "b@example.com", "", Priority::kUrgent);
  const TicketId c = Open("c", "c@example.com", "", Priority::kNormal);
  const TicketId d = Open("d", "d@example.com", "", Priority::kUrgent);
  const TicketId e = Open("e", "e@example.com", "", Priority::kHigh);
  Reply(b, bo_);  // b is now the most recently active, then a.
  Reply(a, bo_);

  TicketQuery q;
  for (int limit : {1, 2, 5, 10}) {
    q.sort = TicketSort::kNewest;
    EXPECT_THAT(Walk(q, limit), ElementsAre(e, d, c, b, a)) << limit;
    q.sort = TicketSort::kOldest;
    EXPECT_THAT(Walk(q, limit), ElementsAre(a, b, c, d, e)) << limit;
    q.sort = TicketSort::kLastActivity;
    EXPECT_THAT(Walk(q, limit), ElementsAre(a, b, e, d, c)) << limit;
    q.sort = TicketSort::kPriority;  // Urgent first; within one priority the oldest first.
    EXPECT_THAT(Walk(q, limit), ElementsAre(b, d, e, c, a)) << limit;
  }
}

TEST_F(QueuesTest, LastActivityPagingNeverRepeatsATicketThatMovesUpWhileReading) {
  std::vector<TicketId> all;
  for (int i = 0; i < 9; ++i) all.push_back(Open(testing::Cat("t", i), "p@example.com"));
  TicketQuery q;
  q.sort = TicketSort::kLastActivity;
  std::set<TicketId> touched;
  int page = 0;
  // After each page, a ticket already read and one not yet read are both answered: they jump to
  // the top, behind the cursor. Neither may come back; every ticket left alone is read once.
  const std::vector<TicketId> seen = Walk(q, 3, [&] {
    ++page;
    if (page > 2) return;
    const TicketId read = all[all.size() - static_cast<size_t>(page)];
    const TicketId unread = all[static_cast<size_t>(page) - 1];
    Reply(read, bo_);
    Reply(unread, bo_);
    touched.insert(read);
    touched.insert(unread);
  });
  std::set<TicketId> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a ticket was listed twice";
  for (TicketId id : all) {
    if (touched.count(id) == 0) {
      EXPECT_EQ(unique.count(id), 1u) << "ticket " << id << " skipped";
    }
  }
}

TEST_F(QueuesTest, PriorityPagingIsStableWhileNewTicketsArrive) {
  std::vector<TicketId> before;
  for (int i = 0; i < 6; ++i) {
    before.push_back(Open(testing::Cat("t", i), "p@example.com", "",
                          i % 2 == 0 ? Priority::kUrgent : Priority::kLow));
  }
  TicketQuery q;
  q.sort = TicketSort::kPriority;
  const std::vector<TicketId> seen =
      Walk(q, 2, [&] { Open("late low", "q@example.com", "", Priority::kLow); });
  std::set<TicketId> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
  for (TicketId id : before) EXPECT_EQ(unique.count(id), 1u) << id;
}

TEST_F(QueuesTest, EachListedTicketCarriesItsCustomersNameAndPrimaryEmail) {
  const TicketId t1 = Open("one", "ana@example.com", "Ana Lima");
  const TicketId t2 = Open("two", "bo@example.org");
  NewCustomer two_addresses;
  two_addresses.name = "Cat";
  two_addresses.emails = {"cat@first.example", "cat@second.example"};
  const domain::Customer cat = Must(store_->CreateCustomer(two_addresses));
  domain::NewTicket nt;
  nt.subject = "three";
  nt.body = "Hi";
  const TicketId t3 =
      Must(store_->CreateTicketFor(nt, cat.id, Principal::System())).state.ticket.id;
  const TicketPage page = Must(store_->ListTickets(TicketQuery{}));
  ASSERT_EQ(page.items.size(), 3u);
  std::map<TicketId, CustomerLabel> by_ticket;
  for (const Ticket& t : page.items) by_ticket[t.id] = page.customers.at(t.customer_id);
  EXPECT_EQ(by_ticket[t1].name, "Ana Lima");
  EXPECT_EQ(by_ticket[t1].email, "ana@example.com");
  EXPECT_EQ(by_ticket[t2].name, "bo");  // Named after the address when the mail had no name.
  EXPECT_EQ(by_ticket[t3].email, "cat@first.example");
}

TEST_F(QueuesTest, SilentListsOnlyTicketsWhoseSilenceIsRaisedAndUnanswered) {
  const TicketId quiet = Open("quiet", "a@example.com");
  const TicketId answered = Open("answered", "b@example.com");
  Open("fine", "c@example.com");
  for (TicketId id : {quiet, answered}) {
    Modify(id, [&](const TicketState& s) { return domain::RaiseSilence(s, clock_.Now()); });
  }
  Reply(answered, bo_);
  TicketQuery q;
  q.silent = true;
  EXPECT_THAT(Walk(q, 10), ElementsAre(quiet));
}

TEST_F(QueuesTest, QueueCountsMatchTheQueues) {
  const domain::Team billing = Must(store_->CreateTeam("Billing"));
  const domain::Team sales = Must(store_->CreateTeam("Sales"));
  Open("nobody 1", "a@example.com", "", Priority::kNormal, billing.id);
  Open("nobody 2", "b@example.com");
  const TicketId mine = Open("mine", "c@example.com", "", Priority::kNormal, billing.id);
  Reply(mine, bo_);
  const TicketId waiting = Open("waiting", "d@example.com");
  Reply(waiting, bo_, "", 0ms, /*then_pending=*/true);
  const TicketId resolved = Open("done", "e@example.com", "", Priority::kNormal, billing.id);
  Reply(resolved, bo_);
  Modify(resolved, [&](const TicketState& s) {
    domain::ResolutionInput in;
    in.outcome = domain::Outcome::kSolved;
    return domain::Resolve(s, Principal::ForAgent(bo_), in, clock_.Now());
  });
  const TicketId offered = Open("offered", "f@example.com");
  Reply(offered, cy_);
  Modify(offered, [&](const TicketState& s) {
    return domain::ProposeHandoff(s, Principal::ForAgent(cy_), bo_.id, "Yours: billing.",
                                  clock_.Now());
  });

  const QueueCounts n = Must(store_->CountQueues(bo_.id, {billing.id, sales.id}));
  EXPECT_EQ(n.mine, 1);
  EXPECT_EQ(n.unowned, 2);
  EXPECT_EQ(n.offered, 1);
  EXPECT_EQ(n.waiting, 1);
  EXPECT_EQ(n.teams.at(billing.id), 2);  // New and open; not the resolved one.
  EXPECT_EQ(n.teams.at(sales.id), 0);

  // The same numbers as the lists they stand for.
  TicketQuery q;
  q.owner = bo_.id;
  q.status = TicketStatus::kOpen;
  EXPECT_EQ(static_cast<int64_t>(Walk(q, 50).size()), n.mine);
  q = TicketQuery{};
  q.unowned = true;
  q.status = TicketStatus::kNew;
  EXPECT_EQ(static_cast<int64_t>(Walk(q, 50).size()), n.unowned);
  q = TicketQuery{};
  q.offered_to = bo_.id;
  EXPECT_EQ(static_cast<int64_t>(Walk(q, 50).size()), n.offered);
}

TEST_F(QueuesTest, ChasesAreCountedAgainstCustomerMessagesPerOwnerAndTeam) {
  const domain::Team billing = Must(store_->CreateTeam("Billing"));
  const Timestamp start = clock_.Now();
  const TicketId t = Open("refund", "a@example.com", "", Priority::kNormal, billing.id);
  Reply(t, bo_);
  CustomerWrites(t, "Any update?", true);
  CustomerWrites(t, "Here is the invoice.", false);
  Open("other", "b@example.com");  // Nobody owns it; no team.

  const std::vector<ChaseCount> all = Must(store_->CountChases(start));
  int64_t messages = 0;
  int64_t chases = 0;
  for (const ChaseCount& c : all) {
    messages += c.customer_messages;
    chases += c.chases;
    if (c.owner_id == bo_.id) {
      EXPECT_EQ(c.team_id, billing.id);
      EXPECT_EQ(c.customer_messages, 3);  // The opening message and two more.
      EXPECT_EQ(c.chases, 1);
    }
  }
  EXPECT_EQ(messages, 4);
  EXPECT_EQ(chases, 1);
  EXPECT_TRUE(Must(store_->CountChases(Plus(clock_.Now(), 1h))).empty());
}

TEST_F(QueuesTest, FollowThroughEventsListTheDaysBrokenPromisesSilencesAndChases) {
  const TicketId t = Open("refund", "a@example.com");
  Reply(t, bo_, "send the label", 1h);
  const Timestamp from = clock_.Now();
  clock_.Advance(2h);
  const domain::PromiseId pid = Must(store_->ListPromises(PromiseQuery{})).at(0).id;
  Modify(t, [&](const TicketState& s) { return domain::BreakPromise(s, pid, clock_.Now()); });
  CustomerWrites(t, "Hello??", true);
  Modify(t, [&](const TicketState& s) { return domain::RaiseSilence(s, clock_.Now()); });
  const Timestamp to = Plus(clock_.Now(), 1ms);

  const auto events = Must(store_->FollowThroughEvents(from, to, 100));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, FollowThroughEvent::Kind::kBrokenPromise);
  EXPECT_EQ(events[0].note, "send the label");
  EXPECT_EQ(events[1].kind, FollowThroughEvent::Kind::kChase);
  EXPECT_EQ(events[2].kind, FollowThroughEvent::Kind::kSilence);
  for (const auto& e : events) {
    EXPECT_EQ(e.ticket_id, t);
    EXPECT_EQ(e.subject, "refund");
    EXPECT_EQ(e.owner_id, bo_.id);
  }
  EXPECT_TRUE(Must(store_->FollowThroughEvents(to, Plus(to, 24h), 100)).empty());
  EXPECT_EQ(Must(store_->FollowThroughEvents(from, to, 2)).size(), 2u);
}

TEST_F(QueuesTest, ADigestIsQueuedOncePerLeadAndDayThenClaimedAndFinished) {
  DigestMail d;
  d.agent_id = bo_.id;
  d.day = "2030-01-07";
  d.to_address = "bo@help.example";
  d.subject = "Follow-through";
  d.body = "Nothing broke yesterday.";
  EXPECT_FALSE(Must(store_->HasDigest(bo_.id, "2030-01-07")));
  EXPECT_TRUE(Must(store_->QueueDigest(d, clock_.Now())));
  EXPECT_FALSE(Must(store_->QueueDigest(d, clock_.Now())));  // Another node, the same day.
  EXPECT_TRUE(Must(store_->HasDigest(bo_.id, "2030-01-07")));
  d.day = "2030-01-08";
  EXPECT_TRUE(Must(store_->QueueDigest(d, clock_.Now())));

  const auto ids = [](const DigestMail& m) { return "digest-" + m.day + "@x"; };
  auto claimed = Must(store_->ClaimDigests(clock_.Now(), Plus(clock_.Now(), 5min), 10, ids));
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].body, "Nothing broke yesterday.");
  EXPECT_TRUE(Must(store_->ClaimDigests(clock_.Now(), Plus(clock_.Now(), 5min), 10, ids)).empty());
  ASSERT_TRUE(store_->FinishDigest(claimed[0].id, true, "", std::nullopt, clock_.Now()).ok());
  ASSERT_TRUE(
      store_->FinishDigest(claimed[1].id, false, "down", Plus(clock_.Now(), 1min), clock_.Now())
          .ok());
  clock_.Advance(2min);
  claimed = Must(store_->ClaimDigests(clock_.Now(), Plus(clock_.Now(), 5min), 10, ids));
  ASSERT_EQ(claimed.size(), 1u);  // Only the one that failed comes back,
  EXPECT_EQ(claimed[0].day, "2030-01-08");
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].header_message_id, "digest-2030-01-08@x");  // with its Message-ID kept.
}

// The queries behind the queues and the figures, as the store writes them: each must read an
// index, never scan the tickets or messages tables nor sort a whole queue.
TEST_F(QueuesTest, SlaDueListsRunningClocksByDeadlineThenTheRestAndPagesWithoutGaps) {
  const Timestamp now = clock_.Now();
  const TicketId a = Open("a", "a@example.com");
  const TicketId b = Open("b", "b@example.com");  // No clock at all.
  const TicketId c = Open("c", "c@example.com");
  const TicketId d = Open("d", "d@example.com");
  const TicketId e = Open("e", "e@example.com");
  const TicketId f = Open("f", "f@example.com");
  SetClocks(a, {Plus(now, 3h)});
  SetClocks(c, {Plus(now, -1h)});                // Overdue: first.
  SetClocks(d, {std::nullopt});                  // Paused only: no running clock.
  SetClocks(e, {Plus(now, 3h)});                 // The same deadline as a: by id.
  SetClocks(f, {Plus(now, 9h), Plus(now, 2h)});  // The earliest of its clocks counts.

  TicketQuery q;
  q.sort = TicketSort::kSlaDue;
  for (int limit : {1, 2, 3, 4, 10}) {
    EXPECT_THAT(Walk(q, limit), ElementsAre(c, f, a, e, b, d)) << limit;
  }
  // With a filter (its bindings appear in both halves of the query).
  Modify(a, [&](const TicketState& s) {
    return domain::TakeOwnership(s, Principal::ForAgent(bo_), clock_.Now());
  });
  q.status = TicketStatus::kNew;
  EXPECT_THAT(Walk(q, 1), ElementsAre(c, f, e, b, d));

  // An ordinary change (a reply) keeps the deadline; a clock that stops leaves the list's head.
  Reply(c, bo_);
  q.status.reset();
  EXPECT_THAT(Walk(q, 2), ElementsAre(c, f, a, e, b, d));
  SetClocks(c, {});
  EXPECT_THAT(Walk(q, 2), ElementsAre(f, a, e, b, c, d));
}

TEST_F(QueuesTest, SlaDuePagingIsStableWhileDeadlinesArriveBehindTheCursor) {
  const Timestamp now = clock_.Now();
  std::vector<TicketId> before;
  for (int i = 0; i < 6; ++i) {
    before.push_back(Open(testing::Cat("t", i), "p@example.com"));
    if (i % 2 == 0) SetClocks(before.back(), {Plus(now, std::chrono::hours(i + 1))});
  }
  TicketQuery q;
  q.sort = TicketSort::kSlaDue;
  const std::vector<TicketId> seen = Walk(q, 2, [&] {
    SetClocks(Open("late", "q@example.com"), {Plus(now, -5h)});  // Sorts before the cursor.
  });
  std::set<TicketId> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
  for (TicketId id : before) EXPECT_EQ(unique.count(id), 1u) << id;
}

TEST_F(QueuesTest, SlaDueReadsTheDeadlineIndexInOrder) {
  const std::string plan = Plan(
      "SELECT id FROM tickets WHERE 1 AND sla_due_at IS NOT NULL AND (sla_due_at, id) > (5, 5)"
      " ORDER BY sla_due_at, id LIMIT 51");
  EXPECT_THAT(plan, HasSubstr("tickets_by_sla_due")) << plan;
  EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE"))) << plan;
  // Those without a clock are read in id order (mostly resolved and closed tickets: the first
  // rows the scan meets fill the page).
  const std::string rest =
      Plan("SELECT id FROM tickets WHERE 1 AND sla_due_at IS NULL AND id > 5 ORDER BY id LIMIT 51");
  EXPECT_THAT(rest, Not(HasSubstr("TEMP B-TREE"))) << rest;
}

TEST_F(QueuesTest, SavedViewsBelongToTheirAgentAndKeepNamesUnique) {
  const SavedView v =
      Must(store_->CreateSavedView(bo_.id, "Urgent mine", "owner=me&sort=priority"));
  EXPECT_GT(v.id, 0);
  EXPECT_EQ(v.agent_id, bo_.id);
  EXPECT_EQ(v.created_at, clock_.Now());
  const SavedView w = Must(store_->CreateSavedView(bo_.id, "Due soon", "sort=sla_due"));
  Must(store_->CreateSavedView(cy_.id, "Urgent mine", "sort=oldest"));  // Cy's own: allowed.

  auto dup = store_->CreateSavedView(bo_.id, "URGENT MINE", "");
  EXPECT_EQ(dup.status().code(), StatusCode::kConflict);
  std::vector<SavedView> mine = Must(store_->ListSavedViews(bo_.id));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].name, "Urgent mine");
  EXPECT_EQ(mine[1].query, "sort=sla_due");

  // Another agent's view is not found, and nothing of it changes.
  EXPECT_EQ(store_->UpdateSavedView(cy_.id, v.id, {"Mine now", {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteSavedView(cy_.id, v.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(Must(store_->ListSavedViews(bo_.id))[0].name, "Urgent mine");

  clock_.Advance(1min);
  EXPECT_EQ(store_->UpdateSavedView(bo_.id, w.id, {"urgent MINE", {}}).status().code(),
            StatusCode::kConflict);
  const SavedView renamed = Must(store_->UpdateSavedView(bo_.id, w.id, {"Due today", {}}));
  EXPECT_EQ(renamed.query, "sort=sla_due");
  EXPECT_EQ(renamed.updated_at, clock_.Now());
  // The same name in another case: a rename of the view itself.
  Must(store_->UpdateSavedView(bo_.id, w.id, {"DUE TODAY", "status=open"}));
  mine = Must(store_->ListSavedViews(bo_.id));
  EXPECT_EQ(mine[1].name, "DUE TODAY");
  EXPECT_EQ(mine[1].query, "status=open");

  ASSERT_TRUE(store_->DeleteSavedView(bo_.id, v.id).ok());
  EXPECT_EQ(store_->DeleteSavedView(bo_.id, v.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(Must(store_->ListSavedViews(bo_.id)).size(), 1u);
  EXPECT_EQ(Must(store_->ListSavedViews(cy_.id)).size(), 1u);
}

TEST_F(QueuesTest, AnAgentKeepsAtMostTheLimitOfSavedViews) {
  for (int i = 1; i < kMaxSavedViews; ++i) {
    Must(store_->CreateSavedView(bo_.id, testing::Cat("v", i), ""));
  }
  const SavedView last = Must(store_->CreateSavedView(bo_.id, "last", ""));
  EXPECT_EQ(store_->CreateSavedView(bo_.id, "one more", "").status().code(), StatusCode::kConflict);
  EXPECT_EQ(Must(store_->ListSavedViews(bo_.id)).size(), static_cast<size_t>(kMaxSavedViews));
  ASSERT_TRUE(store_->DeleteSavedView(bo_.id, last.id).ok());
  Must(store_->CreateSavedView(bo_.id, "one more", ""));
}

TEST_F(QueuesTest, QueueQueriesReadIndexesNotWholeTables) {
  const std::string rank =
      "(CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)";
  const std::vector<std::string> queries = {
      "SELECT count(*) FROM tickets WHERE owner_id = 1 AND status = 'open'",
      "SELECT count(*) FROM tickets WHERE owner_id IS NULL AND status = 'new'",
      "SELECT count(*) FROM handoffs WHERE to_agent_id = 1 AND state = 'proposed'",
      "SELECT count(*) FROM tickets WHERE owner_id = 1 AND status = 'pending'",
      "SELECT count(*) FROM tickets WHERE team_id = 1 AND status IN ('new', 'open', 'pending')",
      "SELECT id FROM tickets WHERE 1 AND (updated_at, id) < (5, 5)"
      " ORDER BY updated_at DESC, id DESC LIMIT 51",
      "SELECT * FROM (SELECT id, " + rank + " AS sort_rank FROM tickets WHERE 1 AND " + rank +
          " = 1 AND id > 5 ORDER BY id LIMIT 51) UNION ALL SELECT * FROM (SELECT id, " + rank +
          " AS sort_rank FROM tickets WHERE 1 AND " + rank + " > 1 ORDER BY " + rank +
          ", id LIMIT 51) ORDER BY sort_rank, id LIMIT 51",
      "SELECT id FROM tickets WHERE 1 AND status = 'open' ORDER BY " + rank + ", id LIMIT 51",
      "SELECT id FROM tickets WHERE 1 AND silence_raised_at IS NOT NULL ORDER BY id DESC LIMIT 51",
      "SELECT t.owner_id, t.team_id, count(*), sum(m.chase) FROM messages m"
      " JOIN tickets t ON t.id = m.ticket_id"
      " WHERE m.kind = 'customer' AND m.created_at >= 0 GROUP BY t.owner_id, t.team_id",
      "SELECT e.type FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
      " WHERE e.type IN ('promise_broken', 'silence_raised', 'chase_received')"
      " AND e.at >= 0 AND e.at < 10 ORDER BY e.at, e.id LIMIT 10",
  };
  for (const std::string& sql : queries) {
    const std::string plan = Plan(sql);
    // A scan is allowed only over the small partial index of silent tickets (or a subquery's
    // page of rows).
    size_t at = 0;
    while ((at = plan.find("SCAN", at)) != std::string::npos) {
      const std::string line = plan.substr(at, plan.find('\n', at) - at);
      if (line.find("(subquery") == std::string::npos) {  // A subquery's own ≤51 rows.
        EXPECT_THAT(line, HasSubstr("tickets_silent")) << sql << "\n" << plan;
      }
      at += 4;
    }
    if (sql.find("ORDER BY") != std::string::npos &&
        sql.find("ORDER BY e.at") == std::string::npos && sql.find("UNION") == std::string::npos) {
      EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE FOR ORDER BY"))) << sql << "\n" << plan;
    }
  }
}

}  // namespace
}  // namespace steadfast::storage
