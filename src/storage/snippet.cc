#include "storage/snippet.h"

#include <algorithm>
#include <cstdint>

namespace steadfast::storage {
namespace {

// Latin-1 Supplement and Latin Extended-A letters (U+00C0–U+017F) without their accents,
// lower-cased; '\0' where there is no plain Latin base letter.
constexpr char kLatinBase[] =
    "aaaaaaaceeeeiiii"   // U+00C0
    "dnooooo\0ouuuuyts"  // U+00D0 (× kept)
    "aaaaaaaceeeeiiii"   // U+00E0
    "dnooooo\0ouuuuyty"  // U+00F0 (÷ kept)
    "aaaaaaccccccccdd"   // U+0100
    "ddeeeeeeeeeegggg"   // U+0110
    "gggghhhhiiiiiiii"   // U+0120
    "iijjjjkkklllllll"   // U+0130
    "lllnnnnnnnnnoooo"   // U+0140
    "oooorrrrrrssssss"   // U+0150
    "ssttttttuuuuuuuu"   // U+0160
    "uuuuwwyyyzzzzzzs";  // U+0170

bool IsAsciiWordChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Length of the UTF-8 sequence starting with `c` (1 for malformed bytes).
size_t SequenceLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

// True for the start of a character that belongs to a word: ASCII letters and digits and any
// non-ASCII character except the common punctuation blocks (as SearchTerms splits).
bool IsWordStart(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiWordChar(c);
  if (c == 0xC2) return false;          // U+0080–U+00BF.
  if (c == 0xE2 && i + 1 < s.size()) {  // U+2000–U+2FFF.
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    return !(c1 >= 0x80 && c1 <= 0xAF);
  }
  if (c == 0xE3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    return false;  // U+3000–U+303F.
  }
  return true;
}

}  // namespace

std::string FoldForSearch(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      ++i;
      continue;
    }
    const size_t n = std::min(SequenceLength(c), word.size() - i);
    if (n == 2) {
      const uint32_t cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(word[i + 1]) & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0x17F && kLatinBase[cp - 0xC0] != '\0') {
        out += kLatinBase[cp - 0xC0];
        i += 2;
        continue;
      }
    }
    out.append(word.substr(i, n));
    i += n;
  }
  return out;
}

std::string MakeSnippet(std::string_view text, const std::vector<std::string>& terms,
                        int max_words) {
  std::vector<std::string> folded_terms;
  folded_terms.reserve(terms.size());
  for (const auto& t : terms) folded_terms.push_back(FoldForSearch(t));

  // Word boundaries, and which words match.
  struct Word {
    size_t begin, end;
    bool match;
  };
  std::vector<Word> words;
  int first_match = -1;
  for (size_t i = 0; i < text.size();) {
    if (!IsWordStart(text, i)) {
      i += std::min(SequenceLength(static_cast<unsigned char>(text[i])), text.size() - i);
      continue;
    }
    const size_t begin = i;
    while (i < text.size() && IsWordStart(text, i)) {
      i += std::min(SequenceLength(static_cast<unsigned char>(text[i])), text.size() - i);
    }
    const std::string folded = FoldForSearch(text.substr(begin, i - begin));
    const bool match =
        std::find(folded_terms.begin(), folded_terms.end(), folded) != folded_terms.end();
    if (match && first_match < 0) first_match = static_cast<int>(words.size());
    words.push_back({begin, i, match});
  }
  if (words.empty()) return std::string(text.substr(0, 200));

  const int count = static_cast<int>(words.size());
  int first = first_match < 0 ? 0 : std::max(0, first_match - max_words / 4);
  const int last = std::min(count, first + max_words);  // Exclusive.
  first = std::max(0, std::min(first, last - max_words));

  std::string out;
  if (first > 0) out += "…";
  size_t pos = words[static_cast<size_t>(first)].begin;
  for (int w = first; w < last; ++w) {
    const Word& word = words[static_cast<size_t>(w)];
    out.append(text.substr(pos, word.begin - pos));
    if (word.match) out += "[[";
    out.append(text.substr(word.begin, word.end - word.begin));
    if (word.match) out += "]]";
    pos = word.end;
  }
  if (last < count) {
    out += "…";
  } else {
    out.append(text.substr(pos));
  }
  // The excerpt keeps the text's own line breaks out: one line reads better in a result list.
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace steadfast::storage
