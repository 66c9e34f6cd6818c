#include "mail/sender.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
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

Result<std::string> MailSender::Compose(const storage::OutboxItem& item, std::string* to_address) {
  SF_ASSIGN_OR_RETURN(domain::TicketState state, store_.GetTicket(item.ticket_id));
  SF_ASSIGN_OR_RETURN(domain::Customer customer, store_.GetCustomer(state.ticket.customer_id));
  if (customer.emails.empty()) return Status::InvalidArgument("to", "the customer has no email");
  *to_address = customer.emails.front();
  SF_ASSIGN_OR_RETURN(auto messages, store_.ListMessages(item.ticket_id, false));
  const domain::Message* reply = nullptr;
  for (const auto& m : messages) {
    if (m.id == item.message_id) reply = &m;
  }
  if (reply == nullptr) return Status::NotFound("the reply is gone");
  std::string agent_name = options_.from_name;
  if (reply->author.kind == domain::Actor::Kind::kAgent) {
    auto agent = store_.GetAgent(reply->author.id);
    if (agent.ok()) agent_name = agent->name + " via " + options_.from_name;
  }
  for (const std::string* field :
       std::initializer_list<const std::string*>{to_address, &agent_name, &customer.name,
                                                 &state.ticket.subject, &options_.from_address}) {
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
  m += "From: " + EncodeHeaderWord(agent_name) + " <" + options_.from_address + ">\r\n";
  m += "Reply-To: <" + options_.from_address + ">\r\n";
  m += "To: " + (customer.name.empty() ? "" : EncodeHeaderWord(customer.name) + " ") + "<" +
       *to_address + ">\r\n";
  m += "Subject: " + EncodeHeaderWord(subject) + "\r\n";
  m += "Date: " + MailDate(clock_.Now()) + "\r\n";
  m += "Message-ID: <" + item.header_message_id + ">\r\n";
  if (!thread.empty()) {
    m += "In-Reply-To: <" + thread.back() + ">\r\n";
    std::string refs;
    const size_t first = thread.size() > 10 ? thread.size() - 10 : 0;
    for (size_t i = first; i < thread.size(); ++i)
      refs += (refs.empty() ? "<" : " <") + thread[i] + ">";
    m += "References: " + refs + "\r\n";
  }
  m += "Auto-Submitted: no\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Body(reply->body);
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

int MailSender::SendDue() {
  const Timestamp now = clock_.Now();
  auto claimed = store_.ClaimOutbox(
      now, Timestamp{now.millis + 5 * 60 * 1000}, 20, [&](const storage::OutboxItem& item) {
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
    const bool give_up = permanent || item.attempts + 1 >= options_.max_attempts;
    std::optional<Timestamp> retry;
    if (!give_up) {
      retry = Timestamp{done.millis + (options_.retry_base_ms << std::min(item.attempts, 16))};
    }
    Log(LogLevel::kWarn, "email not sent",
        {{"ticket", std::to_string(item.ticket_id)},
         {"error", s.ToString()},
         {"final", give_up ? "yes" : "no"}});
    (void)store_.FinishOutbox(item.id, false, s.message(), retry, done);
    if (give_up) {
      // The agent must know the customer did not hear.
      domain::NewMessage note;
      note.kind = domain::MessageKind::kSystem;
      note.body = "The email with this reply could not be delivered to " +
                  (to.empty() ? std::string("the customer") : to) + ": " + s.message();
      (void)store_.ModifyTicket(item.ticket_id, [&](const domain::TicketState& st) {
        return domain::AddMessage(st, domain::Principal::System(), note, false, done);
      });
    }
  }
  return sent;
}

}  // namespace steadfast::mail
