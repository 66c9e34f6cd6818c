#include "mail/html_urls.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace steadfast::mail::internal {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (IsAsciiDigit(c)) {
    return c - '0';
  }
  c = AsciiToLower(c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

}  // namespace

std::string CleanUrl(std::string_view raw) {
  auto is_junk = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; };
  while (!raw.empty() && is_junk(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && is_junk(raw.back())) {
    raw.remove_suffix(1);
  }
  std::string url;
  url.reserve(raw.size());
  for (char c : raw) {
    if (c == ' ') {
      url += "%20";
    } else if (!is_junk(c)) {
      url += c;
    }
  }
  return url;
}

std::string SchemeOf(std::string_view url) {
  size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsAsciiAlpha(url[0])) {
    return "";
  }
  std::string scheme;
  for (char c : url.substr(0, colon)) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') {
      return "";
    }
    scheme += AsciiToLower(c);
  }
  return scheme;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string SafeHref(std::string_view raw) {
  std::string url = CleanUrl(raw);
  std::string scheme = SchemeOf(url);
  if (scheme == "http" || scheme == "https" || scheme == "mailto") {
    return scheme + url.substr(scheme.size());
  }
  return "";
}

bool IsDimension(std::string_view v) {
  if (!v.empty() && v.back() == '%') {
    v.remove_suffix(1);
  }
  return !v.empty() && v.size() <= 5 && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

bool IsSmallNumber(std::string_view v) {
  if (!v.empty() && v.front() == '-') {
    v.remove_prefix(1);
  }
  return !v.empty() && v.size() <= 5 && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

bool IsWord(std::string_view v) {
  return !v.empty() && v.size() <= 16 && std::all_of(v.begin(), v.end(), IsAsciiAlpha);
}

bool IsListType(std::string_view v) {
  return v == "1" || v == "a" || v == "A" || v == "i" || v == "I";
}

}  // namespace steadfast::mail::internal
