#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace steadfast::storage::sqlite {

class Connection;

// A prepared statement borrowed from a Connection's cache. Resets and clears its bindings when
// it goes out of scope, so the next borrower starts clean. Not thread-safe (nor is Connection).
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Statement();
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index. Chainable.
  Statement& Bind(int index, int64_t v);
  Statement& Bind(int index, std::string_view v);
  Statement& BindBlob(int index, std::string_view v);
  Statement& Bind(int index, std::optional<int64_t> v);
  Statement& BindNull(int index);

  // Advances: true with a row, false when done. Errors become a Status in `status()`.
  bool Step();
  // Runs to completion; the Status of the run (Conflict for constraint violations).
  [[nodiscard]] Status Run();
  const Status& status() const { return status_; }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<int64_t> OptInt(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  Status status_;
};

// One SQLite connection with a cache of prepared statements. Owned by one thread at a time.
class Connection {
 public:
  // Opens (creating if needed) with WAL and synchronous=FULL. `read_only` connections set
  // query_only so a bug cannot write through them.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Returns the cached prepared statement for `sql` (prepared on first use).
  // REQUIRES: `sql` is valid SQL (a bad statement is a bug: CHECK-fails with the message).
  Statement Prepare(std::string_view sql);
  // Runs one or more statements without results (DDL, BEGIN, COMMIT).
  [[nodiscard]] Status Exec(std::string_view sql);
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

  // Writes to the full-text indexes wait until the transaction is about to commit: FTS5 flushes
  // its pending index data whenever a statement opens a statement journal (any UPDATE or
  // DELETE), so interleaving index writes with row writes would flush once per statement
  // instead of once per commit. `sql` binds ?1 to `id` and ?2, ?3, ... to `texts`.
  void DeferIndexWrite(std::string_view sql, int64_t id, std::vector<std::string> texts);
  // Runs the deferred index writes in order. The group writer calls it before COMMIT.
  [[nodiscard]] Status FlushIndexWrites();
  // Forgets them (the transaction was rolled back), or those after the first `keep`.
  void DiscardIndexWrites(size_t keep = 0) {
    if (keep < deferred_.size()) deferred_.resize(keep);
  }
  size_t PendingIndexWrites() const { return deferred_.size(); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  struct IndexWrite {
    std::string_view sql;
    int64_t id;
    std::vector<std::string> texts;
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::vector<IndexWrite> deferred_;
};

// Maps an SQLite result code to a Status (constraint → Conflict, busy/locked/full → Unavailable).
Status StatusFromSqlite(int rc, sqlite3* db);

}  // namespace steadfast::storage::sqlite
