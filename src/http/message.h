#pragma once

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

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
};

}  // namespace steadfast::http
