#include "engine/chase_text.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/text.h"

namespace steadfast::engine {
namespace {

using Spellings = std::unordered_map<std::string, std::string>;
using WordSet = std::unordered_set<std::string>;

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsAsciiUpper(c) || IsAsciiLower(c) || IsAsciiDigit(c); }

// REQUIRES: `s` is one well-formed UTF-8 sequence.
char32_t DecodeUtf8(std::string_view s) {
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[0]) & kLeadBits[s.size()];
  for (size_t i = 1; i < s.size(); ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  }
  return cp;
}

// Code points folded to ASCII (or dropped) before anything else looks at the text.
struct Fold {
  char32_t first, last;
  const char* to;
};
constexpr Fold kFolds[] = {
    {0x2018, 0x201B, "'"},   {0x2032, 0x2032, "'"},   {0x02BC, 0x02BC, "'"},
    {0x201C, 0x201E, "\""},  {0x00AB, 0x00AB, "\""},  {0x00BB, 0x00BB, "\""},
    {0x2010, 0x2011, "-"},   {0x2012, 0x2015, " - "}, {0x2212, 0x2212, " - "},
    {0x2026, 0x2026, "..."}, {0x00A0, 0x00A0, " "},   {0x2000, 0x200A, " "},
    {0x202F, 0x202F, " "},   {0x205F, 0x205F, " "},   {0x3000, 0x3000, " "},
    {0x00A1, 0x00A1, " "},   {0x00BF, 0x00BF, " "},   {0x200B, 0x200D, ""},
    {0x2060, 0x2060, ""},    {0xFEFF, 0xFEFF, ""},    {0xFE0E, 0xFE0F, ""},
    {0x2028, 0x2029, "\n"},  {0xFF1F, 0xFF1F, "?"},   {0xFF01, 0xFF01, "!"},
    {0xFF0C, 0xFF0C, ","}};

// Letters of the Latin, Greek, Cyrillic and other alphabetic blocks, and CJK.
bool IsLetterCodePoint(char32_t cp) {
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp < 0x2000) ||
         (cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

bool IsPunct(char c) {
  return static_cast<unsigned char>(c) < 0x80 && !IsAsciiAlnum(c) && c != ' ' && c != '\n';
}

// "Mary", "J", "Élodie": a capital first, and not all capitals. REQUIRES: !raw.empty().
bool IsNameLike(std::string_view raw) {
  bool latin1_upper =
      raw.size() > 1 && raw[0] == '\xC3' && static_cast<unsigned char>(raw[1]) < 0x9F;
  size_t first = IsAsciiUpper(raw[0]) ? 1 : latin1_upper ? 2 : 0;
  return first > 0 &&
         (raw.size() == first || std::any_of(raw.begin() + first, raw.end(), IsAsciiLower));
}

bool IsAcronym(std::string_view raw) {
  return raw.size() >= 2 && raw.size() <= 4 && std::all_of(raw.begin(), raw.end(), IsAsciiUpper);
}

// "p.s", "e.g": single letters joined by dots.
bool IsAbbreviation(std::string_view s) {
  if (s.size() < 3) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    bool letter_slot = i % 2 == 0;
    if (letter_slot != (s[i] != '.') || (letter_slot && IsAsciiDigit(s[i]))) {
      return false;
    }
  }
  return true;
}

// URLs, e-mail addresses and bare domains ("status.acme.example").
bool IsLink(std::string_view s) {
  if (s.find("://") != std::string_view::npos || StartsWithIgnoreCase(s, "www.")) {
    return true;
  }
  size_t at = s.find('@');
  if (at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos) {
    return true;
  }
  std::string_view host = s.substr(0, s.find('/'));
  std::vector<std::string_view> labels = Split(host, '.');
  if (labels.size() < 2) {
    return false;
  }
  for (std::string_view label : labels) {
    if (label.empty() || !std::all_of(label.begin(), label.end(), [](char c) {
          return IsAsciiLower(c) || IsAsciiDigit(c) || c == '-';
        })) {
      return false;
    }
  }
  std::string_view tld = labels.back();
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), IsAsciiLower);
}

}  // namespace

std::string NormalizeText(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    size_t len = std::max<size_t>(Utf8SequenceLength(in, i), 1);
    std::string_view seq = in.substr(i, len);
    i += len;
    auto c = static_cast<unsigned char>(seq[0]);
    if (len == 1) {
      if (c != '\r') {
        out += c == '`' ? '\'' : (c < 0x20 && c != '\n') || c >= 0x7F ? ' ' : seq[0];
      }
      continue;
    }
    char32_t cp = DecodeUtf8(seq);
    const Fold* fold = std::find_if(std::begin(kFolds), std::end(kFolds),
                                    [&](const Fold& f) { return cp >= f.first && cp <= f.last; });
    out += fold != std::end(kFolds) ? std::string_view(fold->to)
           : IsLetterCodePoint(cp)  ? seq
                                    : std::string_view(" ");
  }
  return out;
}

std::string NormalizeWord(std::string_view raw, const Spellings& spellings) {
  std::string lowered;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\'') {
      continue;
    }
    if (IsAsciiUpper(c)) {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '\xC3' && i + 1 < raw.size()) {
      unsigned char next = static_cast<unsigned char>(raw[i + 1]);
      lowered += c;
      lowered +=
          static_cast<char>(next >= 0x80 && next <= 0x9E && next != 0x97 ? next + 0x20 : next);
      ++i;
      continue;
    }
    lowered += c;
  }
  std::string word;
  for (size_t i = 0; i < lowered.size();) {
    size_t run = 1;
    while (i + run < lowered.size() && lowered[i + run] == lowered[i]) {
      ++run;
    }
    word.append(run >= 3 && IsAsciiLower(lowered[i]) ? 1 : run, lowered[i]);
    i += run;
  }
  auto it = spellings.find(word);
  return it == spellings.end() ? word : it->second;
}

bool IsContactLink(std::string_view s) {
  return s.find('@') != std::string_view::npos ||
         (s.find("://") == std::string_view::npos && s.find('/') == std::string_view::npos);
}

namespace {

// Classifies a run of characters without punctuation at either end.
void AddCore(std::string_view norm, size_t begin, size_t end, size_t line,
             const Spellings& spellings, const WordSet& time_units, std::vector<Token>& tokens) {
  std::string_view core = norm.substr(begin, end - begin);
  auto add = [&](TokenKind kind, size_t b, size_t e, std::string text) {
    std::string_view raw = norm.substr(b, e - b);
    tokens.push_back({kind, std::move(text), b, e, line,
                      kind == TokenKind::kWord && IsNameLike(raw),
                      kind == TokenKind::kWord && IsAcronym(raw)});
  };
  bool has_digit = std::any_of(core.begin(), core.end(), IsAsciiDigit);
  bool has_letter =
      std::any_of(core.begin(), core.end(), [](char c) { return !IsPunct(c) && !IsAsciiDigit(c); });
  if (IsLink(core)) {
    add(TokenKind::kLink, begin, end, AsciiLower(core));
  } else if (has_digit && !has_letter) {
    add(core[0] == '#' ? TokenKind::kId : TokenKind::kNumber, begin, end, std::string(core));
  } else if (has_digit) {
    // "48h", "2pm": a number and its unit. Anything else mixed is an id ("x200", "SN-4482").
    size_t digits = core.find_first_not_of("0123456789");
    std::string unit = NormalizeWord(core.substr(digits), spellings);
    if (digits > 0 && time_units.count(unit) > 0) {
      add(TokenKind::kNumber, begin, begin + digits, std::string(core.substr(0, digits)));
      add(TokenKind::kWord, begin + digits, end, unit);
    } else {
      add(TokenKind::kId, begin, end, AsciiLower(core));
    }
  } else if (IsAbbreviation(core)) {
    std::string joined(core);
    joined.erase(std::remove(joined.begin(), joined.end(), '.'), joined.end());
    add(TokenKind::kWord, begin, end, NormalizeWord(joined, spellings));
  } else {
    // Words joined by punctuation other than apostrophes and hyphens ("sir/madam") are split.
    size_t start = begin;
    for (size_t i = begin; i <= end; ++i) {
      if (i < end && (!IsPunct(norm[i]) || norm[i] == '\'' || norm[i] == '-')) {
        continue;
      }
      if (i > start) {
        add(TokenKind::kWord, start, i, NormalizeWord(norm.substr(start, i - start), spellings));
      }
      if (i < end) {
        add(TokenKind::kPunct, i, i + 1, std::string(1, norm[i]));
      }
      start = i + 1;
    }
  }
}

}  // namespace

std::vector<Token> Tokenize(std::string_view norm, const Spellings& spellings,
                            const WordSet& time_units) {
  std::vector<Token> tokens;
  size_t line = 0;
  auto punct = [&](size_t i) {
    tokens.push_back({TokenKind::kPunct, std::string(1, norm[i]), i, i + 1, line});
  };
  for (size_t i = 0; i < norm.size();) {
    if (norm[i] == ' ' || norm[i] == '\n') {
      line += norm[i++] == '\n' ? 1 : 0;
      continue;
    }
    size_t begin = i;
    size_t end = std::min(norm.find_first_of(" \n", i), norm.size());
    i = end;
    while (begin < end && IsPunct(norm[begin]) &&
           !((norm[begin] == '#' || norm[begin] == '$') && begin + 1 < end &&
             IsAsciiAlnum(norm[begin + 1]))) {
      punct(begin++);
    }
    size_t core_end = end;
    while (core_end > begin && IsPunct(norm[core_end - 1])) {
      --core_end;
    }
    if (core_end > begin) {
      AddCore(norm, begin, core_end, line, spellings, time_units, tokens);
    }
    for (size_t k = core_end; k < end; ++k) {
      punct(k);
    }
  }
  return tokens;
}

}  // namespace steadfast::engine
