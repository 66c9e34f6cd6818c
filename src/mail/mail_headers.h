// Header-text helpers for ParseMail that work on plain strings: message IDs, raw header blocks,
// filenames, multipart boundaries, cid: references and Return-Path. Internal to the mail library
// (parse.cc); no GMime here. Every function is pure apart from its documented output and is safe
// from any thread.

#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "mail/parsed_mail.h"

namespace steadfast::mail::internal {

// A Message-ID-like value made clean: passed through OneLine (valid UTF-8, control characters as
// spaces), then trimmed, with a leading '<' and a trailing '>' removed. Empty when nothing is left.
std::string CleanId(std::string_view id);

// The raw value (after the colon, untrimmed) of the first `name:` field in `block`, a block of
// header text with "\n" line ends, with continuation lines appended; empty when there is none.
// `name` is matched ignoring ASCII case and whitespace around the field name.
std::string FindField(std::string_view block, std::string_view name);

// An attachment filename safe to show and save: one line, no directory part, trimmed; never
// empty, ".", or "..", which become "attachment".
std::string SafeFilename(std::string_view name);

// The boundary a multipart body without a usable one seems to use: the text after "--" on the
// first line of `text` that starts with "--", has 1 to 200 further characters (trailing spaces,
// tabs and CRs ignored) and holds only printable ASCII other than '"' and '\'. Empty if none.
std::string GuessBoundary(std::string_view text);

// Every Content-ID a "cid:" URL (scheme matched ignoring case) in `html` names, both as written
// and %-decoded (RFC 2392).
std::unordered_set<std::string> CidReferences(std::string_view html);

// Reads the Return-Path header value `value` into `mail`: "<>" sets null_return_path; otherwise
// the address (angle brackets and an obsolete source route dropped, or the first word when there
// are no brackets), in ASCII lower case, goes to return_path. Leaves `mail` unchanged when
// `value` is blank. REQUIRES: `mail` is not null.
void ReadReturnPath(std::string_view value, ParsedMail* mail);

}  // namespace steadfast::mail::internal
