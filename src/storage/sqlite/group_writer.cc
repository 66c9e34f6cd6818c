#include "storage/sqlite/group_writer.h"

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
    RunGroup(group);
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
    Status s = conn_->Exec("SAVEPOINT unit");
    if (s.ok()) {
      s = job->work(*conn_);
      if (sqlite3_get_autocommit(conn_->raw()) != 0) {
        // Some errors (a full disk, I/O) make SQLite roll back the whole transaction, taking
        // the earlier units of the group with it. This unit fails; the earlier ones run again
        // in a fresh transaction (units may be run more than once, see Work).
        job->status = s.ok() ? Status::Unavailable("transaction was rolled back") : s;
        todo.insert(todo.begin(), pending.begin(), pending.end());
        pending.clear();
        in_transaction = false;
        continue;
      }
      if (!s.ok()) (void)conn_->Exec("ROLLBACK TO unit");
      Status released = conn_->Exec("RELEASE unit");
      if (s.ok()) s = released;
    }
    job->status = std::move(s);
    if (job->status.ok()) pending.push_back(job);
  }
  if (in_transaction) {
    Status commit = conn_->Exec("COMMIT");
    if (!commit.ok()) {
      (void)conn_->Exec("ROLLBACK");
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
