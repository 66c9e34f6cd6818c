#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace steadfast::http {

// Query-string parameters, percent-decoded ('+' is a space).
class QueryParams {
 public:
  // BadRequest for a broken %-escape or a value that is not UTF-8.
  static Result<QueryParams> Parse(std::string_view query);

  // The value of `name` (first occurrence), or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // InvalidArgument naming the first parameter not in `allowed`.
  [[nodiscard]] Status OnlyAllowed(std::initializer_list<std::string_view> allowed) const;
  // A positive integer parameter; InvalidArgument naming it otherwise.
  Result<std::optional<int64_t>> PositiveInt(std::string_view name) const;
  // The page size: `default_limit` when absent; InvalidArgument("limit") above `max_limit`.
  Result<int> Limit(int default_limit, int max_limit) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Values captured from `{name}` segments of a route, as positive integers.
struct PathParams {
  std::vector<int64_t> ids;
  int64_t id(size_t i = 0) const { return ids.at(i); }
};

// Matches method + path against patterns like "/api/v1/tickets/{id}/messages", where each
// `{id}` matches one segment holding a positive integer.
template <typename H>
class Router {
 public:
  void Add(std::string method, std::string pattern, H handler) {
    routes_.push_back(Route{std::move(method), Segments(pattern), std::move(handler)});
  }

  struct Match {
    const H* handler = nullptr;
    PathParams params;
    // Set when the path matched but not the method: the methods that would have.
    std::string allow;
    // Set when an {id} segment is not a positive integer.
    std::optional<std::string> bad_id;
  };

  Match Find(std::string_view method, std::string_view path) const {
    Match out;
    const auto segs = Segments(path);
    for (const Route& r : routes_) {
      PathParams params;
      std::optional<std::string> bad_id;
      if (!MatchSegments(r.segments, segs, &params, &bad_id)) continue;
      if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
        if (!out.allow.empty()) out.allow += ", ";
        out.allow += r.method;
        continue;
      }
      out.handler = &r.handler;
      out.params = std::move(params);
      out.bad_id = std::move(bad_id);
      out.allow.clear();
      return out;
    }
    return out;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    H handler;
  };

  static std::vector<std::string> Segments(std::string_view path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') {
        ++i;
        continue;
      }
      const size_t j = path.find('/', i);
      const size_t end = j == std::string_view::npos ? path.size() : j;
      out.emplace_back(path.substr(i, end - i));
      i = end;
    }
    return out;
  }

  static bool MatchSegments(const std::vector<std::string>& pattern,
                            const std::vector<std::string>& segs, PathParams* params,
                            std::optional<std::string>* bad_id) {
    if (pattern.size() != segs.size()) return false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == "{id}") {
        int64_t v = 0;
        bool ok = !segs[i].empty() && segs[i].size() <= 18;
        for (char c : segs[i]) {
          if (c < '0' || c > '9') {
            ok = false;
            break;
          }
          v = v * 10 + (c - '0');
        }
        if (!ok || v <= 0) *bad_id = segs[i];
        params->ids.push_back(v);
      } else if (pattern[i] != segs[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace steadfast::http
