#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace steadfast {

// The kinds of expected failure. Each maps to one HTTP status at the edge (src/http/errors.cc).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // Bad input; `field` names what was wrong. → 422
  kBadRequest,        // Unreadable request (malformed JSON, bad UTF-8). → 400
  kNotFound,          // → 404
  kConflict,          // Stale version or a state that forbids the change. → 409
  kPermissionDenied,  // Authenticated, but not allowed. → 403
  kUnauthenticated,   // No or bad credentials. → 401
  kTooLarge,          // Body or attachment over the configured limit. → 413
  kRateLimited,       // → 429
  kUnsupportedMedia,  // → 415
  kMethodNotAllowed,  // The path exists, the method does not. → 405
  kUnavailable,       // Database busy, shutting down. → 503
  kInternal,          // A failure of ours that is not a bug in the caller's input. → 500
};

// The outcome of an operation that can fail in an expected way. Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string field, std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status BadRequest(std::string message) {
    return Status(StatusCode::kBadRequest, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status TooLarge(std::string message) {
    return Status(StatusCode::kTooLarge, std::move(message));
  }
  static Status RateLimited(std::string message) {
    return Status(StatusCode::kRateLimited, std::move(message));
  }
  static Status UnsupportedMedia(std::string message) {
    return Status(StatusCode::kUnsupportedMedia, std::move(message));
  }
  static Status MethodNotAllowed(std::string message) {
    return Status(StatusCode::kMethodNotAllowed, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Human-readable detail; empty when ok.
  const std::string& message() const { return message_; }
  // For kInvalidArgument: the JSON path or parameter that was wrong (may be empty).
  const std::string& field() const { return field_; }

  // "InvalidArgument: subject: is required" — for logs and the CLI.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

std::string_view StatusCodeName(StatusCode code);

}  // namespace steadfast

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define SF_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::steadfast::Status sf_status_ = (expr); \
    if (!sf_status_.ok()) return sf_status_; \
  } while (0)
