#include "storage/sqlite/group_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "storage/sqlite/connection.h"
#include "testing/test_util.h"
namespace steadfast::storage::sqlite {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

using ::steadfast::testing::Cat;

// The code's name ("Conflict"), so that a failed expectation says what came back.
std::string_view Code(const Status& s) { return StatusCodeName(s.code()); }

int CountCommit(void* counter) {
  static_cast<std::atomic<int>*>(counter)->fetch_add(1);
  return 0;  // Let the commit go ahead.
}

// Counts the transactions the writer begins: one per group.
int CountBegin(unsigned type, void* counter, void* stmt, void* sql) {
  if (type == SQLITE_TRACE_STMT &&
      std::string_view(static_cast<const char*>(sql)) == "BEGIN IMMEDIATE") {
    static_cast<std::atomic<int>*>(counter)->fetch_add(1);
  }
  return 0;
}

Status Insert(Connection& c, const std::string& name) {
  return c.Prepare("INSERT INTO items(name) VALUES(?)").Bind(1, name).Run();
}

// A unit that fails with SQLITE_FULL, the way a full disk does: the database may not grow by a
// single page while it writes a megabyte.
Status FillTheDisk(Connection& c, const std::string& name) {
  int64_t pages = 0;
  {
    Statement st = c.Prepare("PRAGMA page_count");
    if (st.Step()) pages = st.Int(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  SF_RETURN_IF_ERROR(c.Exec(Cat("PRAGMA max_page_count = ", pages)));
  Status s =
      c.Prepare("INSERT INTO items(name, data) VALUES(?, zeroblob(1000000))").Bind(1, name).Run();
  (void)c.Exec("PRAGMA max_page_count = 4294967294");
  if (s.ok()) return Status::Internal("the insert should have hit max_page_count");
  return s;
}

// What one caller of Run got, and which group its unit ran in (the number of transactions the
// writer had begun when the unit ran: units of one group see the same number).
struct Outcome {
  Status status;
  int group = -1;
  int commits_before_unit = -1;
  int commits_when_answered = -1;
};

// Every behaviour holds whether SQLite fsyncs inside COMMIT or a sync thread does (pipelined).
class GroupWriterTest : public ::testing::TestWithParam<SyncMode> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sf-writer-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/writer.db";
    auto conn = Connection::Open(path_, /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)
                    ->Exec("CREATE TABLE items(name TEXT PRIMARY KEY, data BLOB);"
                           "CREATE TABLE parents(id INTEGER PRIMARY KEY);"
                           "CREATE TABLE children(parent_id INTEGER NOT NULL "
                           "  REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);")
                    .ok());
    sqlite3_commit_hook((*conn)->raw(), &CountCommit, &commits_);
    sqlite3_trace_v2((*conn)->raw(), SQLITE_TRACE_STMT, &CountBegin, &groups_begun_);
    writer_ = std::make_unique<GroupWriter>(std::move(conn).value(), GetParam());
  }

  void TearDown() override {
    writer_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Every item name committed to the file, sorted, read through a connection of its own.
  std::vector<std::string> CommittedNames() {
    std::vector<std::string> out;
    auto conn = Connection::Open(path_, /*read_only=*/true);
    if (!conn.ok()) {
      ADD_FAILURE() << conn.status().ToString();
      return out;
    }
    Statement st = (*conn)->Prepare("SELECT name FROM items ORDER BY name");
    while (st.Step()) out.push_back(st.Text(0));
    EXPECT_TRUE(st.status().ok()) << st.status().ToString();
    return out;
  }

  int64_t CommittedChildren() {
    auto conn = Connection::Open(path_, /*read_only=*/true);
    if (!conn.ok()) return -1;
    Statement st = (*conn)->Prepare("SELECT COUNT(*) FROM children");
    return st.Step() ? st.Int(0) : -1;
  }

  // Holds the writer thread inside a gate unit, has one thread per work call Run, and opens the
  // gate once every thread has arrived, so the units pile up behind it and run in as few groups
  // as the writer makes. Returns what each caller got, in the order of `works`.
  //
  // A caller announces itself just before it calls Run, so one preempted in between may queue
  // after the gate opens: that can only add groups, never lose or reorder an answer.
  std::vector<Outcome> RunBehindGate(const std::vector<GroupWriter::Work>& works) {
    std::vector<Outcome> out(works.size());
    std::mutex mu;
    std::condition_variable cv;
    bool gate_entered = false;
    bool gate_open = false;
    size_t arrived = 0;
    Status gate_status;
    std::thread gate([&] {
      gate_status = writer_->Run([&](Connection&) {
        std::unique_lock<std::mutex> lock(mu);
        gate_entered = true;
        cv.notify_all();
        cv.wait(lock, [&] { return gate_open; });
        return Status::Ok();
      });
    });
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return gate_entered; });
    }
    std::vector<std::thread> callers;
    for (size_t i = 0; i < works.size(); ++i) {
      callers.emplace_back([&, i] {
        {
          std::lock_guard<std::mutex> lock(mu);
          ++arrived;
        }
        cv.notify_all();
        out[i].status = writer_->Run([&, i](Connection& c) {
          out[i].group = groups_begun_.load();
          out[i].commits_before_unit = commits_.load();
          return works[i](c);
        });
        out[i].commits_when_answered = commits_.load();
      });
    }
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return arrived == works.size(); });
      gate_open = true;
    }
    cv.notify_all();
    gate.join();
    for (auto& t : callers) t.join();
    EXPECT_TRUE(gate_status.ok()) << gate_status.ToString();
    return out;
  }

  static std::set<int> Groups(const std::vector<Outcome>& outcomes) {
    std::set<int> groups;
    for (const Outcome& o : outcomes) groups.insert(o.group);
    return groups;
  }

  std::string dir_;
  std::string path_;
  std::atomic<int> commits_{0};
  std::atomic<int> groups_begun_{0};
  std::unique_ptr<GroupWriter> writer_;
};

TEST_P(GroupWriterTest, RunReturnsTheUnitsStatusAfterCommitting) {
  EXPECT_TRUE(writer_->Run([](Connection& c) { return Insert(c, "one"); }).ok());
  EXPECT_THAT(CommittedNames(), ElementsAre("one"));
  EXPECT_EQ(commits_.load(), 1);

  Status s = writer_->Run([](Connection&) { return Status::NotFound("no such thing"); });
  EXPECT_EQ(Code(s), "NotFound");
  EXPECT_EQ(s.message(), "no such thing");
}

TEST_P(GroupWriterTest, ManyThreadsWritingAtOnceAreAllAnswered) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const std::string name = Cat("t", t, "-", i);
        Status s = writer_->Run([&](Connection& c) { return Insert(c, name); });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CommittedNames().size(), static_cast<size_t>(kThreads * kWritesEach));
  EXPECT_LE(commits_.load(), kThreads * kWritesEach);
}

TEST_P(GroupWriterTest, QueuedCallersShareCommits) {
  constexpr int kCallers = 24;
  std::vector<GroupWriter::Work> works;
  std::vector<std::string> names;
  for (int i = 0; i < kCallers; ++i) {
    names.push_back(Cat("item-", i));
    works.push_back([name = names.back()](Connection& c) { return Insert(c, name); });
  }
  commits_ = 0;
  const std::vector<Outcome> out = RunBehindGate(works);

  for (const Outcome& o : out) {
    EXPECT_TRUE(o.status.ok()) << o.status.ToString();
    // The answer came after the commit of the unit's group.
    EXPECT_GT(o.commits_when_answered, o.commits_before_unit);
  }
  EXPECT_THAT(CommittedNames(), UnorderedElementsAreArray(names));
  // One commit for the gate's group, then fewer than one per caller.
  EXPECT_LT(commits_.load() - 1, kCallers) << "every caller got a commit of its own";
  EXPECT_EQ(commits_.load(), 1 + static_cast<int>(Groups(out).size()));
}

TEST_P(GroupWriterTest, FailingUnitLeavesNoTraceAndSparesItsGroup) {
  // Units queued together: a unit that fails before writing, and one that fails after writing
  // (its group's transaction is rolled back and the others run again). Either way it leaves no
  // trace and its neighbours commit.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::string p = Cat("a", attempt, "-");
    const std::vector<GroupWriter::Work> works = {
        [&](Connection& c) { return Insert(c, p + "first"); },
        [&](Connection& c) {
          SF_RETURN_IF_ERROR(Insert(c, p + "refused-1"));
          SF_RETURN_IF_ERROR(Insert(c, p + "refused-2"));
          return Status::InvalidArgument("field", "changed its mind");
        },
        [&](Connection& c) {
          SF_RETURN_IF_ERROR(Insert(c, p + "dup"));
          return Insert(c, p + "dup");  // Primary key clash: Conflict.
        },
        [&](Connection& c) { return Insert(c, p + "last"); },
    };
    const std::vector<Outcome> out = RunBehindGate(works);

    EXPECT_TRUE(out[0].status.ok()) << out[0].status.ToString();
    EXPECT_EQ(Code(out[1].status), "InvalidArgument") << out[1].status.ToString();
    EXPECT_EQ(out[1].status.field(), "field");
    EXPECT_EQ(Code(out[2].status), "Conflict") << out[2].status.ToString();
    EXPECT_TRUE(out[3].status.ok()) << out[3].status.ToString();
    const std::vector<std::string> names = CommittedNames();
    EXPECT_THAT(names, ::testing::IsSupersetOf({p + "first", p + "last"}));
    for (const std::string& gone : {p + "refused-1", p + "refused-2", p + "dup"}) {
      EXPECT_THAT(names, ::testing::Not(::testing::Contains(gone)));
    }
  }
}

TEST_P(GroupWriterTest, UnitThatFillsTheDiskFailsAloneInItsGroup) {
  // SQLITE_FULL rolls back the whole transaction. The writer must fail only that unit: the units
  // queued with it are run again and committed, and each caller is told the truth.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::string p = Cat("f", attempt, "-");
    const std::vector<GroupWriter::Work> works = {
        [&](Connection& c) { return Insert(c, p + "before"); },
        [&](Connection& c) { return FillTheDisk(c, p + "huge"); },
        [&](Connection& c) { return Insert(c, p + "after"); },
    };
    const std::vector<Outcome> out = RunBehindGate(works);

    EXPECT_EQ(Code(out[1].status), "Unavailable") << out[1].status.ToString();
    const std::vector<std::string> names = CommittedNames();
    EXPECT_THAT(names, ::testing::Not(::testing::Contains(p + "huge")));
    for (int i : {0, 2}) {
      const std::string name = p + (i == 0 ? "before" : "after");
      const bool committed = std::find(names.begin(), names.end(), name) != names.end();
      EXPECT_TRUE(out[i].status.ok()) << name << ": " << out[i].status.ToString();
      EXPECT_TRUE(committed) << name << " was not committed";
    }
  }
  // The writer still works afterwards.
  EXPECT_TRUE(writer_->Run([](Connection& c) { return Insert(c, "later"); }).ok());
}

TEST_P(GroupWriterTest, FailedCommitAnswersEveryUnitUnavailableAndKeepsNothing) {
  // A deferred foreign key is only checked by COMMIT, so the commit itself fails.
  Status s = writer_->Run([](Connection& c) {
    SF_RETURN_IF_ERROR(Insert(c, "with-orphan"));
    return c.Prepare("INSERT INTO children(parent_id) VALUES(42)").Run();
  });
  EXPECT_EQ(Code(s), "Unavailable") << s.ToString();
  EXPECT_THAT(CommittedNames(), IsEmpty());
  EXPECT_EQ(CommittedChildren(), 0);

  const std::vector<Outcome> out = RunBehindGate({
      [](Connection& c) { return Insert(c, "innocent"); },
      [](Connection& c) { return c.Prepare("INSERT INTO children(parent_id) VALUES(7)").Run(); },
  });
  for (const Outcome& o : out) {
    if (Groups(out).size() == 1) {
      EXPECT_EQ(Code(o.status), "Unavailable") << o.status.ToString();
    }
  }
  EXPECT_EQ(Code(out[1].status), "Unavailable");
  const bool innocent_committed = !CommittedNames().empty();
  EXPECT_EQ(out[0].status.ok(), innocent_committed);
  EXPECT_EQ(CommittedChildren(), 0);

  // The writer recovers.
  EXPECT_TRUE(writer_->Run([](Connection& c) { return Insert(c, "after"); }).ok());
  EXPECT_THAT(CommittedNames(), ::testing::Contains("after"));
}

TEST_P(GroupWriterTest, DestructionFinishesOrRefusesWorkButNeverLosesIt) {
  constexpr int kCallers = 12;
  GroupWriter* writer = writer_.get();
  std::mutex mu;
  std::condition_variable cv;
  bool gate_entered = false;
  bool gate_open = false;
  bool destroying = false;
  int arrived = 0;
  std::thread gate([&] {
    EXPECT_TRUE(writer
                    ->Run([&](Connection&) {
                      std::unique_lock<std::mutex> lock(mu);
                      gate_entered = true;
                      cv.notify_all();
                      cv.wait(lock, [&] { return gate_open; });
                      return Status::Ok();
                    })
                    .ok());
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return gate_entered; });
  }
  std::vector<Status> statuses(kCallers);
  std::vector<std::thread> callers;
  auto call = [&](int i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++arrived;
    }
    cv.notify_all();
    statuses[i] = writer->Run([i](Connection& c) { return Insert(c, Cat("c", i)); });
  };
  // The first half queue before destruction is asked for, the rest while it is under way. The
  // writer cannot finish stopping before the gate opens, and the gate waits for every caller to
  // arrive (just before it calls Run), so each Run meets a live writer that either takes the
  // work or refuses it.
  for (int i = 0; i < kCallers / 2; ++i) callers.emplace_back(call, i);
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return arrived == kCallers / 2; });
  }
  std::unique_ptr<GroupWriter> owned = std::move(writer_);
  std::thread destroyer([&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      destroying = true;
    }
    cv.notify_all();
    owned.reset();  // Blocks until the writer thread has drained and stopped.
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return destroying; });
  }
  for (int i = kCallers / 2; i < kCallers; ++i) callers.emplace_back(call, i);
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return arrived == kCallers; });
    gate_open = true;
  }
  cv.notify_all();
  gate.join();
  for (auto& t : callers) t.join();
  destroyer.join();

  const std::vector<std::string> names = CommittedNames();
  for (int i = 0; i < kCallers; ++i) {
    const std::string name = Cat("c", i);
    const bool committed = std::find(names.begin(), names.end(), name) != names.end();
    EXPECT_TRUE(statuses[i].ok() || Code(statuses[i]) == "Unavailable")
        << name << ": " << statuses[i].ToString();
    EXPECT_EQ(statuses[i].ok(), committed)
        << name << ": told " << statuses[i].ToString() << ", committed " << committed;
  }
}

INSTANTIATE_TEST_SUITE_P(SyncModes, GroupWriterTest,
                         ::testing::Values(SyncMode::kInCommit, SyncMode::kPipelined),
                         [](const ::testing::TestParamInfo<SyncMode>& info) {
                           return info.param == SyncMode::kInCommit ? "InCommit" : "Pipelined";
                         });

}  // namespace
}  // namespace steadfast::storage::sqlite
