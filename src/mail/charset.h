// Body text decoding for ParseMail: charsets to UTF-8, format=flowed, base64, and the repair of
// RFC 2047 encoded-word runs that GMime misreads. Internal to the mail library (parse.cc); no
// GMime here. Every function is pure and safe from any thread.

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mail/defects.h"

namespace steadfast::mail::internal {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// `s` with every byte that is not part of well-formed UTF-8, and every NUL, replaced by U+FFFD.
std::string RepairUtf8(std::string_view s);

// RepairUtf8(s) with control characters (CR and LF included) turned into spaces: for one-line
// values such as the subject.
std::string OneLine(std::string_view s);

// `s` with CRLF and lone CR turned into LF.
std::string NormalizeNewlines(std::string_view s);

// Converts `in` from `charset` to UTF-8 into `*out` (replacing its contents), replacing each byte
// it cannot convert by U+FFFD and counting it in `*invalid`. Returns false, with `*out`
// unspecified, when there is no converter for `charset`.
using CharsetConverter = bool (*)(std::string_view in, const std::string& charset, std::string* out,
                                  size_t* invalid);

// Decodes body text `bytes` declared in `charset` (may be empty) to valid UTF-8 without NULs.
// UTF-8, US-ASCII and the Western charsets (ISO-8859-1 read as windows-1252) are decoded here,
// with a guess when the declaration is plainly wrong; other charsets go through `convert`.
// Every guess and replacement is recorded in `defects`, naming the part as `where`.
std::string DecodeText(std::string_view bytes, std::string_view charset, CharsetConverter convert,
                       Defects& defects, std::string_view where);

// RFC 3676 format=flowed: joins soft-broken lines (ending in a space) of the same quote depth,
// undoing space-stuffing; `delsp` is the DelSp=yes parameter. `text` uses LF line ends.
std::string Unflow(std::string_view text, bool delsp);

// Streaming base64 decoding that notices what GMime's decoder silently skips. Feed the data in
// any number of pieces, then call Finish once. Not thread-safe; one instance per stream.
class Base64Decoder {
 public:
  Base64Decoder();

  // Appends the bytes decoded from `in` to `*out`. Whitespace is skipped; other characters
  // outside the alphabet are skipped and counted in invalid().
  void Feed(std::string_view in, std::string* out);

  // Appends what is left of the last quantum. Data that ends inside a quantum without its padding
  // was cut short: truncated() becomes true.
  void Finish(std::string* out);

  size_t invalid() const { return invalid_; }
  bool truncated() const { return truncated_; }

 private:
  // Padding (or the end of the data) closes a quantum of fewer than four characters.
  void EndQuantum(std::string* out);

  std::array<int, 256> table_;
  uint32_t acc_ = 0;
  int count_ = 0;
  size_t padded_ = 0;
  size_t invalid_ = 0;
  bool truncated_ = false;
};

// GMime 3.2.13 (Debian 12) misdecodes a run of adjacent base64 encoded-words in one charset when
// padding occurs inside the run (jstedfast/gmime#133). Sets `*fixed` to the raw header value
// `raw` with every such run merged into one base64 encoded-word, and returns true; returns false,
// leaving `*fixed` alone, when `raw` has no such run.
bool MergeEncodedWordRuns(std::string_view raw, std::string* fixed);

}  // namespace steadfast::mail::internal
