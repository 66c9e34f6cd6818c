#include "common/clock.h"

#include <chrono>

namespace steadfast {

Timestamp SystemClock::Now() const {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()};
}

}  // namespace steadfast
