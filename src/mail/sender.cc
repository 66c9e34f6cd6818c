#include "mail/sender.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "common/crypto.h"
#include "common/log.h"
#include "common/text.h"
#include "domain/ticket_rules.h"
#include "mail/loop_guard.h"

namespace steadfast::mail {

namespace {

std::string Base64(std::string_view data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

// RFC 5322 date in UTC: "Mon, 23 Nov 2026 17:30:00 +0000".
std::string MailDate(Timestamp t) {
  const std::string iso = FormatIso8601(t);  // 2026-11-23T17:30:00.000Z
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  const int64_t days = t.millis >= 0 ? t.millis / 86400000 : (t.millis - 86399999) / 86400000;
  const int month = std::stoi(iso.substr(5, 2));
  return std::string(kDays[((days % 7) + 7) % 7]) + ", " + iso.substr(8, 2) + " " +
         kMonths[month - 1] + " " + iso.substr(0, 4) + " " + iso.substr(11, 8) + " +0000";
}

// Body lines wrapped as base64 (any UTF-8, any line length, nothing an MTA can mangle).
std::string Base64Body(std::string_view text) {
  std::string crlf;
  for (char c : text) {
    if (c == '\n') {
      if (crlf.empty() || crlf.back() != '\r') crlf += '\r';
    }
    crlf += c;
  }
  const std::string b64 = Base64(crlf);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

// A MIME type as given, if it is a plain "type/subtype" token; application/octet-stream otherwise.
std::string SafeContentType(std::string_view type) {
  const size_t slash = type.find('/');
  const bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < type.size() &&
                  type.size() <= 100 &&
                  std::all_of(type.begin(), type.end(),
                              [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                                       c == '.' || c == '+' || c == '-' || c == '_';
                              }) &&
                  type.find('/', slash + 1) == std::string_view::npos;
  return ok ? AsciiLower(type) : "application/octet-stream";
}

// The filename parameter: quoted when plain, RFC 2231 percent-encoded UTF-8 otherwise.
std::string FilenameParameter(std::string_view name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == ' ' || c == '(' || c == ')';
  });
  if (plain) return "filename=\"" + std::string(name) + "\"";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "filename*=UTF-8''";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t ReadUpload(char* buf, size_t size, size_t n, void* p) {
  auto* u = static_cast<Upload*>(p);
  const size_t len = std::min(size * n, u->data.size() - u->pos);
  std::copy_n(u->data.data() + u->pos, len, buf);
  u->pos += len;
  return len;
}

}  // namespace

std::string EncodeHeaderWord(std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (plain && text.find("=?") == std::string_view::npos) return std::string(text);
  return "=?UTF-8?B?" + Base64(text) + "?=";
}

MailSender::MailSender(storage::Store& store, const Clock& clock, SenderOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

MailSender::~MailSender() { Stop(); }

void MailSender::Start() {
  if (options_.smtp_url.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void MailSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailSender::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    SendDue();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return stopping_; });
  }
}

Result<std::string> MailSender::ComposeDirect(const storage::OutboxItem& item,
                                              std::string* to_address) {
  *to_address = item.to_address;
  for (const std::string* field : std::initializer_list<const std::string*>{
           to_address, &item.subject, &options_.from_name, &options_.from_address}) {
    if (!IsSingleLine(*field)) return Status::InvalidArgument("header", "a line break in a header");
  }
  if (!LooksLikeEmail(*to_address) || !LooksLikeEmail(options_.from_address)) {
    return Status::InvalidArgument("to", "not an email address: " + *to_address);
  }
  if (item.body.empty()) return Status::NotFound("the mail to send is gone");
  std::string m;
  m += "From: " + EncodeHeaderWord(options_.from_name) + " <" + options_.from_address + ">\r\n";
  m += "To: <" + *to_address + ">\r\n";
  m += "Subject: " + EncodeHeaderWord(item.subject) + "\r\n";
  m += "Date: " + MailDate(clock_.Now()) + "\r\n";
  m += "Message-ID: <" + item.header_message_id + ">\r\n";
  // Asked for, not a reply: but still automatic, so no auto-responder answers it.
  m += "Auto-Submitted: auto-generated\r\n";
  m += "X-Auto-Response-Suppress: All\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  return m + Base64Body(item.body);
}

Result<std::string> MailSender::Compose(const storage::OutboxItem& item, std::string* to_address) {
  if (item.ticket_id == 0) return ComposeDirect(item, to_address);
  SF_ASSIGN_OR_RETURN(domain::TicketState state, store_.GetTicket(item.ticket_id));
  SF_ASSIGN_OR_RETURN(domain::Customer customer, store_.GetCustomer(state.ticket.customer_id));
  SF_ASSIGN_OR_RETURN(auto messages, store_.ListMessages(item.ticket_id, false));
  const domain::Message* body = nullptr;
  for (const auto& m : messages) {
    if (m.id == item.message_id) body = &m;
  }
  if (body == nullptr) return Status::NotFound("the message to send is gone");
  // An agent reply goes to the customer, from the agent "via" the team; automatic mail goes to
  // the address it answers, from the team.
  std::string from_name = options_.from_name;
  std::string to_name = customer.name;
  if (item.automatic) {
    *to_address = item.to_address;
    if (std::find(customer.emails.begin(), customer.emails.end(), item.to_address) ==
        customer.emails.end()) {
      to_name.clear();
    }
  } else {
    if (customer.emails.empty()) return Status::InvalidArgument("to", "the customer has no email");
    *to_address = customer.emails.front();
    if (body->author.kind == domain::Actor::Kind::kAgent) {
      auto agent = store_.GetAgent(body->author.id);
      if (agent.ok()) from_name = agent->name + " via " + options_.from_name;
    }
  }
  for (const std::string* field : std::initializer_list<const std::string*>{
           to_address, &from_name, &to_name, &state.ticket.subject, &options_.from_address}) {
    if (!IsSingleLine(*field)) return Status::InvalidArgument("header", "a line break in a header");
  }
  if (!LooksLikeEmail(*to_address) || !LooksLikeEmail(options_.from_address)) {
    return Status::InvalidArgument("to", "not an email address: " + *to_address);
  }
  SF_ASSIGN_OR_RETURN(auto thread, store_.ThreadMessageIds(item.ticket_id));
  const std::string tag = options_.subject_tag_prefix + std::to_string(state.ticket.number) + "]";
  std::string subject = state.ticket.subject;
  if (subject.find(tag) == std::string::npos) subject = "Re: " + tag + " " + subject;

  std::string m;
  m += "From: " + EncodeHeaderWord(from_name) + " <" + options_.from_address + ">\r\n";
  m += "Reply-To: <" + options_.from_address + ">\r\n";
  m += "To: " + (to_name.empty() ? "" : EncodeHeaderWord(to_name) + " ") + "<" + *to_address +
       ">\r\n";
  m += "Subject: " + EncodeHeaderWord(subject) + "\r\n";
  m += "Date: " + MailDate(clock_.Now()) + "\r\n";
  m += "Message-ID: <" + item.header_message_id + ">\r\n";
  if (!thread.empty()) {
    // In reply to the customer's newest email (not our own acknowledgement), if there is one.
    const std::string ours = "@" + options_.message_id_domain;
    auto theirs = std::find_if(thread.rbegin(), thread.rend(),
                               [&](const std::string& id) { return !id.ends_with(ours); });
    m += "In-Reply-To: <" + (theirs != thread.rend() ? *theirs : thread.back()) + ">\r\n";
    std::string refs;
    const size_t first = thread.size() > 10 ? thread.size() - 10 : 0;
    for (size_t i = first; i < thread.size(); ++i) {
      refs += (refs.empty() ? "<" : " <") + thread[i] + ">";
    }
    m += "References: " + refs + "\r\n";
  }
  if (item.automatic) {
    // RFC 3834; and the header Exchange honours, so its out-of-office does not answer.
    m += "Auto-Submitted: auto-replied\r\n";
    m += "X-Auto-Response-Suppress: All\r\n";
  } else {
    m += "Auto-Submitted: no\r\n";
  }
  m += "MIME-Version: 1.0\r\n";
  const std::string text_part =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      Base64Body(body->body);
  if (body->attachments.empty()) return m + text_part;

  // The reply's attachments go with it.
  const std::string boundary = "=_sf_" + RandomToken(18);
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\n" + text_part;
  for (const domain::Attachment& a : body->attachments) {
    SF_ASSIGN_OR_RETURN(std::string data, store_.ReadBlob(a.sha256));
    m += "--" + boundary + "\r\n";
    m += "Content-Type: " + SafeContentType(a.content_type) + "\r\n";
    m += "Content-Disposition: attachment; " + FilenameParameter(a.filename) + "\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    const std::string b64 = Base64(data);
    for (size_t i = 0; i < b64.size(); i += 76) m += b64.substr(i, 76) + "\r\n";
  }
  m += "--" + boundary + "--\r\n";
  return m;
}

Status MailSender::Deliver(const std::string& to, const std::string& message, bool* permanent) {
  *permanent = false;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Unavailable("cannot start libcurl");
  Upload upload{message, 0};
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, options_.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + options_.from_address + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (options_.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return Status::Ok();
  *permanent = code >= 500 && code < 600;
  return Status::Unavailable(std::string(curl_easy_strerror(rc)) +
                             (code != 0 ? " (SMTP " + std::to_string(code) + ")" : ""));
}

Result<std::string> MailSender::ComposeDigest(const storage::DigestMail& item) {
  for (const std::string* field : std::initializer_list<const std::string*>{
           &item.to_address, &item.subject, &options_.from_name, &options_.from_address}) {
    if (!IsSingleLine(*field)) return Status::InvalidArgument("header", "a line break in a header");
  }
  if (!LooksLikeEmail(item.to_address) || !LooksLikeEmail(options_.from_address)) {
    return Status::InvalidArgument("to", "not an email address: " + item.to_address);
  }
  std::string m;
  m += "From: " + EncodeHeaderWord(options_.from_name) + " <" + options_.from_address + ">\r\n";
  m += "To: <" + item.to_address + ">\r\n";
  m += "Subject: " + EncodeHeaderWord(item.subject) + "\r\n";
  m += "Date: " + MailDate(clock_.Now()) + "\r\n";
  m += "Message-ID: <" + item.header_message_id + ">\r\n";
  // A report made by the machine (RFC 3834): nobody's auto-responder should answer it.
  m += "Auto-Submitted: auto-generated\r\n";
  m += "X-Auto-Response-Suppress: All\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Body(item.body);
  return m;
}

int MailSender::SendDueDigests() {
  const Timestamp now = clock_.Now();
  auto claimed = store_.ClaimDigests(
      now, Timestamp{now.millis + 5 * 60 * 1000}, 20, [&](const storage::DigestMail& item) {
        return "digest." + item.day + "." + std::to_string(item.agent_id) + "." + RandomToken(9) +
               "@" + options_.message_id_domain;
      });
  if (!claimed.ok()) {
    Log(LogLevel::kWarn, "digest claim failed", {{"error", claimed.status().ToString()}});
    return 0;
  }
  int sent = 0;
  for (const storage::DigestMail& item : *claimed) {
    auto message = ComposeDigest(item);
    bool permanent = !message.ok();
    Status s = message.ok() ? Deliver(item.to_address, *message, &permanent) : message.status();
    const Timestamp done = clock_.Now();
    if (s.ok()) {
      ++sent;
      (void)store_.FinishDigest(item.id, true, "", std::nullopt, done);
      continue;
    }
    const std::optional<Timestamp> retry = RetryAt(item.attempts, permanent, done);
    const bool give_up = !retry.has_value();
    Log(LogLevel::kWarn, "digest not sent",
        {{"to", item.to_address},
         {"day", item.day},
         {"error", s.ToString()},
         {"final", give_up ? "yes" : "no"}});
    (void)store_.FinishDigest(item.id, false, s.message(), retry, done);
  }
  return sent;
}

int MailSender::SendDue() { return SendDueReplies() + SendDueDigests(); }

std::optional<Timestamp> MailSender::RetryAt(int attempts, bool permanent,
                                             Timestamp failed_at) const {
  if (permanent || attempts + 1 >= options_.max_attempts) return std::nullopt;
  return Timestamp{failed_at.millis + (options_.retry_base_ms << std::min(attempts, 16))};
}

int MailSender::SendDueReplies() {
  const Timestamp now = clock_.Now();
  auto claimed = store_.ClaimOutbox(
      now, Timestamp{now.millis + 5 * 60 * 1000}, 20, [&](const storage::OutboxItem& item) {
        if (item.ticket_id == 0) {
          // About no ticket: an id that threads nowhere if someone answers it.
          return "portal." + RandomToken(12) + "@" + options_.message_id_domain;
        }
        return MakeMessageId(item.ticket_id, item.message_id, RandomToken(9),
                             options_.message_id_domain);
      });
  if (!claimed.ok()) {
    Log(LogLevel::kWarn, "outbox claim failed", {{"error", claimed.status().ToString()}});
    return 0;
  }
  int sent = 0;
  for (const storage::OutboxItem& item : *claimed) {
    std::string to;
    auto message = Compose(item, &to);
    bool permanent = !message.ok();
    Status s = message.ok() ? Deliver(to, *message, &permanent) : message.status();
    const Timestamp done = clock_.Now();
    if (s.ok()) {
      ++sent;
      (void)store_.FinishOutbox(item.id, true, "", std::nullopt, done);
      continue;
    }
    const std::optional<Timestamp> retry = RetryAt(item.attempts, permanent, done);
    const bool give_up = !retry.has_value();
    Log(LogLevel::kWarn, "email not sent",
        {{"ticket", std::to_string(item.ticket_id)},
         {"error", s.ToString()},
         {"final", give_up ? "yes" : "no"}});
    (void)store_.FinishOutbox(item.id, false, s.message(), retry, done);
    if (give_up && item.ticket_id != 0) {
      // The agent must know the customer did not hear.
      domain::NewMessage note;
      note.kind = domain::MessageKind::kSystem;
      note.body =
          std::string(item.automatic ? "The automatic email" : "The email with this reply") +
          " could not be delivered to " + (to.empty() ? std::string("the customer") : to) + ": " +
          s.message();
      (void)store_.ModifyTicket(item.ticket_id, [&](const domain::TicketState& st) {
        return domain::AddMessage(st, domain::Principal::System(), note, false, done);
      });
    }
  }
  return sent;
}

}  // namespace steadfast::mail
