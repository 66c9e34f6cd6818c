#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace steadfast::http {

// A BodyStream fed by pushing bytes from any thread; the server takes them as it writes.
// Invariant: at most one Deliver is pending, and only while nothing is queued and the stream is
// open. Thread-safe.
class QueuedStream final : public BodyStream {
 public:
  // Holds at most `max_queued_bytes` not yet taken by the server; see Push.
  explicit QueuedStream(size_t max_queued_bytes) : max_queued_bytes_(max_queued_bytes) {}

  // Appends `bytes`. False (and nothing appended) when the stream is closed or ended, or when
  // the bytes would go over the limit: a client that reads too slowly. The caller then usually
  // ends the stream with a last word (End).
  bool Push(std::string_view bytes);
  // Ends the stream after what is queued and `last` (which is not counted against the limit).
  void End(std::string_view last = {});
  // True once Close was called (the connection is gone) or the stream ended.
  bool done() const;

  void Next(Deliver deliver) override;
  void Close() override;

 private:
  // Hands what is queued (or the end) to a pending Deliver. Takes the lock.
  void Flush();

  const size_t max_queued_bytes_;
  mutable std::mutex mu_;
  std::string queued_;              // Guarded by mu_.
  std::optional<Deliver> pending_;  // Guarded by mu_.
  bool ended_ = false;   // Guarded by mu_. No more pushes; deliver the end after queued_.
  bool closed_ = false;  // Guarded by mu_. The connection is gone; drop everything.
};

}  // namespace steadfast::http
