#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "storage/sqlite/connection.h"

namespace steadfast::storage::sqlite {

// The single writer. Callers hand it units of work; one thread runs everything queued so far in
// one transaction, commits once — one fsync for the group — and then answers every caller.
// A failing unit leaves no trace and does not disturb the others: if it had written anything,
// the transaction is rolled back and the units before it run again in a new one. A unit's Status is
// returned only after the commit is durable; if the commit itself fails, every unit in the group
// gets Unavailable.
//
// How a group's commit is made durable:
// - kInCommit: SQLite fsyncs the WAL inside COMMIT (synchronous=FULL); the writer waits.
// - kPipelined: COMMIT only writes the WAL (synchronous=OFF); a sync thread fsyncs it and then
//   answers the group, while the writer already runs the next group. One fsync covers every
//   group committed before it began. Callers are still answered only once their commit is on
//   disk; other connections may read a commit a moment before that (a power loss in that
//   moment loses it, unacknowledged). Checkpoints must then be made by a connection with
//   synchronous=FULL (see Checkpointer), which fsyncs the database before the WAL is reused.
enum class SyncMode { kInCommit, kPipelined };

// Thread-safe: Run may be called from any number of threads.
class GroupWriter {
 public:
  // A unit of work. Runs on the writer thread; must not block on other writes. May be run more
  // than once (when a later unit's failure rolls back the whole transaction, the earlier units
  // run again), so it must decide only from what it reads through the connection.
  using Work = std::function<Status(Connection&)>;

  // Takes ownership of the write connection and starts the writer thread (and, when pipelined,
  // the sync thread).
  explicit GroupWriter(std::unique_ptr<Connection> conn, SyncMode mode = SyncMode::kInCommit,
                       size_t max_group = 256);
  // Finishes queued work, then stops.
  ~GroupWriter();

  // Runs `work` in the next group and blocks until that group has committed (or failed).
  [[nodiscard]] Status Run(Work work);
  // Queues every unit at once (so they share groups and fsyncs, interleaved with other callers'
  // units) and blocks until all have committed or failed. One Status per unit, in order.
  std::vector<Status> RunAll(std::vector<Work> works);

  // Counters since start, for logs and benchmarks.
  struct Stats {
    int64_t groups = 0;
    int64_t units = 0;
    int64_t busy_micros = 0;    // Running units and committing.
    int64_t commit_micros = 0;  // Inside COMMIT (with kInCommit, the fsync too).
    int64_t syncs = 0;          // fsyncs made by the sync thread (kPipelined).
    int64_t sync_micros = 0;
    int64_t index_micros = 0;  // Writing the deferred full-text index entries.
  };
  Stats stats() const;

 private:
  struct Job;
  void Loop();
  void RunGroup(std::deque<Job*>& group);
  // Answers `job` (wakes its caller). After this the Job may be gone.
  static void Answer(Job* job);
  void SyncLoop();
  // fsyncs the WAL file, opening it on first use.
  Status SyncWal();

  std::unique_ptr<Connection> conn_;
  const size_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable has_work_;
  std::deque<Job*> queue_;          // Guarded by mu_.
  bool stopping_ = false;           // Guarded by mu_.
  Stats stats_;                     // Guarded by mu_.
  int64_t last_commit_micros_ = 0;  // Writer thread only.
  int64_t last_index_micros_ = 0;   // Writer thread only.
  const SyncMode mode_;
  std::condition_variable has_sync_work_;
  std::deque<Job*> to_sync_;  // Committed, not yet durable. Guarded by mu_.
  bool writer_done_ = false;  // Guarded by mu_.
  int wal_fd_ = -1;           // Sync thread only.
  std::thread sync_thread_;
  std::thread thread_;
};

}  // namespace steadfast::storage::sqlite
