#pragma once

#include <optional>
#include <utility>

#include "common/check.h"
#include "common/status.h"

namespace steadfast {

// A value or the Status saying why there is none. Shaped like abseil's StatusOr.
template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok().
  Result(Status status) : status_(std::move(status)) { SF_CHECK(!status_.ok()); }  // NOLINT
  Result(T value) : value_(std::move(value)) {}                                    // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  const T& value() const& {
    SF_CHECK(ok());
    return *value_;
  }
  T& value() & {
    SF_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    SF_CHECK(ok());
    return std::move(*value_);
  }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace steadfast

#define SF_CONCAT_INNER(a, b) a##b
#define SF_CONCAT(a, b) SF_CONCAT_INNER(a, b)

// `SF_ASSIGN_OR_RETURN(auto x, Fn());` — assigns the value or returns the Status.
#define SF_ASSIGN_OR_RETURN(lhs, expr) \
  SF_ASSIGN_OR_RETURN_IMPL(SF_CONCAT(sf_result_, __LINE__), lhs, expr)
#define SF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
