#pragma once

#include <atomic>
#include <chrono>

#include "common/clock.h"

namespace steadfast::testing {

// A clock that moves only when a test says so.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = Timestamp{1893456000000}) : now_(start.millis) {}
  Timestamp Now() const override { return Timestamp{now_.load()}; }
  void Advance(std::chrono::milliseconds d) { now_ += d.count(); }
  void Set(Timestamp t) { now_ = t.millis; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace steadfast::testing
