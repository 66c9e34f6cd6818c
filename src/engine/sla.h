#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>

#include "common/time.h"
#include "domain/types.h"
#include "engine/business_calendar.h"

namespace steadfast::engine {

// The business-time targets for tickets of one priority. A target that is not set does not apply.
struct SlaTargets {
  std::optional<std::chrono::milliseconds> first_reply;  // Ticket opened → first agent reply.
  std::optional<std::chrono::milliseconds> next_reply;   // Customer message → the next reply.
  std::optional<std::chrono::milliseconds> resolution;   // Ticket opened → resolved.
};

// An SLA policy: targets per priority, all measured on one business calendar. Plain data; the
// engine that applies it comes later.
struct SlaPolicy {
  std::string name;
  std::array<SlaTargets, 4> by_priority;  // Indexed by domain::Priority (kLow … kUrgent).

  const SlaTargets& For(domain::Priority priority) const {
    return by_priority[static_cast<size_t>(priority)];
  }
};

// When an SLA clock reaches `target`.
//
// The clock has been running since `running_since` (the ticket opened, or left pending), and had
// already used `used` of business time in earlier running periods. Paused time (pending: waiting
// on the customer) is not part of `used`: when a clock pauses at p, the caller adds
// calendar.BusinessTimeBetween(running_since, p) to `used`; when it resumes at r, it calls this
// again with running_since = r. Time outside the calendar's hours never counts.
//
// Returns calendar.AddBusinessTime(running_since, target - used); when `used` ≥ `target` the
// target was already missed before `running_since`, and returns `running_since`.
// REQUIRES: used ≥ 0, target ≥ 0. Pure; safe from any thread.
inline Timestamp SlaDueAt(const BusinessCalendar& calendar, Timestamp running_since,
                          std::chrono::milliseconds used, std::chrono::milliseconds target) {
  if (used >= target) {
    return running_since;
  }
  return calendar.AddBusinessTime(running_since, (target - used).count());
}

}  // namespace steadfast::engine
