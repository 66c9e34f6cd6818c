#include "storage/sqlite/connection.h"

#include <cstdio>
#include <cstdlib>

namespace steadfast::storage::sqlite {

Status StatusFromSqlite(int rc, sqlite3* db) {
  const std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Status::Unavailable("database: " + msg);
    case SQLITE_TOOBIG:
      return Status::TooLarge(msg);
    default:
      return Status::Internal("database: " + msg);
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::Bind(int index, int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view v) {
  sqlite3_bind_blob(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> v) {
  if (v.has_value()) return Bind(index, *v);
  return BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = StatusFromSqlite(rc, db_);
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = StatusFromSqlite(rc, db);
    sqlite3_close(db);
    return Status::Unavailable("cannot open " + path + ": " + s.message());
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  SF_RETURN_IF_ERROR(
      conn->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000;"));
  if (read_only) SF_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only=1;"));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::Prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      std::fprintf(stderr, "bad SQL (%s): %s\n", sqlite3_errmsg(db_), key.c_str());
      std::abort();
    }
    it = cache_.emplace(std::move(key), stmt).first;
  }
  return Statement(it->second, db_);
}

void Connection::DeferIndexWrite(std::string_view sql, int64_t id, std::vector<std::string> texts) {
  deferred_.push_back(IndexWrite{sql, id, std::move(texts)});
}

Status Connection::FlushIndexWrites() {
  std::vector<IndexWrite> writes;
  writes.swap(deferred_);
  for (const IndexWrite& w : writes) {
    Statement st = Prepare(w.sql);
    st.Bind(1, w.id);
    for (size_t i = 0; i < w.texts.size(); ++i) st.Bind(static_cast<int>(i + 2), w.texts[i]);
    SF_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Status Connection::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status s = StatusFromSqlite(rc, db_);
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

}  // namespace steadfast::storage::sqlite
