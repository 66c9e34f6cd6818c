#include "mail/intake.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/log.h"
#include "common/text.h"
#include "domain/ticket_rules.h"
#include "mail/html_sanitizer.h"
#include "mail/html_text.h"
#include "mail/loop_guard.h"
#include "mail/parsed_mail.h"
#include "mail/quoted_text.h"

namespace steadfast::mail {

using domain::Principal;

std::string_view Name(IntakeResult::Outcome outcome) {
  switch (outcome) {
    case IntakeResult::Outcome::kNewTicket:
      return "new_ticket";
    case IntakeResult::Outcome::kAppended:
      return "appended";
    case IntakeResult::Outcome::kDuplicate:
      return "duplicate";
    case IntakeResult::Outcome::kBounce:
      return "bounce";
  }
  return "unknown";
}

namespace {

// The message, ready to store: text split from its quoted history, HTML made safe.
struct Content {
  std::string subject;
  domain::NewMessage message;
};

// Cuts `text` to at most `max` bytes on a UTF-8 boundary, saying so.
std::string CutText(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += "\n\n[This email was longer; the rest was cut.]";
  return text;
}

Content PrepareContent(const ParsedMail& mail, const IntakeOptions& options) {
  Content c;
  auto subject = domain::ValidateSubject(mail.subject);
  c.subject = subject.ok() ? std::move(subject).value() : "(no subject)";
  std::string text = mail.text.empty() && !mail.html.empty() ? HtmlToText(mail.html) : mail.text;
  SplitText split = SplitQuotedHistory(text);
  // The customer's new words first; the quoted history kept apart (shown behind a toggle).
  const bool has_fresh = !Trim(split.fresh).empty();
  std::string body = has_fresh ? split.fresh : text;
  if (Trim(body).empty()) body = "(This email had no text.)";
  c.message.kind = domain::MessageKind::kCustomer;
  c.message.body = CutText(std::move(body), options.max_body_bytes);
  if (has_fresh) c.message.quoted = CutText(split.quoted, options.max_body_bytes);
  // Inline images are kept as attachments; the HTML names each by its content address
  // ("sha256:<hex>"), which the API turns into the attachment's URL.
  if (!mail.html.empty()) {
    SanitizeOptions sanitize;
    for (const MailAttachment& a : mail.attachments) {
      if (!a.content_id.empty() && a.data.size() <= options.max_attachment_bytes) {
        sanitize.inline_images.emplace(a.content_id, "sha256:" + Sha256Hex(a.data));
      }
    }
    c.message.html = SanitizeHtml(mail.html, sanitize);
  }
  c.message.from_address = mail.from.email;
  for (const MailAttachment& a : mail.attachments) {
    if (a.data.size() > options.max_attachment_bytes) continue;
    c.message.attachments.push_back(domain::NewAttachment{
        a.filename.empty() ? "attachment" : a.filename,
        a.content_type.empty() ? "application/octet-stream" : a.content_type, a.data});
  }
  return c;
}

// A line from the system: `kSystem` the customer sees too, `kNote` for the team only.
domain::NewMessage SystemMessage(std::string body,
                                 domain::MessageKind kind = domain::MessageKind::kSystem) {
  domain::NewMessage m;
  m.kind = kind;
  m.body = std::move(body);
  return m;
}

// The acknowledgement of new ticket `t`, emailed to `to` when `verdict` allows; otherwise a
// system line saying why the customer was not acknowledged.
domain::NewMessage Acknowledgement(const domain::Ticket& t, const std::string& to,
                                   const std::string& to_name, const AutoReplyVerdict& verdict) {
  if (!verdict.allowed) {
    return SystemMessage("No acknowledgement was emailed to " + to + ": " + verdict.reason + ".",
                         domain::MessageKind::kNote);
  }
  domain::NewMessage m = SystemMessage(
      "Hello" + (to_name.empty() ? std::string() : " " + to_name) + ",\n\nWe have your message \"" +
      t.subject + "\" and opened ticket #" + std::to_string(t.number) +
      " for it. A person on our team will read it and answer you here. You do not need to write "
      "again; if you have something to add, reply to this email and it goes to the same ticket.");
  m.auto_email_to = to;
  return m;
}

// `messages` added one after the other by the system, as one Change.
Result<domain::Change> AddSystemMessages(const domain::TicketState& s,
                                         std::vector<domain::NewMessage> messages, Timestamp now) {
  domain::Change all;
  all.after = s.ticket;
  domain::TicketState state = s;
  for (domain::NewMessage& m : messages) {
    SF_ASSIGN_OR_RETURN(domain::Change c,
                        domain::AddMessage(state, Principal::System(), std::move(m), false, now));
    state.ticket = c.after;
    all.after = c.after;
    for (auto& nm : c.messages) all.messages.push_back(std::move(nm));
    for (auto& e : c.events) all.events.push_back(std::move(e));
  }
  all.after.version = s.ticket.version + 1;  // One write, however many messages.
  return all;
}

bool HasEmail(const domain::Customer& c, const std::string& email) {
  return std::find(c.emails.begin(), c.emails.end(), email) != c.emails.end();
}

}  // namespace

Result<AutoReplyVerdict> CheckAutoMailCap(storage::Store& store, storage::TicketId ticket_id,
                                          std::string_view address, Timestamp now, int limit,
                                          int64_t window_ms) {
  SF_ASSIGN_OR_RETURN(
      storage::AutomaticMailCount count,
      store.CountAutomaticMail(ticket_id, address, Timestamp{now.millis - window_ms}));
  const std::string window = std::to_string(window_ms / 60000) + " minutes";
  if (count.to_ticket >= limit) {
    return AutoReplyVerdict{false, std::to_string(count.to_ticket) +
                                       " automatic emails about this ticket in the last " + window};
  }
  if (count.to_address >= limit) {
    return AutoReplyVerdict{false, std::to_string(count.to_address) + " automatic emails to " +
                                       std::string(address) + " in the last " + window};
  }
  return AutoReplyVerdict{};
}

MailIntake::MailIntake(storage::Store& store, const Clock& clock, IntakeOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

Result<IntakeResult> MailIntake::Ingest(std::string_view raw) {
  ParseOptions parse_options;
  parse_options.max_attachment_bytes = options_.max_attachment_bytes;
  SF_ASSIGN_OR_RETURN(ParsedMail mail, ParseMail(raw, parse_options));

  const std::string source_key =
      mail.message_id.empty() ? "sha256:" + Sha256Hex(raw) : "mid:" + mail.message_id;
  auto duplicate = [&]() -> Result<IntakeResult> {
    SF_ASSIGN_OR_RETURN(auto seen, store_.FindMessageSource(source_key));
    if (!seen) return Status::Unavailable("message source vanished; retry");
    return IntakeResult{IntakeResult::Outcome::kDuplicate, seen->ticket_id, seen->message_id,
                        "already taken in"};
  };
  SF_ASSIGN_OR_RETURN(auto seen, store_.FindMessageSource(source_key));
  if (seen) return duplicate();

  Content content = PrepareContent(mail, options_);
  content.message.source_key = source_key;

  if (mail.is_bounce) {
    // A delivery failure attaches to the ticket of the mail that bounced, as a system message.
    ParsedMail probe;
    if (!mail.bounced_message_id.empty()) probe.in_reply_to = {mail.bounced_message_id};
    ThreadHints hints = FindThreadHints(probe, options_.message_id_domain);
    for (storage::TicketId id : hints.ticket_ids_from_headers) {
      domain::NewMessage note = content.message;
      note.kind = domain::MessageKind::kSystem;
      note.body = "Delivery failed: " + std::string(Trim(content.message.body));
      const Timestamp now = clock_.Now();
      auto w = store_.ModifyTicket(id, [&](const domain::TicketState& s) {
        return domain::AddMessage(s, Principal::System(), note, false, now);
      });
      if (w.ok()) {
        return IntakeResult{IntakeResult::Outcome::kBounce, id, w->messages.front().id,
                            "bounce of " + mail.bounced_message_id};
      }
      if (w.status().code() == StatusCode::kConflict) {
        SF_ASSIGN_OR_RETURN(auto again, store_.FindMessageSource(source_key));
        if (again) return duplicate();
      }
      if (w.status().code() != StatusCode::kNotFound) return w.status();
    }
    Log(LogLevel::kWarn, "bounce concerns no ticket", {{"message_id", mail.message_id}});
    return IntakeResult{IntakeResult::Outcome::kBounce, 0, 0, "bounce for no known ticket"};
  }

  std::string sender = mail.from.email;
  std::string sender_name = mail.from.name;
  if (sender.empty() && mail.reply_to) sender = mail.reply_to->email;
  if (sender.empty()) sender = mail.return_path;
  sender = AsciiLower(sender);
  if (!LooksLikeEmail(sender)) {
    return Status::BadRequest("the message has no usable sender address");
  }
  if (!IsSingleLine(sender_name) || sender_name.size() > 200) sender_name.clear();
  content.message.from_address = sender;

  // Threading: the first ticket the message points at whose customer is the sender.
  ThreadHints hints =
      FindThreadHints(mail, options_.message_id_domain, options_.subject_tag_prefix);
  std::vector<storage::TicketId> candidates = hints.ticket_ids_from_headers;
  if (hints.ticket_number_from_subject) candidates.push_back(*hints.ticket_number_from_subject);
  std::string note;
  for (storage::TicketId id : candidates) {
    auto state = store_.GetTicket(id);
    if (!state.ok()) {
      if (state.status().code() == StatusCode::kNotFound) continue;
      return state.status();
    }
    SF_ASSIGN_OR_RETURN(domain::Customer customer, store_.GetCustomer(state->ticket.customer_id));
    if (!HasEmail(customer, sender)) {
      note = "It referred to ticket #" + std::to_string(id) +
             ", which belongs to another customer, so it was opened on its own.";
      break;
    }
    if (state->ticket.status == domain::TicketStatus::kClosed) {
      note = "It replied to ticket #" + std::to_string(id) + ", which is closed.";
      break;
    }
    bool shares = false;
    if (customer.company_id) {
      SF_ASSIGN_OR_RETURN(domain::Company company, store_.GetCompany(*customer.company_id));
      shares = company.shares_tickets;
    }
    const Principal who = Principal::ForCustomer(customer, shares);
    const Timestamp now = clock_.Now();
    content.message.chase =
        options_.is_chase && options_.is_chase(content.message.body, customer.language);
    auto w = store_.ModifyTicket(id, [&](const domain::TicketState& s) {
      return domain::AddMessage(s, who, content.message, false, now);
    });
    if (w.ok()) {
      return IntakeResult{IntakeResult::Outcome::kAppended, id, w->messages.front().id,
                          "threaded to #" + std::to_string(id)};
    }
    if (w.status().code() == StatusCode::kConflict) {
      SF_ASSIGN_OR_RETURN(auto again, store_.FindMessageSource(source_key));
      if (again) return duplicate();
      note = "It replied to ticket #" + std::to_string(id) + ", which could not take it (" +
             w.status().message() + ").";
      break;
    }
    return w.status();
  }

  // Besides the customer's words, the new ticket records in the same transaction why it was not
  // threaded, and what the customer heard automatically.
  AutoReplyVerdict ack{false, "acknowledgements are off"};
  if (options_.auto_ack) {
    ack = CheckAutoReply(mail, options_.message_id_domain);
    if (ack.allowed) {
      // Counted before the ticket exists, so only the address can have reached the cap.
      SF_ASSIGN_OR_RETURN(ack, CheckAutoMailCap(store_, 0, sender, clock_.Now(),
                                                options_.auto_limit, options_.auto_window_ms));
    }
  }
  const auto then = [&](const domain::TicketState& s) -> Result<domain::Change> {
    std::vector<domain::NewMessage> extra;
    // The team's business which other ticket was named, not the sender's.
    if (!note.empty()) extra.push_back(SystemMessage(note, domain::MessageKind::kNote));
    if (options_.auto_ack) extra.push_back(Acknowledgement(s.ticket, sender, sender_name, ack));
    return AddSystemMessages(s, std::move(extra), clock_.Now());
  };

  domain::NewTicket t;
  t.subject = content.subject;
  t.body = content.message.body;
  t.channel = domain::Channel::kEmail;
  t.attachments = content.message.attachments;
  t.from_address = content.message.from_address;
  t.html = content.message.html;
  t.quoted = content.message.quoted;
  t.source_key = source_key;
  auto w = store_.CreateTicketThen(t, storage::CustomerRef{sender, sender_name},
                                   Principal::System(), then);
  if (!w.ok()) {
    if (w.status().code() == StatusCode::kConflict) {
      SF_ASSIGN_OR_RETURN(auto again, store_.FindMessageSource(source_key));
      if (again) return duplicate();
    }
    return w.status();
  }
  return IntakeResult{IntakeResult::Outcome::kNewTicket, w->state.ticket.id, w->messages.front().id,
                      note.empty() ? "new ticket" : note};
}

Result<storage::TicketWrite> MailIntake::OpenFromForm(const domain::NewTicket& t,
                                                      const storage::CustomerRef& customer) {
  AutoReplyVerdict ack{false, "acknowledgements are off"};
  if (options_.auto_ack) {
    SF_ASSIGN_OR_RETURN(ack, CheckAutoMailCap(store_, 0, customer.email, clock_.Now(),
                                              options_.auto_limit, options_.auto_window_ms));
  }
  const auto then = [&](const domain::TicketState& s) -> Result<domain::Change> {
    std::vector<domain::NewMessage> extra;
    if (options_.auto_ack) {
      extra.push_back(Acknowledgement(s.ticket, customer.email, customer.name, ack));
    }
    return AddSystemMessages(s, std::move(extra), clock_.Now());
  };
  return store_.CreateTicketThen(t, customer, Principal::System(), then);
}

}  // namespace steadfast::mail
