#pragma once

#include <optional>
#include <utility>

#include "common/result.h"
#include "domain/entities.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/group_writer.h"
#include "storage/store.h"

namespace steadfast::storage::sqlite {

// Runs `fn(Connection&) -> Result<T>` as one unit on the group writer and returns its value
// once the group has durably committed.
template <typename T, typename Fn>
Result<T> WriteResult(GroupWriter& writer, Fn&& fn) {
  std::optional<T> out;
  Status s = writer.Run([&](Connection& c) -> Status {
    Result<T> r = fn(c);
    if (!r.ok()) return r.status();
    out = std::move(r).value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

// Inserts a customer with its emails. REQUIRES: inside a write transaction.
Result<domain::Customer> InsertCustomer(Connection& c, const NewCustomer& in, Timestamp now);

}  // namespace steadfast::storage::sqlite
