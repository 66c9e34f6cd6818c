#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steadfast {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when the bytes
// there are not one. REQUIRES: i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

// Appends `s` escaped for HTML text and quoted attribute values (& < > " ' `).
void AppendHtmlEscaped(std::string& out, std::string_view s);

// Removes ASCII whitespace from both ends.
std::string_view Trim(std::string_view s);

// ASCII lower-case copy (email addresses, header names).
std::string AsciiLower(std::string_view s);

// Comparisons that ignore ASCII case (header names, tags, URL schemes).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);

// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);

// True for "local@domain.tld"-shaped addresses without spaces or control characters.
// Deliberately simple: mail delivery is the real test of an address.
bool LooksLikeEmail(std::string_view s);

// True when `s` contains a control character other than tab, LF and CR.
bool HasControlChars(std::string_view s);

// True when `s` fits on one line of a header or a list: no control characters at all (no CR or
// LF either), so it can never split a mail or HTTP header.
bool IsSingleLine(std::string_view s);

}  // namespace steadfast
