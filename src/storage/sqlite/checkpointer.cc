#include "storage/sqlite/checkpointer.h"

#include <chrono>

#include "common/log.h"

namespace steadfast::storage::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, int period_ms)
    : conn_(std::move(conn)), period_ms_(period_ms), thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait_for(lock, std::chrono::milliseconds(period_ms_), [&] { return stopping_; });
    const bool last = stopping_;
    lock.unlock();
    int log_frames = 0;
    int checkpointed = 0;
    const int rc = sqlite3_wal_checkpoint_v2(conn_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &log_frames, &checkpointed);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      Log(LogLevel::kWarn, "checkpoint failed", {{"error", sqlite3_errmsg(conn_->raw())}});
    }
    lock.lock();
    if (last) return;
  }
}

}  // namespace steadfast::storage::sqlite
