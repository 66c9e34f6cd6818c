#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace steadfast::mail {

struct MailAddress {
  std::string name;   // Display name, decoded to UTF-8; may be empty.
  std::string email;  // Lower-cased addr-spec; empty if the header held none.
};

struct MailAttachment {
  std::string filename;      // Decoded (RFC 2231/2047) UTF-8; "attachment" when absent.
  std::string content_type;  // "image/png"; lower-case type/subtype only.
  std::string content_id;    // Without <>; set for inline parts referenced as cid:.
  bool is_inline = false;    // Content-Disposition: inline, or referenced by Content-ID.
  std::string data;          // Decoded bytes (base64/quoted-printable undone).
};

// One email, decoded: every header and body part in UTF-8, whatever charset it came in.
struct ParsedMail {
  std::string message_id;                // Without <>; empty when the message has none.
  std::vector<std::string> in_reply_to;  // Message-IDs, without <>.
  std::vector<std::string> references;   // Message-IDs, oldest first, without <>.
  MailAddress from;
  std::optional<MailAddress> reply_to;
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::string return_path;        // The Return-Path address; empty if absent.
  bool null_return_path = false;  // "Return-Path: <>" (bounces and other automatic mail).
  std::string subject;            // Decoded; line breaks folded to spaces.
  std::optional<Timestamp> date;  // The Date header, when it parses.
  std::string text;               // The text/plain body (UTF-8); empty when there is only HTML.
  std::string html;               // The text/html body as sent (decoded, NOT sanitized).
  std::vector<MailAttachment> attachments;  // Attachments and inline images.
  // Every header as (lower-case name, decoded value), in order, for the loop guard.
  std::vector<std::pair<std::string, std::string>> headers;
  // What was wrong with the message but could be read past ("missing boundary", ...).
  std::vector<std::string> defects;
  // A delivery status notification (multipart/report; report-type=delivery-status).
  bool is_bounce = false;
  // For a bounce: the Message-ID of the message that bounced, when it can be found.
  std::string bounced_message_id;

  // First value of header `lower_name`, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

struct ParseOptions {
  size_t max_attachment_bytes = 10 * 1024 * 1024;  // Larger parts are dropped, noted in defects.
  size_t max_parts = 1000;                         // Parts beyond are ignored, noted in defects.
  size_t max_depth = 32;                           // Deeper nesting is ignored, noted.
};

// Parses one RFC 5322 message with GMime. Broken MIME is read as far as it can be, with what was
// wrong recorded in `defects`: it never crashes and never throws. BadRequest only when nothing
// resembling a message is there (empty input, or no header at all).
// Thread-safe (GMime is initialized once, internally).
Result<ParsedMail> ParseMail(std::string_view raw, const ParseOptions& options = {});

}  // namespace steadfast::mail
