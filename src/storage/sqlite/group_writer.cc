#include "storage/sqlite/group_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace steadfast::storage::sqlite {

struct GroupWriter::Job {
  Work work;
  Status status;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
};

GroupWriter::GroupWriter(std::unique_ptr<Connection> conn, SyncMode mode, size_t max_group)
    : conn_(std::move(conn)), max_group_(max_group), mode_(mode) {
  if (mode_ == SyncMode::kPipelined) {
    // Durability comes from SyncWal; a failure to set this would only cost speed.
    (void)conn_->Exec("PRAGMA synchronous=OFF");
    sync_thread_ = std::thread([this] { SyncLoop(); });
  }
  thread_ = std::thread([this] { Loop(); });
}

GroupWriter::~GroupWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  has_work_.notify_one();
  thread_.join();
  if (sync_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      writer_done_ = true;
    }
    has_sync_work_.notify_one();
    sync_thread_.join();
    // If this is the last connection, closing it checkpoints and removes the WAL: let that
    // checkpoint fsync the database first.
    (void)conn_->Exec("PRAGMA synchronous=FULL");
  }
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void GroupWriter::Answer(Job* job) {
  // Notify under the lock: once the caller sees `done` it returns and destroys the Job.
  std::lock_guard<std::mutex> lock(job->mu);
  job->done = true;
  job->cv.notify_one();
}

Status GroupWriter::SyncWal() {
  if (wal_fd_ < 0) {
    const char* db = sqlite3_db_filename(conn_->raw(), "main");
    const std::string wal = std::string(db == nullptr ? "" : db) + "-wal";
    wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return Status::Unavailable("cannot open " + wal + " to sync it");
  }
  if (::fdatasync(wal_fd_) != 0) return Status::Unavailable("fsync of the WAL failed");
  return Status::Ok();
}

void GroupWriter::SyncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    has_sync_work_.wait(lock, [&] { return writer_done_ || !to_sync_.empty(); });
    if (to_sync_.empty()) return;  // The writer is done and everything is answered.
    std::deque<Job*> batch;
    batch.swap(to_sync_);
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    const Status synced = SyncWal();
    const auto took = std::chrono::steady_clock::now() - start;
    for (Job* job : batch) {
      if (!synced.ok()) job->status = synced;
      Answer(job);
    }
    lock.lock();
    ++stats_.syncs;
    stats_.sync_micros += std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  }
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

std::vector<Status> GroupWriter::RunAll(std::vector<Work> works) {
  std::vector<Job> jobs(works.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_)
      return std::vector<Status>(works.size(), Status::Unavailable("store is shutting down"));
    for (size_t i = 0; i < works.size(); ++i) {
      jobs[i].work = std::move(works[i]);
      queue_.push_back(&jobs[i]);
    }
  }
  has_work_.notify_one();
  std::vector<Status> out;
  out.reserve(jobs.size());
  for (Job& job : jobs) {
    std::unique_lock<std::mutex> lock(job.mu);
    job.cv.wait(lock, [&] { return job.done; });
    out.push_back(job.status);
  }
  return out;
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
  if (mode_ == SyncMode::kInCommit) {
    for (Job* job : group) Answer(job);
    return;
  }
  // Pipelined: the units that wrote wait for the sync thread; the others are answered now.
  std::deque<Job*> committed;
  for (Job* job : group) {
    if (job->status.ok()) {
      committed.push_back(job);
    } else {
      Answer(job);
    }
  }
  if (committed.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    to_sync_.insert(to_sync_.end(), committed.begin(), committed.end());
  }
  has_sync_work_.notify_one();
}

}  // namespace steadfast::storage::sqlite
