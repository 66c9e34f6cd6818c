#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace steadfast::http {

// Counts events per key in fixed windows of `window_ms` (from the key's first event), in this
// process's memory: failed logins, sign-in links asked for, contact forms sent. Bounded: a spray
// of distinct keys clears it rather than growing without end. Thread-safe.
class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int64_t window_ms);

  // True if `key` has reached `limit` events in its current window.
  bool Blocked(const std::string& key, int limit);
  // Counts one event for `key`.
  void Record(const std::string& key);
  // Counts one event for `key` unless it is blocked; true if it was counted.
  bool TryTake(const std::string& key, int limit);

 private:
  struct Window {
    int64_t start_ms = 0;
    int events = 0;
  };
  bool BlockedLocked(const std::string& key, int limit, int64_t now);
  void RecordLocked(const std::string& key, int64_t now);

  const Clock& clock_;
  const int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;  // Guarded by mu_.
};

}  // namespace steadfast::http
