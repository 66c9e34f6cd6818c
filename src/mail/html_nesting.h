// The pre-parse nesting bound that keeps Gumbo's parse time linear on hostile HTML. Internal to
// the HTML sanitizer; not part of the mail library's interface.

#pragma once

#include <string>
#include <string_view>

namespace steadfast::mail::internal {

// Gumbo's tree builder scans the stack of open elements for many start tags, so parse time grows
// with the square of the nesting depth (200 KB of "<div>" takes seconds). Start tags that would
// open an element deeper than this are removed before parsing; see BoundNesting.
inline constexpr int kMaxParseDepth = 512;

// `html` with every start tag that would open an element deeper than kMaxParseDepth removed,
// together with as many end tags after it; everything else is copied unchanged. Input with no
// more than kMaxParseDepth '<' characters is returned as it is. A rough tokenizer decides what
// nests: whatever it gets wrong costs fidelity on hostile input, never safety, because the
// allow-list serializer still writes every byte of the output. Pure; safe from any thread.
std::string BoundNesting(std::string_view html);

}  // namespace steadfast::mail::internal
