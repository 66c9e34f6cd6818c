#include "storage/search_terms.h"

namespace steadfast::storage {
namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size() && out.size() < 16) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start && i - start <= 64) out.emplace_back(text.substr(start, i - start));
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
