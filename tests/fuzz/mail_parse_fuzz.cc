// libFuzzer target for the untrusted-mail path: raw bytes → ParseMail → SanitizeHtml/HtmlToText
// → SplitQuotedHistory. Crashes, sanitizer reports and broken invariants (non-UTF-8 output,
// script surviving the sanitizer) all count as findings.
//
// Built and run briefly by tests/fuzz/run-fuzz (part of `make test`); for a longer run:
//   tests/fuzz/run-fuzz --seconds 3600
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/text.h"
#include "mail/html_sanitizer.h"
#include "mail/html_text.h"
#include "mail/parsed_mail.h"
#include "mail/quoted_text.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    __builtin_trap();  // A broken invariant: libFuzzer saves the input.
  }
  (void)what;
}

void CheckUtf8(std::string_view s, const char* what) { Require(steadfast::IsValidUtf8(s), what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace steadfast::mail;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  options.max_attachment_bytes = 1 << 20;
  auto mail = ParseMail(raw, options);
  if (!mail.ok()) return 0;
  CheckUtf8(mail->subject, "subject");
  CheckUtf8(mail->text, "text");
  CheckUtf8(mail->html, "html");
  CheckUtf8(mail->from.name, "from name");
  for (const auto& a : mail->attachments) CheckUtf8(a.filename, "filename");
  for (const auto& [name, value] : mail->headers) CheckUtf8(value, "header");

  const std::string safe = SanitizeHtml(mail->html);
  Require(safe.find("<script") == std::string::npos, "script survived");
  // Text may say "javascript:" (it is escaped text); an attribute value may not start with it.
  // The serializer always double-quotes attribute values.
  std::string lower = safe;
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  Require(lower.find("=\"javascript:") == std::string::npos, "javascript: URL survived");

  (void)HtmlToText(mail->html);
  const SplitText split = SplitQuotedHistory(mail->text);
  // Whitespace is trimmed, so only the text's words must be kept (at least half of them).
  Require(split.fresh.size() + split.quoted.size() >= steadfast::Trim(mail->text).size() / 2,
          "text lost");
  return 0;
}
