#include "http/router.h"

#include "common/text.h"

namespace steadfast::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Status::BadRequest("broken %-escape in the query string");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  if (!IsValidUtf8(out)) return Status::BadRequest("query string is not valid UTF-8");
  return out;
}

}  // namespace

Result<QueryParams> QueryParams::Parse(std::string_view query) {
  QueryParams out;
  if (query.empty()) return out;
  for (std::string_view part : Split(query, '&')) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    SF_ASSIGN_OR_RETURN(std::string name, Decode(part.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      SF_ASSIGN_OR_RETURN(value, Decode(part.substr(eq + 1)));
    }
    out.params_.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

Status QueryParams::OnlyAllowed(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [n, v] : params_) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == n;
    if (!ok) return Status::InvalidArgument(n, "is not a known query parameter");
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> QueryParams::PositiveInt(std::string_view name) const {
  const auto v = Get(name);
  if (!v.has_value()) return std::optional<int64_t>();
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(std::string(name), "must be a positive integer");
  }
  const int64_t n = std::stoll(*v);
  if (n <= 0) return Status::InvalidArgument(std::string(name), "must be a positive integer");
  return std::optional<int64_t>(n);
}

Result<int> QueryParams::Limit(int default_limit, int max_limit) const {
  SF_ASSIGN_OR_RETURN(auto limit, PositiveInt("limit"));
  if (!limit.has_value()) return default_limit;
  if (*limit > max_limit) {
    return Status::InvalidArgument("limit", "must be at most " + std::to_string(max_limit));
  }
  return static_cast<int>(*limit);
}

}  // namespace steadfast::http
