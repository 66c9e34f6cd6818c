#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/sqlite/connection.h"

namespace steadfast::storage::sqlite {

// Copies committed pages from the WAL into the database file on its own thread and connection,
// so the writer never pays for it inside a COMMIT. (With SQLite's automatic checkpoints, every
// few commits one COMMIT wrote a thousand pages at random places in the file and fsynced it.)
// The writer connection must have `wal_autocheckpoint=0`. Checkpoints are PASSIVE: they never
// block the writer or readers, and fsync the database before the WAL may be reused.
class Checkpointer {
 public:
  // Takes its own read-write connection; checkpoints every `period_ms`.
  Checkpointer(std::unique_ptr<Connection> conn, int period_ms);
  // Stops after a last checkpoint.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void Loop();

  std::unique_ptr<Connection> conn_;
  const int period_ms_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Guarded by mu_.
  std::thread thread_;
};

}  // namespace steadfast::storage::sqlite
