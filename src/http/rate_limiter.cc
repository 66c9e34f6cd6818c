#include "http/rate_limiter.h"

namespace steadfast::http {

namespace {
constexpr size_t kMaxKeys = 100000;
}  // namespace

RateLimiter::RateLimiter(const Clock& clock, int64_t window_ms)
    : clock_(clock), window_ms_(window_ms) {}

bool RateLimiter::BlockedLocked(const std::string& key, int limit, int64_t now) {
  auto it = windows_.find(key);
  if (it == windows_.end()) return false;
  if (now - it->second.start_ms >= window_ms_) {
    windows_.erase(it);
    return false;
  }
  return it->second.events >= limit;
}

void RateLimiter::RecordLocked(const std::string& key, int64_t now) {
  Window& w = windows_[key];
  if (w.events == 0 || now - w.start_ms >= window_ms_) {
    w.start_ms = now;
    w.events = 0;
  }
  ++w.events;
  if (windows_.size() > kMaxKeys) windows_.clear();  // Bound memory under a spray of names.
}

bool RateLimiter::Blocked(const std::string& key, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  return BlockedLocked(key, limit, clock_.Now().millis);
}

void RateLimiter::Record(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  RecordLocked(key, clock_.Now().millis);
}

bool RateLimiter::TryTake(const std::string& key, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.Now().millis;
  if (BlockedLocked(key, limit, now)) return false;
  RecordLocked(key, now);
  return true;
}

}  // namespace steadfast::http
