#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

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
// Thread-safe: Run may be called from any number of threads.
class GroupWriter {
 public:
  // A unit of work. Runs on the writer thread; must not block on other writes. May be run more
  // than once (when a later unit's failure rolls back the whole transaction, the earlier units
  // run again), so it must decide only from what it reads through the connection.
  using Work = std::function<Status(Connection&)>;

  // Takes ownership of the write connection and starts the writer thread.
  explicit GroupWriter(std::unique_ptr<Connection> conn, size_t max_group = 256);
  // Finishes queued work, then stops.
  ~GroupWriter();

  // Runs `work` in the next group and blocks until that group has committed (or failed).
  [[nodiscard]] Status Run(Work work);

  // Counters since start, for logs and benchmarks.
  struct Stats {
    int64_t groups = 0;
    int64_t units = 0;
    int64_t busy_micros = 0;    // Running units and committing.
    int64_t commit_micros = 0;  // Inside COMMIT (the fsync).
    int64_t index_micros = 0;   // Writing the deferred full-text index entries.
  };
  Stats stats() const;

 private:
  struct Job;
  void Loop();
  void RunGroup(std::deque<Job*>& group);

  std::unique_ptr<Connection> conn_;
  const size_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable has_work_;
  std::deque<Job*> queue_;          // Guarded by mu_.
  bool stopping_ = false;           // Guarded by mu_.
  Stats stats_;                     // Guarded by mu_.
  int64_t last_commit_micros_ = 0;  // Writer thread only.
  int64_t last_index_micros_ = 0;   // Writer thread only.
  std::thread thread_;
};

}  // namespace steadfast::storage::sqlite
