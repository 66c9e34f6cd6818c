#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/parsed_mail.h"

namespace steadfast::mail {

// Why we must not send an automatic reply (acknowledgement, notification) to a message — RFC 3834
// and the habits of real mail systems. Empty `reason` means an automatic reply is allowed.
struct AutoReplyVerdict {
  bool allowed = true;
  std::string
      reason;  // "Auto-Submitted: auto-replied", "Precedence: bulk", "null return path", ...
};

// `our_domains`: the domains our own Message-IDs use; mail that is our own coming back (its
// Message-ID on our domain, or X-Steadfast-Loop header) is never answered.
AutoReplyVerdict CheckAutoReply(const ParsedMail& mail, std::string_view our_message_id_domain);

// What in a message points at an existing ticket, strongest first.
struct ThreadHints {
  // Ticket ids from our own Message-IDs in In-Reply-To / References
  // ("<ticket-123.msg-456.<random>@our-domain>"), most recent reference first.
  std::vector<int64_t> ticket_ids_from_headers;
  // The number in a subject tag like "[#123]" (prefix configurable: "[#" by default).
  std::optional<int64_t> ticket_number_from_subject;
};

ThreadHints FindThreadHints(const ParsedMail& mail, std::string_view our_message_id_domain,
                            std::string_view subject_tag_prefix = "[#");

// The Message-ID we give an outgoing message about `ticket_id` (without <>):
// "ticket-<ticket>.msg-<message>.<random>@<domain>". FindThreadHints recognizes it.
std::string MakeMessageId(int64_t ticket_id, int64_t message_id, std::string_view random_part,
                          std::string_view domain);

}  // namespace steadfast::mail
