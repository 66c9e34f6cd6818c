#include "mail/mail_headers.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "common/text.h"
#include "mail/charset.h"

namespace steadfast::mail::internal {
namespace {}  // namespace

std::string CleanId(std::string_view id) {
  std::string s = OneLine(id);
  std::string_view v = Trim(s);
  if (!v.empty() && v.front() == '<') v.remove_prefix(1);
  if (!v.empty() && v.back() == '>') v.remove_suffix(1);
  return std::string(Trim(v));
}

std::string FindField(std::string_view block, std::string_view name) {
  size_t pos = 0;
  while (pos < block.size()) {
    size_t eol = block.find('\n', pos);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !EqualsIgnoreCase(Trim(line.substr(0, colon)), name)) {
      continue;
    }
    std::string value(line.substr(colon + 1));
    while (pos < block.size() && (block[pos] == ' ' || block[pos] == '\t')) {
      eol = block.find('\n', pos);
      if (eol == std::string_view::npos) eol = block.size();
      value += block.substr(pos, eol - pos);
      pos = eol + 1;
    }
    return value;
  }
  return {};
}

std::string SafeFilename(std::string_view name) {
  std::string s = OneLine(name);
  const size_t slash = s.find_last_of("/\\");
  if (slash != std::string::npos) s.erase(0, slash + 1);
  std::string trimmed(Trim(s));
  if (trimmed.empty() || trimmed == "." || trimmed == "..") return "attachment";
  return trimmed;
}

std::string GuessBoundary(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.size() < 3 || line.substr(0, 2) != "--") continue;
    std::string_view candidate = line.substr(2);
    if (candidate.size() > 200) continue;
    bool ok = true;
    for (const char c : candidate) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') ok = false;
    }
    if (ok) return std::string(candidate);
  }
  return {};
}

std::unordered_set<std::string> CidReferences(std::string_view html) {
  std::unordered_set<std::string> ids;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i + 4 <= html.size(); ++i) {
    if ((html[i] | 0x20) != 'c' || (html[i + 1] | 0x20) != 'i' || (html[i + 2] | 0x20) != 'd' ||
        html[i + 3] != ':') {
      continue;
    }
    const size_t begin = i + 4;
    size_t end = html.find_first_of("\"'()<> \t\r\n", begin);
    if (end == std::string_view::npos) end = html.size();
    const std::string_view token = html.substr(begin, end - begin);
    std::string decoded;
    for (size_t k = 0; k < token.size(); ++k) {
      if (token[k] == '%' && k + 2 < token.size() && hex(token[k + 1]) >= 0 &&
          hex(token[k + 2]) >= 0) {
        decoded.push_back(static_cast<char>(hex(token[k + 1]) * 16 + hex(token[k + 2])));
        k += 2;
      } else {
        decoded.push_back(token[k]);
      }
    }
    ids.insert(std::string(token));
    ids.insert(std::move(decoded));
    i = end > i ? end - 1 : i;
  }
  return ids;
}

void ReadReturnPath(std::string_view value, ParsedMail* mail) {
  std::string_view v = Trim(value);
  if (v.empty()) return;
  if (v.front() == '<') {
    const size_t close = v.find('>');
    v = Trim(v.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    if (v.empty()) {
      mail->null_return_path = true;
      return;
    }
    const size_t route = v.find(':');  // Obsolete source route: <@relay:user@host>.
    if (v.front() == '@' && route != std::string_view::npos) v = Trim(v.substr(route + 1));
  } else {
    const size_t space = v.find_first_of(" \t");
    if (space != std::string_view::npos) v = v.substr(0, space);
  }
  mail->return_path = AsciiLower(v);
}

}  // namespace steadfast::mail::internal
