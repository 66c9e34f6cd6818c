#include "http/queued_stream.h"

#include <utility>

namespace steadfast::http {

bool QueuedStream::Push(std::string_view bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || ended_ || queued_.size() + bytes.size() > max_queued_bytes_) {
      return false;
    }
    queued_.append(bytes);
  }
  Flush();
  return true;
}

void QueuedStream::End(std::string_view last) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || ended_) {
      return;
    }
    queued_.append(last);
    ended_ = true;
  }
  Flush();
}

bool QueuedStream::done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_ || ended_;
}

void QueuedStream::Next(Deliver deliver) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = std::move(deliver);
  }
  Flush();
}

void QueuedStream::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    queued_.clear();
  }
  Flush();
}

void QueuedStream::Flush() {
  Deliver deliver;
  std::optional<std::string> piece;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pending_.has_value()) {
      return;
    }
    if (!queued_.empty()) {
      piece = std::move(queued_);
      queued_.clear();
    } else if (!closed_ && !ended_) {
      return;  // Nothing to say yet: the Deliver waits.
    }
    deliver = std::move(*pending_);
    pending_.reset();
  }
  // Outside the lock: the server may call Next again from inside `deliver`.
  deliver(std::move(piece));
}

}  // namespace steadfast::http
