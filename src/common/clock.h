#pragma once

#include "common/time.h"

namespace steadfast {

// The only way code reads the time. Tests use FakeClock (tests/testing/fake_clock.h).
// Implementations are safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// Wall-clock time from the system.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

}  // namespace steadfast
