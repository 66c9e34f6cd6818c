#include "storage/sqlite/group_writer.h"

#include <chrono>
#include <vector>

namespace steadfast::storage::sqlite {

struct GroupWriter::Job {
  Work work;
  Status status;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
};

GroupWriter::GroupWriter(std::unique_ptr<Connection> conn, size_t max_group)
    : conn_(std::move(conn)), max_group_(max_group), thread_([this] { Loop(); }) {}

GroupWriter::~GroupWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  has_work_.notify_one();
  thread_.join();
}

Status GroupWriter::Run(Work work) {
  Job job;
  job.work = std::move(work);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::Unavailable("store is shutting down");
    queue_.push_back(&job);
  }
  has_work_.notify_one();
  std::unique_lock<std::mutex> lock(job.mu);
  job.cv.wait(lock, [&] { return job.done; });
  return job.status;
}

GroupWriter::Stats GroupWriter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void GroupWriter::Loop() {
  while (true) {
    std::deque<Job*> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      has_work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping and drained.
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    const auto start = std::chrono::steady_clock::now();
    RunGroup(group);
    const auto busy = std::chrono::steady_clock::now() - start;
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.groups;
    stats_.units += static_cast<int64_t>(group.size());
    stats_.busy_micros += std::chrono::duration_cast<std::chrono::microseconds>(busy).count();
    stats_.commit_micros += last_commit_micros_;
    stats_.index_micros += last_index_micros_;
  }
}

void GroupWriter::RunGroup(std::deque<Job*>& group) {
  std::deque<Job*> todo(group.begin(), group.end());
  // The units whose work sits in the open transaction; they succeed only if it commits.
  std::vector<Job*> pending;
  bool in_transaction = false;
  while (!todo.empty()) {
    Job* job = todo.front();
    todo.pop_front();
    if (!in_transaction) {
      Status begin = conn_->Exec("BEGIN IMMEDIATE");
      if (!begin.ok()) {
        job->status = begin;
        continue;
      }
      in_transaction = true;
    }
    // No SAVEPOINT per unit: FTS5 flushes its pending index data at every savepoint, which
    // made savepoints the most expensive part of a write. Units almost always fail before
    // writing anything (the domain rule refuses); the rare unit that fails after writing rolls
    // back the group's transaction, and the units before it run again.
    const int64_t changes_before = sqlite3_total_changes64(conn_->raw());
    const size_t index_writes_before = conn_->PendingIndexWrites();
    Status s = job->work(*conn_);
    const bool rolled_back = sqlite3_get_autocommit(conn_->raw()) != 0;
    const bool wrote = sqlite3_total_changes64(conn_->raw()) != changes_before;
    if (rolled_back || (!s.ok() && wrote)) {
      // SQLite itself rolls back the whole transaction on some errors (a full disk, I/O).
      if (!rolled_back) (void)conn_->Exec("ROLLBACK");
      conn_->DiscardIndexWrites();
      job->status = s.ok() ? Status::Unavailable("transaction was rolled back") : s;
      todo.insert(todo.begin(), pending.begin(), pending.end());
      pending.clear();
      in_transaction = false;
      continue;
    }
    if (!s.ok()) conn_->DiscardIndexWrites(index_writes_before);
    job->status = std::move(s);
    if (job->status.ok()) pending.push_back(job);
  }
  last_commit_micros_ = 0;
  last_index_micros_ = 0;
  if (in_transaction) {
    const auto start = std::chrono::steady_clock::now();
    Status commit = conn_->FlushIndexWrites();
    const auto flushed = std::chrono::steady_clock::now();
    if (commit.ok()) commit = conn_->Exec("COMMIT");
    last_index_micros_ =
        std::chrono::duration_cast<std::chrono::microseconds>(flushed - start).count();
    last_commit_micros_ = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - flushed)
                              .count();
    if (!commit.ok()) {
      (void)conn_->Exec("ROLLBACK");
      conn_->DiscardIndexWrites();
      for (Job* job : pending) {
        job->status = Status::Unavailable("commit failed: " + commit.message());
      }
    }
  }
  for (Job* job : group) {
    // Notify under the lock: once the caller sees `done` it returns and destroys the Job.
    std::lock_guard<std::mutex> lock(job->mu);
    job->done = true;
    job->cv.notify_one();
  }
}

}  // namespace steadfast::storage::sqlite
