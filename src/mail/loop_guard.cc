#include "mail/loop_guard.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "common/check.h"
#include "common/text.h"

namespace steadfast::mail {
namespace {

// Header values end up in reason strings that are logged and shown to agents: keep them on one
// line and short.
constexpr size_t kMaxReasonValueBytes = 200;

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAllDigits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!IsDigit(c)) {
      return false;
    }
  }
  return true;
}

// A non-negative decimal number that fits in int64_t; nullopt for anything else (signs, spaces,
// overflow).
std::optional<int64_t> ParseDecimal(std::string_view digits) {
  if (!IsAllDigits(digits)) {
    return std::nullopt;
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

// The value quoted in a reason: control characters become spaces, long values are cut on a
// UTF-8 character boundary.
std::string ForReason(std::string_view value) {
  value = Trim(value);
  bool cut = false;
  if (value.size() > kMaxReasonValueBytes) {
    size_t end = kMaxReasonValueBytes;
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
      --end;
    }
    value = value.substr(0, end);
    cut = true;
  }
  std::string out;
  out.reserve(value.size() + 3);
  for (char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    out.push_back((c < 0x20 || c == 0x7F) ? ' ' : ch);
  }
  if (cut) {
    out += "...";
  }
  return out;
}

AutoReplyVerdict Deny(std::string reason) { return AutoReplyVerdict{false, std::move(reason)}; }

AutoReplyVerdict DenyHeader(std::string_view display_name, std::string_view value) {
  return Deny(std::string(display_name) + ": " + ForReason(value));
}

// The first token of a structured value, lower-cased: "Auto-Replied; owner=x" → "auto-replied",
// "bulk (list)" → "bulk".
std::string FirstToken(std::string_view value) {
  value = Trim(value);
  const size_t end = value.find_first_of(" \t\r\n;(,");
  return AsciiLower(value.substr(0, end));
}

// Headers, by lower-case name and as named in reasons.
struct PresenceHeader {
  std::string_view lower_name;
  std::string_view display_name;
};

// Headers whose mere presence marks a message as sent by a program (vendor autoresponders).
constexpr PresenceHeader kAutoResponderHeaders[] = {
    {"x-autoreply", "X-Autoreply"},           {"x-autorespond", "X-Autorespond"},
    {"x-autoresponder", "X-Autoresponder"},   {"x-autoreply-from", "X-AutoReply-From"},
    {"x-mail-autoreply", "X-Mail-Autoreply"},
};

constexpr PresenceHeader kPrecedenceHeaders[] = {
    {"precedence", "Precedence"},
    {"x-precedence", "X-Precedence"},
};

constexpr PresenceHeader kListHeaders[] = {
    {"list-id", "List-Id"},
    {"list-unsubscribe", "List-Unsubscribe"},
};

// Why `mail` is automatic according to its headers, or an allowed verdict.
AutoReplyVerdict CheckHeaders(const ParsedMail& mail) {
  // One pass per rule keeps the reason deterministic (the strongest rule wins), whatever the
  // order of the headers in the message.
  auto find_all = [&mail](std::string_view lower_name, auto&& deny_if) -> AutoReplyVerdict {
    for (const auto& [name, value] : mail.headers) {
      if (EqualsIgnoreCase(name, lower_name)) {
        AutoReplyVerdict verdict = deny_if(value);
        if (!verdict.allowed) {
          return verdict;
        }
      }
    }
    return {};
  };

  const AutoReplyVerdict allowed;
  AutoReplyVerdict v;

  // RFC 3834 §5: anything but "no" is automatic. A present but empty value is malformed; treat it
  // as automatic, since answering it wrongly risks a loop and not answering costs one receipt.
  v = find_all("auto-submitted", [&](const std::string& value) {
    return FirstToken(value) == "no" ? allowed : DenyHeader("Auto-Submitted", value);
  });
  if (!v.allowed) {
    return v;
  }

  v = find_all("x-auto-response-suppress", [&](const std::string& value) {
    return Trim(value).empty() ? allowed : DenyHeader("X-Auto-Response-Suppress", value);
  });
  if (!v.allowed) {
    return v;
  }

  for (const PresenceHeader& h : kPrecedenceHeaders) {
    v = find_all(h.lower_name, [&](const std::string& value) {
      const std::string token = FirstToken(value);
      const bool automatic =
          token == "bulk" || token == "junk" || token == "list" || token == "auto_reply";
      return automatic ? DenyHeader(h.display_name, value) : allowed;
    });
    if (!v.allowed) {
      return v;
    }
  }

  for (const PresenceHeader& h : kAutoResponderHeaders) {
    v = find_all(h.lower_name,
                 [&](const std::string& value) { return DenyHeader(h.display_name, value); });
    if (!v.allowed) {
      return v;
    }
  }

  v = find_all("x-fc-machinegenerated", [&](const std::string& value) {
    return FirstToken(value) == "true" ? DenyHeader("X-FC-MachineGenerated", value) : allowed;
  });
  if (!v.allowed) {
    return v;
  }
  v = find_all("x-post-messageclass", [&](const std::string& value) {
    return AsciiLower(value).find("autoresponder") != std::string::npos
               ? DenyHeader("X-POST-MessageClass", value)
               : allowed;
  });
  if (!v.allowed) {
    return v;
  }
  v = find_all("x-autogenerated", [&](const std::string& value) {
    const std::string token = FirstToken(value);
    return token == "reply" || token == "forward" || token == "mirror" || token == "redirect"
               ? DenyHeader("X-Autogenerated", value)
               : allowed;
  });
  if (!v.allowed) {
    return v;
  }
  v = find_all("delivered-to", [&](const std::string& value) {
    return EqualsIgnoreCase(Trim(value), "autoresponder") ? DenyHeader("Delivered-To", value)
                                                          : allowed;
  });
  if (!v.allowed) {
    return v;
  }

  for (const PresenceHeader& h : kListHeaders) {
    v = find_all(h.lower_name,
                 [&](const std::string& value) { return DenyHeader(h.display_name, value); });
    if (!v.allowed) {
      return v;
    }
  }
  return allowed;
}

// True for the local parts of addresses that are programs, never people: "MAILER-DAEMON",
// "postmaster", "noreply", "no-reply", "no_reply", "do.not.reply", "noreply+tag", "no-reply-aws".
bool IsAutomaticLocalPart(std::string_view address) {
  const size_t at = address.rfind('@');
  std::string_view local = at == std::string_view::npos ? address : address.substr(0, at);
  const size_t plus = local.find('+');
  if (plus != std::string_view::npos) {
    local = local.substr(0, plus);
  }
  std::string squashed;
  for (char c : local) {
    if (c != '-' && c != '_' && c != '.') {
      squashed.push_back(LowerAscii(c));
    }
  }
  if (squashed == "mailerdaemon" || squashed == "postmaster") {
    return true;
  }
  return squashed.starts_with("noreply") || squashed.starts_with("donotreply");
}

// Parses an id produced by MakeMessageId on `domain`; returns its ticket id.
std::optional<int64_t> TicketIdFromMessageId(std::string_view id, std::string_view domain) {
  id = Trim(id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
    id = Trim(id.substr(1, id.size() - 2));
  }
  const size_t at = id.rfind('@');
  if (at == std::string_view::npos || !EqualsIgnoreCase(id.substr(at + 1), domain)) {
    return std::nullopt;
  }
  std::string_view local = id.substr(0, at);
  if (local.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  constexpr std::string_view kTicket = "ticket-";
  constexpr std::string_view kMsg = ".msg-";
  if (!local.starts_with(kTicket)) {
    return std::nullopt;
  }
  local.remove_prefix(kTicket.size());
  const size_t msg = local.find(kMsg);
  if (msg == std::string_view::npos) {
    return std::nullopt;
  }
  const std::optional<int64_t> ticket = ParseDecimal(local.substr(0, msg));
  local.remove_prefix(msg + kMsg.size());
  const size_t dot = local.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const std::optional<int64_t> message = ParseDecimal(local.substr(0, dot));
  const std::string_view random = local.substr(dot + 1);
  if (!ticket || !message || *ticket <= 0 || random.empty()) {
    return std::nullopt;
  }
  return ticket;
}

// The number in the last well-formed "<prefix><1-18 digits>]" of `subject`.
std::optional<int64_t> TicketNumberFromSubject(std::string_view subject, std::string_view prefix) {
  constexpr size_t kMaxDigits = 18;  // Fits in int64_t whatever the digits.
  if (prefix.empty()) {
    return std::nullopt;
  }
  std::optional<int64_t> found;
  for (size_t pos = 0; pos + prefix.size() <= subject.size(); ++pos) {
    if (!StartsWithIgnoreCase(subject.substr(pos), prefix)) {
      continue;
    }
    const size_t start = pos + prefix.size();
    size_t end = start;
    while (end < subject.size() && IsDigit(subject[end]) && end - start <= kMaxDigits) {
      ++end;
    }
    const size_t digits = end - start;
    if (digits == 0 || digits > kMaxDigits || end >= subject.size() || subject[end] != ']') {
      continue;
    }
    const std::optional<int64_t> number = ParseDecimal(subject.substr(start, digits));
    if (number && *number > 0) {
      found = number;
    }
  }
  return found;
}

bool IsMessageIdSafe(std::string_view s) {
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '@') {
      return false;
    }
  }
  return true;
}

}  // namespace

AutoReplyVerdict CheckAutoReply(const ParsedMail& mail, std::string_view our_message_id_domain) {
  for (const auto& [name, value] : mail.headers) {
    if (EqualsIgnoreCase(name, "x-steadfast-loop")) {
      return DenyHeader("X-Steadfast-Loop", value);
    }
  }
  const std::string_view domain = Trim(our_message_id_domain);
  if (!domain.empty()) {
    std::string_view id = Trim(mail.message_id);
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
      id = id.substr(1, id.size() - 2);
    }
    const size_t at = id.rfind('@');
    if (at != std::string_view::npos && EqualsIgnoreCase(id.substr(at + 1), domain)) {
      return Deny("our own mail coming back: Message-ID " + ForReason(id));
    }
  }
  if (mail.is_bounce) {
    return Deny("delivery status notification (bounce)");
  }
  if (mail.null_return_path) {
    return Deny("null return path");
  }

  AutoReplyVerdict verdict = CheckHeaders(mail);
  if (!verdict.allowed) {
    return verdict;
  }

  if (Trim(mail.from.email).empty()) {
    return Deny("From: empty");
  }
  if (IsAutomaticLocalPart(mail.from.email)) {
    return DenyHeader("From", mail.from.email);
  }
  if (mail.reply_to && !mail.reply_to->email.empty() &&
      IsAutomaticLocalPart(mail.reply_to->email)) {
    return DenyHeader("Reply-To", mail.reply_to->email);
  }
  if (!mail.return_path.empty() && IsAutomaticLocalPart(mail.return_path)) {
    return DenyHeader("Return-Path", mail.return_path);
  }
  return {};
}

ThreadHints FindThreadHints(const ParsedMail& mail, std::string_view our_message_id_domain,
                            std::string_view subject_tag_prefix) {
  ThreadHints hints;
  const std::string_view domain = Trim(our_message_id_domain);
  if (!domain.empty()) {
    auto add = [&](const std::string& id) {
      const std::optional<int64_t> ticket = TicketIdFromMessageId(id, domain);
      if (!ticket) {
        return;
      }
      for (int64_t seen : hints.ticket_ids_from_headers) {
        if (seen == *ticket) {
          return;
        }
      }
      hints.ticket_ids_from_headers.push_back(*ticket);
    };
    for (const std::string& id : mail.in_reply_to) {
      add(id);
    }
    for (auto it = mail.references.rbegin(); it != mail.references.rend(); ++it) {
      add(*it);
    }
  }
  hints.ticket_number_from_subject = TicketNumberFromSubject(mail.subject, subject_tag_prefix);
  return hints;
}

std::string MakeMessageId(int64_t ticket_id, int64_t message_id, std::string_view random_part,
                          std::string_view domain) {
  SF_CHECK(ticket_id > 0);
  SF_CHECK(message_id >= 0);
  SF_CHECK(!random_part.empty() && IsMessageIdSafe(random_part));
  SF_CHECK(!domain.empty() && IsMessageIdSafe(domain));
  std::string id = "ticket-" + std::to_string(ticket_id) + ".msg-" + std::to_string(message_id);
  id += '.';
  id += random_part;
  id += '@';
  id += domain;
  return id;
}

}  // namespace steadfast::mail
