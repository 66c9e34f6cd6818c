#include "mail/mailbox_poller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::mail {
namespace {

using namespace std::chrono_literals;
using testing::Cat;

// A mailbox in memory that writes down every call, so tests can check what happened in which
// order.
class FakeSession final : public ImapSession {
 public:
  struct Message {
    std::string raw;
    bool seen = false;
    bool too_large = false;
  };

  Result<ImapFolderState> Open() override {
    log.push_back("open");
    if (!open_error.ok()) return open_error;
    return ImapFolderState{uidvalidity};
  }
  Result<std::vector<uint32_t>> Search(bool unseen_only) override {
    log.push_back(unseen_only ? "search unseen" : "search all");
    std::vector<uint32_t> out;
    for (const auto& [uid, m] : messages) {
      if (!unseen_only || !m.seen) out.push_back(uid);
    }
    return out;
  }
  Result<std::string> Fetch(uint32_t uid) override {
    log.push_back(Cat("fetch ", uid));
    auto it = messages.find(uid);
    if (it == messages.end()) return Status::NotFound("gone");
    if (it->second.too_large) return Status::TooLarge("too large");
    if (!fetch_error.ok()) return fetch_error;
    return it->second.raw;
  }
  Status MarkSeen(uint32_t uid) override {
    log.push_back(Cat("seen ", uid));
    messages[uid].seen = true;
    return Status::Ok();
  }
  Status Move(uint32_t uid, const std::string& folder) override {
    log.push_back(Cat("move ", uid) + " " + folder);
    moved[folder].push_back(messages[uid].raw);
    messages.erase(uid);
    return Status::Ok();
  }
  void Close() override {}
  void Cancel() override {}

  std::map<uint32_t, Message> messages;
  std::map<std::string, std::vector<std::string>> moved;
  uint32_t uidvalidity = 7;
  Status open_error;
  Status fetch_error;
  std::vector<std::string> log;
};

class MailboxPollerTest : public ::testing::Test {
 protected:
  MailboxPollerTest() {
    options_.name = "support";
    options_.url = "imaps://imap.example.com";
    options_.folder = "INBOX";
    options_.poll_ms = 1000;
    options_.max_backoff_ms = 10'000;
  }

  // Answers by the message text: "bad" is never acceptable, "busy" is temporary, "dup" is a
  // duplicate; anything else opens a ticket. Logs "ingest <raw>" and whether the message was
  // already flagged at that moment (it must never be).
  Result<IntakeResult> Ingest(std::string_view raw) {
    session_->log.push_back("ingest " + std::string(raw));
    for (const auto& [uid, m] : session_->messages) {
      if (m.raw == raw && m.seen) session_->log.push_back("ALREADY FLAGGED");
    }
    if (raw == "bad") return Status::BadRequest("not a message");
    if (raw == "busy") return Status::Unavailable("database is busy");
    IntakeResult r;
    r.outcome =
        raw == "dup" ? IntakeResult::Outcome::kDuplicate : IntakeResult::Outcome::kNewTicket;
    r.ticket_id = 1;
    return r;
  }

  MailboxPoller& Poller() {
    if (!poller_) {
      auto session = std::make_unique<FakeSession>(std::move(pending_));
      session_ = session.get();
      poller_ = std::make_unique<MailboxPoller>(
          options_, std::move(session), [this](std::string_view raw) { return Ingest(raw); },
          clock_);
    }
    return *poller_;
  }

  FakeSession& Session() {
    Poller();
    return *session_;
  }

  void Add(uint32_t uid, std::string raw) { Session().messages[uid].raw = std::move(raw); }

  testing::FakeClock clock_;
  MailboxOptions options_;
  FakeSession pending_;
  FakeSession* session_ = nullptr;
  std::unique_ptr<MailboxPoller> poller_;
};

TEST_F(MailboxPollerTest, FlagsEachMessageOnlyAfterItIsTakenIn) {
  Add(5, "second");
  Add(3, "first");
  EXPECT_EQ(Poller().status().state, MailboxStatus::State::kStarting);
  Poller().PollOnce();
  EXPECT_EQ(Session().log,
            (std::vector<std::string>{"open", "search unseen", "fetch 3", "ingest first", "seen 3",
                                      "fetch 5", "ingest second", "seen 5"}));
  const MailboxStatus s = Poller().status();
  EXPECT_EQ(s.state, MailboxStatus::State::kOk);
  EXPECT_EQ(s.messages_ingested, 2);
  EXPECT_EQ(s.last_uid, 5u);
  EXPECT_EQ(s.uidvalidity, 7u);
  EXPECT_EQ(s.last_poll_at, clock_.Now());
  EXPECT_EQ(s.last_success_at, clock_.Now());
  EXPECT_EQ(s.next_poll_at.millis, clock_.Now().millis + 1000);

  Session().log.clear();
  Poller().PollOnce();  // Nothing unseen is left.
  EXPECT_EQ(Session().log, (std::vector<std::string>{"open", "search unseen"}));
}

TEST_F(MailboxPollerTest, ATemporaryFailureLeavesTheMessageForTheNextPoll) {
  Add(1, "busy");
  Add(2, "fine");
  Poller().PollOnce();
  EXPECT_FALSE(Session().messages[1].seen);
  EXPECT_TRUE(Session().messages[2].seen);  // One message does not hold up the others.
  MailboxStatus s = Poller().status();
  EXPECT_EQ(s.state, MailboxStatus::State::kFailing);
  EXPECT_EQ(s.consecutive_failures, 1);
  EXPECT_NE(s.last_error.find("UID 1"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.last_error_at, clock_.Now());

  Session().messages[1].raw = "recovered";
  clock_.Advance(2s);
  Session().log.clear();
  Poller().PollOnce();
  EXPECT_EQ(Session().log, (std::vector<std::string>{"open", "search unseen", "fetch 1",
                                                     "ingest recovered", "seen 1"}));
  s = Poller().status();
  EXPECT_EQ(s.state, MailboxStatus::State::kOk);
  EXPECT_EQ(s.consecutive_failures, 0);
  EXPECT_FALSE(s.last_error.empty());  // Kept, with its time, after recovery.
}

TEST_F(MailboxPollerTest, NeverAcceptableAndTooLargeMessagesAreFlaggedNotRetried) {
  Add(1, "bad");
  Add(2, "huge");
  Session().messages[2].too_large = true;
  Add(3, "dup");
  Poller().PollOnce();
  EXPECT_EQ(Session().log,
            (std::vector<std::string>{"open", "search unseen", "fetch 1", "ingest bad", "seen 1",
                                      "fetch 2", "seen 2", "fetch 3", "ingest dup", "seen 3"}));
  const MailboxStatus s = Poller().status();
  EXPECT_EQ(s.state, MailboxStatus::State::kOk);
  EXPECT_EQ(s.messages_rejected, 2);
  EXPECT_EQ(s.messages_ingested, 0);  // A duplicate was taken in before.
}

TEST_F(MailboxPollerTest, AFetchFailureEndsThePollAndLeavesEverythingUnflagged) {
  Add(1, "a");
  Session().fetch_error = Status::Unavailable("connection reset");
  Poller().PollOnce();
  EXPECT_FALSE(Session().messages[1].seen);
  EXPECT_EQ(Poller().status().state, MailboxStatus::State::kFailing);
  EXPECT_EQ(Poller().status().last_error, "connection reset");
}

TEST_F(MailboxPollerTest, FailuresBackOffExponentiallyUpToTheCap) {
  Session().open_error = Status::Unavailable("cannot connect");
  const int64_t expected[] = {2000, 4000, 8000, 10'000, 10'000};
  for (int64_t delay : expected) {
    Poller().PollOnce();
    const MailboxStatus s = Poller().status();
    EXPECT_EQ(s.state, MailboxStatus::State::kFailing);
    EXPECT_EQ(s.next_poll_at.millis - clock_.Now().millis, delay);
    clock_.Advance(std::chrono::milliseconds(delay));
  }
  EXPECT_EQ(Poller().status().consecutive_failures, 5);
  EXPECT_EQ(Poller().status().last_error, "cannot connect");
  EXPECT_FALSE(Poller().status().last_success_at.has_value());

  Session().open_error = Status::Ok();
  Poller().PollOnce();
  EXPECT_EQ(Poller().status().state, MailboxStatus::State::kOk);
  EXPECT_EQ(Poller().status().next_poll_at.millis - clock_.Now().millis, 1000);
}

TEST_F(MailboxPollerTest, ProcessedFolderMovesAfterFlagging) {
  options_.processed_folder = "Done";
  Add(4, "one");
  Poller().PollOnce();
  EXPECT_EQ(Session().log, (std::vector<std::string>{"open", "search all", "fetch 4", "ingest one",
                                                     "seen 4", "move 4 Done"}));
  EXPECT_EQ(Session().moved["Done"], (std::vector<std::string>{"one"}));
}

TEST_F(MailboxPollerTest, AChangedUidValidityStartsOver) {
  Add(9, "x");
  Poller().PollOnce();
  EXPECT_EQ(Poller().status().last_uid, 9u);
  Session().uidvalidity = 8;
  Session().messages.clear();
  Add(1, "again");
  Poller().PollOnce();
  const MailboxStatus s = Poller().status();
  EXPECT_EQ(s.uidvalidity, 8u);
  EXPECT_EQ(s.last_uid, 1u);
  EXPECT_TRUE(Session().messages[1].seen);
}

TEST_F(MailboxPollerTest, ABacklogIsTakenInSlicesWithoutWaiting) {
  options_.max_messages_per_poll = 2;
  for (uint32_t uid = 1; uid <= 5; ++uid) Add(uid, Cat("m", uid));
  Poller().PollOnce();
  EXPECT_EQ(Poller().status().messages_ingested, 2);
  EXPECT_EQ(Poller().status().next_poll_at, clock_.Now());  // At once.
  Poller().PollOnce();
  Poller().PollOnce();
  EXPECT_EQ(Poller().status().messages_ingested, 5);
  EXPECT_EQ(Poller().status().next_poll_at.millis, clock_.Now().millis + 1000);
}

TEST_F(MailboxPollerTest, NoMessageIsEverFlaggedBeforeItIsTakenIn) {
  for (uint32_t uid = 1; uid <= 20; ++uid) Add(uid, uid % 3 == 0 ? "busy" : Cat("m", uid));
  Poller().PollOnce();
  for (const std::string& line : Session().log) EXPECT_NE(line, "ALREADY FLAGGED");
}

TEST(MailboxPollerThreadTest, PollsAtOnceThenStopsWithoutWaitingForTheNextPoll) {
  testing::FakeClock clock;  // Never moves: the second poll never comes due.
  auto session = std::make_unique<FakeSession>();
  session->messages[1].raw = "m";
  std::promise<void> taken;
  MailboxOptions o;
  o.name = "t";
  o.poll_ms = 3600 * 1000;
  MailboxPoller poller(
      o, std::move(session),
      [&taken](std::string_view) -> Result<IntakeResult> {
        taken.set_value();
        return IntakeResult{};
      },
      clock);
  poller.Start();
  ASSERT_EQ(taken.get_future().wait_for(60s), std::future_status::ready);
  poller.Stop();
  EXPECT_EQ(poller.status().messages_ingested, 1);
  EXPECT_EQ(poller.status().state, MailboxStatus::State::kOk);
  poller.Stop();  // Idempotent.
}

TEST(ParseImapFaultTest, NamesAndTypos) {
  EXPECT_EQ(*ParseImapFault(""), ImapFault::kNone);
  EXPECT_EQ(*ParseImapFault("imap_crash_after_fetch"), ImapFault::kCrashAfterFetch);
  EXPECT_EQ(*ParseImapFault("imap_crash_after_commit"), ImapFault::kCrashAfterCommit);
  const auto typo = ParseImapFault("imap_crash_after_fetc");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().field(), "STEADFAST_FAULT");
}

TEST(MailboxPollersTest, StatusesInOrder) {
  testing::FakeClock clock;
  MailboxPollers pollers;
  for (const char* name : {"a", "b"}) {
    MailboxOptions o;
    o.name = name;
    pollers.Add(std::make_unique<MailboxPoller>(
        o, std::make_unique<FakeSession>(),
        [](std::string_view) -> Result<IntakeResult> { return IntakeResult{}; }, clock));
  }
  const auto statuses = pollers.Statuses();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].name, "a");
  EXPECT_EQ(statuses[1].name, "b");
  EXPECT_EQ(statuses[1].state, MailboxStatus::State::kStarting);
  pollers.Stop();
}

}  // namespace
}  // namespace steadfast::mail
