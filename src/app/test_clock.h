#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace steadfast::app {

// The environment variable that turns on the test clock (end-to-end tests only).
inline constexpr char kTestClockVariable[] = "STEADFAST_TEST_CLOCK_FILE";

// A clock for end-to-end tests only: the system time plus an offset, in whole seconds, read
// from a file the test writes ("three days later" without sleeping; see tests/e2e/harness.py).
// The file is re-read at most every 50 ms. Time never goes backwards: an offset smaller than the
// largest seen is ignored, and so is a file that cannot be read or parsed after Open succeeded
// (the last good offset stays). Thread-safe.
class OffsetFileClock final : public Clock {
 public:
  // InvalidArgument naming STEADFAST_TEST_CLOCK_FILE if `path` cannot be read or does not hold
  // a non-negative integer.
  static Result<std::unique_ptr<OffsetFileClock>> Open(std::string path);

  Timestamp Now() const override;

 private:
  explicit OffsetFileClock(std::string path, int64_t offset_seconds);

  const std::string path_;
  SystemClock system_;
  mutable std::mutex mu_;
  mutable int64_t offset_seconds_;                           // Guarded by mu_.
  mutable std::chrono::steady_clock::time_point next_read_;  // Guarded by mu_.
};

// Parses the offset file's contents: optional whitespace around a non-negative integer.
Result<int64_t> ParseClockOffset(std::string_view text);

}  // namespace steadfast::app
