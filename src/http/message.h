#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace steadfast::http {

// A parsed HTTP request, independent of the server library.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // Raw request target: "/api/v1/tickets?status=open".
  std::string path;    // Target without the query, not percent-decoded.
  std::string query;   // After '?', without it; empty if none.
  // Header names lower-cased; values as received. Order kept; repeated names kept.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1" — the peer of the TCP connection.

  // First value of header `lower_name`, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

// A response body written over time (server-sent events). The server pulls pieces from it on
// its network threads, so an open stream holds no worker thread. Implementations are
// thread-safe.
class BodyStream {
 public:
  using Deliver = std::function<void(std::optional<std::string>)>;
  virtual ~BodyStream() = default;
  // Asks for the next piece. Calls `deliver` exactly once, from any thread and possibly before
  // returning: with bytes to write, or with nullopt when the stream has ended. The server calls
  // Next again only after `deliver` ran. Must not block.
  virtual void Next(Deliver deliver) = 0;
  // The connection is ending (client gone, server stopping): a pending `deliver` is called with
  // nullopt now, and every later Next delivers nullopt. Idempotent.
  virtual void Close() = 0;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set (and status is 200), the body is `stream`, not `body`: the server writes the
  // headers, then each piece as it comes, and closes the connection when the stream ends.
  std::shared_ptr<BodyStream> stream;

  void SetHeader(std::string name, std::string value);
};

}  // namespace steadfast::http
