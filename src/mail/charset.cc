#include "mail/charset.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/text.h"

namespace steadfast::mail::internal {
namespace {

void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct Utf8Scan {
  size_t invalid = 0;    // Bytes that are not part of a well-formed sequence.
  size_t multibyte = 0;  // Well-formed sequences of two bytes or more.
};

Utf8Scan ScanUtf8(std::string_view s) {
  Utf8Scan scan;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      ++scan.invalid;
      ++i;
    } else {
      ++scan.multibyte;
      i += n;
    }
  }
  return scan;
}

// Windows-1252, the WHATWG reading of ISO-8859-1 too: 0x80–0x9F are the typographic characters
// mail actually means by them. Undefined bytes map to the C1 control of the same value.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string DecodeWindows1252(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) {
      out.append(kReplacement);
    } else if (c < 0x80) {
      out.push_back(ch);
    } else if (c < 0xA0) {
      AppendCodePoint(kCp1252High[c - 0x80], &out);
    } else {
      AppendCodePoint(c, &out);
    }
  }
  return out;
}

enum class CharsetKind { kUndeclared, kUtf8, kAscii, kWestern, kOther };

CharsetKind ClassifyCharset(std::string_view name) {
  const std::string n = AsciiLower(Trim(name));
  if (n.empty() || n == "x-unknown" || n == "unknown" || n == "unknown-8bit" ||
      n == "x-user-defined" || n == "default" || n == "none") {
    return CharsetKind::kUndeclared;
  }
  if (n == "utf-8" || n == "utf8" || n == "x-utf-8" || n == "unicode-1-1-utf-8") {
    return CharsetKind::kUtf8;
  }
  if (n == "us-ascii" || n == "ascii" || n == "ansi_x3.4-1968" || n == "iso646-us" || n == "us" ||
      n == "iso-ir-6" || n == "cp367") {
    return CharsetKind::kAscii;
  }
  if (n == "iso-8859-1" || n == "iso8859-1" || n == "iso_8859-1" || n == "iso-8859-1:1987" ||
      n == "iso_8859-1:1987" || n == "latin1" || n == "latin-1" || n == "l1" || n == "8859-1" ||
      n == "cp819" || n == "ibm819" || n == "windows-1252" || n == "cp1252" || n == "x-cp1252" ||
      n == "cp-1252" || n == "win-1252") {
    return CharsetKind::kWestern;
  }
  return CharsetKind::kOther;
}

}  // namespace

std::string RepairUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0 || s[i] == '\0') {
      out.append(kReplacement);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string OneLine(std::string_view s) {
  std::string out = RepairUtf8(s);
  for (char& c : out) {
    if ((static_cast<unsigned char>(c) < 0x20) || c == 0x7F) c = ' ';
  }
  return out;
}

std::string NormalizeNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string DecodeText(std::string_view bytes, std::string_view charset, CharsetConverter convert,
                       Defects& defects, std::string_view where) {
  const std::string label = Defects::Quote(charset);
  switch (ClassifyCharset(charset)) {
    case CharsetKind::kUtf8:
    case CharsetKind::kAscii: {
      const Utf8Scan scan = ScanUtf8(bytes);
      if (scan.invalid == 0) return RepairUtf8(bytes);
      if (scan.multibyte == 0) {
        defects.Add(std::string(where) + " declared " + label +
                    " but is not; decoded as windows-1252");
        return DecodeWindows1252(bytes);
      }
      defects.Add(std::string(where) + " has invalid " + label + " sequences, replaced");
      return RepairUtf8(bytes);
    }
    case CharsetKind::kWestern: {
      const Utf8Scan scan = ScanUtf8(bytes);
      if (scan.invalid == 0 && scan.multibyte > 0) {
        // Genuine Latin-1 text is almost never also well-formed multi-byte UTF-8.
        defects.Add(std::string(where) + " declared " + label + " but is UTF-8");
        return RepairUtf8(bytes);
      }
      return DecodeWindows1252(bytes);
    }
    case CharsetKind::kOther: {
      std::string out;
      size_t invalid = 0;
      if (convert(bytes, std::string(Trim(charset)), &out, &invalid)) {
        if (invalid > 0) {
          defects.Add(std::string(where) + " has " + std::to_string(invalid) +
                      " bytes invalid in charset " + label + ", replaced");
        }
        return RepairUtf8(out);
      }
      defects.Add(std::string(where) + " has unknown charset " + label);
      break;
    }
    case CharsetKind::kUndeclared:
      break;
  }
  const Utf8Scan scan = ScanUtf8(bytes);
  if (scan.invalid == 0) return RepairUtf8(bytes);
  if (scan.multibyte == 0) {
    defects.Add(std::string(where) + " has 8-bit text without a charset; read as windows-1252");
    return DecodeWindows1252(bytes);
  }
  defects.Add(std::string(where) + " has 8-bit text without a charset; invalid UTF-8 replaced");
  return RepairUtf8(bytes);
}

std::string Unflow(std::string_view text, bool delsp) {
  std::string out;
  out.reserve(text.size());
  std::string pending;  // The logical line being assembled, without its quote prefix.
  size_t pending_depth = 0;
  bool have_pending = false;
  auto flush = [&] {
    if (!have_pending) return;
    out.append(pending_depth, '>');
    if (pending_depth > 0 && !pending.empty()) out.push_back(' ');
    out += pending;
    out.push_back('\n');
    pending.clear();
    have_pending = false;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    const bool last = eol == std::string_view::npos;
    if (last) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (last && line.empty()) break;
    size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    line.remove_prefix(depth);
    if (!line.empty() && line[0] == ' ') line.remove_prefix(1);  // space-stuffing
    const bool soft = !line.empty() && line.back() == ' ' && line != "-- ";
    if (have_pending && depth != pending_depth) flush();
    pending_depth = depth;
    have_pending = true;
    if (soft) {
      if (delsp) line.remove_suffix(1);
      pending.append(line);
    } else {
      pending.append(line);
      flush();
    }
    if (last) break;
  }
  flush();
  if (!text.empty() && text.back() != '\n' && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Base64.

Base64Decoder::Base64Decoder() {
  table_.fill(-1);
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) table_[static_cast<unsigned char>(alphabet[i])] = i;
}

void Base64Decoder::Feed(std::string_view in, std::string* out) {
  for (const char ch : in) {
    const int v = table_[static_cast<unsigned char>(ch)];
    if (v >= 0) {
      acc_ = (acc_ << 6) | static_cast<uint32_t>(v);
      if (++count_ == 4) {
        out->push_back(static_cast<char>(acc_ >> 16));
        out->push_back(static_cast<char>(acc_ >> 8));
        out->push_back(static_cast<char>(acc_));
        acc_ = 0;
        count_ = 0;
      }
    } else if (ch == '=') {
      EndQuantum(out);
    } else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
      ++invalid_;
    }
  }
}

void Base64Decoder::Finish(std::string* out) {
  if (count_ != 0) truncated_ = true;
  EndQuantum(out);
}

void Base64Decoder::EndQuantum(std::string* out) {
  if (count_ == 2) {
    out->push_back(static_cast<char>(acc_ >> 4));
    ++padded_;
  } else if (count_ == 3) {
    out->push_back(static_cast<char>(acc_ >> 10));
    out->push_back(static_cast<char>(acc_ >> 2));
    ++padded_;
  } else if (count_ == 1) {
    truncated_ = true;
  }
  acc_ = 0;
  count_ = 0;
}

// ---------------------------------------------------------------------------------------------
// RFC 2047 encoded-word runs.

namespace {

// GMime 3.2.13 (Debian 12) decodes a run of adjacent base64 encoded-words in one charset by
// concatenating their text, so padding inside the run ends the value: "=?UTF-8?B?YQ==?=
// =?UTF-8?B?Yg==?=" reads as "a" (jstedfast/gmime#133, fixed upstream after 3.2.13). Such runs are
// rewritten as one encoded-word before GMime decodes them.

struct EncodedWord {
  size_t begin = 0;  // Offset of "=?".
  size_t end = 0;    // Offset after "?=".
  std::string_view charset;
  char encoding = 0;  // 'B' or 'Q'.
  std::string_view text;
};

// The encoded-word starting at s[pos] ("=?" already seen there), if well-formed.
bool ReadEncodedWord(std::string_view s, size_t pos, EncodedWord* word) {
  const size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 == pos + 2 || q1 + 2 >= s.size() || s[q1 + 2] != '?') {
    return false;
  }
  const std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
  if (charset.find_first_of(" \t\r\n") != std::string_view::npos) return false;
  const char encoding = static_cast<char>(s[q1 + 1] & ~0x20);
  if (encoding != 'B' && encoding != 'Q') return false;
  const size_t close = s.find("?=", q1 + 3);
  if (close == std::string_view::npos) return false;
  const std::string_view text = s.substr(q1 + 3, close - q1 - 3);
  if (text.find_first_of(" \t\r\n?") != std::string_view::npos) return false;
  *word = {pos, close + 2, charset, encoding, text};
  return true;
}

std::string DecodeWordBytes(const EncodedWord& word) {
  std::string bytes;
  if (word.encoding == 'B') {
    Base64Decoder decoder;
    decoder.Feed(word.text, &bytes);
    decoder.Finish(&bytes);
    return bytes;
  }
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < word.text.size(); ++i) {
    const char c = word.text[i];
    if (c == '_') {
      bytes.push_back(' ');
    } else if (c == '=' && i + 2 < word.text.size() && hex(word.text[i + 1]) >= 0 &&
               hex(word.text[i + 2]) >= 0) {
      bytes.push_back(static_cast<char>(hex(word.text[i + 1]) * 16 + hex(word.text[i + 2])));
      i += 2;
    } else {
      bytes.push_back(c);
    }
  }
  return bytes;
}

std::string EncodeBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
            kAlphabet[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

}  // namespace

bool MergeEncodedWordRuns(std::string_view raw, std::string* fixed) {
  if (raw.find("?=") == std::string_view::npos) return false;
  std::vector<EncodedWord> run;
  std::string out;
  size_t copied = 0;  // raw[0, copied) is in `out`.
  bool changed = false;
  auto flush_run = [&] {
    bool needed = false;
    for (size_t i = 0; i + 1 < run.size(); ++i) {
      if (run[i].encoding == 'B' && !run[i].text.empty() && run[i].text.back() == '=') {
        needed = true;
      }
    }
    if (needed) {
      std::string bytes;
      for (const auto& word : run) bytes += DecodeWordBytes(word);
      out.append(raw.substr(copied, run.front().begin - copied));
      out += "=?";
      out.append(run.front().charset);
      out += "?B?" + EncodeBase64(bytes) + "?=";
      copied = run.back().end;
      changed = true;
    }
    run.clear();
  };
  size_t pos = 0;
  while ((pos = raw.find("=?", pos)) != std::string_view::npos) {
    EncodedWord word;
    if (!ReadEncodedWord(raw, pos, &word)) {
      pos += 2;
      continue;
    }
    if (!run.empty()) {
      const std::string_view gap = raw.substr(run.back().end, word.begin - run.back().end);
      const bool adjacent = gap.find_first_not_of(" \t\r\n") == std::string_view::npos;
      if (!adjacent || !EqualsIgnoreCase(run.back().charset, word.charset)) flush_run();
    }
    run.push_back(word);
    pos = word.end;
  }
  flush_run();
  if (!changed) return false;
  out.append(raw.substr(copied));
  *fixed = std::move(out);
  return true;
}

}  // namespace steadfast::mail::internal
