// Attribute checks for the HTML sanitizer: how a browser would read an attribute's URL, which
// URLs are safe to keep, and the value checks of the plain-attribute allow-list. Internal to the
// HTML sanitizer; not part of the mail library's interface. All functions are pure and safe from
// any thread.

#pragma once

#include <string>
#include <string_view>

namespace steadfast::mail::internal {

// The URL as a browser would read it: ASCII whitespace and control characters stripped from both
// ends, tab, CR and LF removed everywhere (the URL standard ignores them, which is how
// "java&#9;script:" works), other control characters removed too, and inner spaces encoded.
std::string CleanUrl(std::string_view raw);

// The lower-cased scheme of `url` (without ':'), or "" when it has none. REQUIRES: `url` came
// from CleanUrl.
std::string SchemeOf(std::string_view url);

// `s` with every well-formed %XX escape replaced by its byte; malformed escapes are kept as they
// are.
std::string PercentDecode(std::string_view s);

// The cleaned link target with its scheme lower-cased when it is http, https or mailto, or "" to
// drop the link.
std::string SafeHref(std::string_view raw);

// Attribute value checks, each true when `v` may be kept as it is.
// 1 to 5 digits, optionally followed by '%' (width, height).
bool IsDimension(std::string_view v);
// 1 to 5 digits, optionally preceded by '-' (colspan, border, start, ...).
bool IsSmallNumber(std::string_view v);
// 1 to 16 ASCII letters (align, valign).
bool IsWord(std::string_view v);
// An <ol type>: "1", "a", "A", "i" or "I".
bool IsListType(std::string_view v);

}  // namespace steadfast::mail::internal
