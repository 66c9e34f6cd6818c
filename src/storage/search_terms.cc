#include "storage/search_terms.h"

#include <cstdint>

namespace steadfast::storage {
namespace {

// Decodes the code point at `i` and advances past it; a malformed byte decodes as U+FFFD.
// REQUIRES: i < s.size().
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t n = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 4;
  if (n == 4 || i + n >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = n == 0 ? c : c & (0x3Fu >> n);
  for (size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  i += n + 1;
  return cp;
}

// Letters and digits of any script count; ASCII and the common Unicode punctuation, symbol and
// space blocks separate words, as they do for the index's tokenizer.
bool IsWordCodePoint(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;  // Latin-1 punctuation and signs.
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // General punctuation, symbols, arrows.
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation.
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;  // CJK compatibility forms.
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // Fullwidth punctuation.
  return cp != 0xFFFD;
}

}  // namespace

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size() && out.size() < 16) {
    const size_t start = i;
    if (!IsWordCodePoint(NextCodePoint(text, i))) continue;
    size_t end = i;
    while (end < text.size()) {
      size_t next = end;
      if (!IsWordCodePoint(NextCodePoint(text, next))) break;
      end = next;
    }
    i = end;
    if (end - start <= 64) out.emplace_back(text.substr(start, end - start));
  }
  return out;
}

std::string Fts5AllTerms(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += '"';
    out += t;  // Terms hold no quotes (see SearchTerms).
    out += '"';
  }
  return out;
}

}  // namespace steadfast::storage
