#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace steadfast::mail {

struct SenderOptions {
  std::string smtp_url;   // "smtp://host:25", "smtps://host:465"; empty: sending is off.
  bool starttls = false;  // Require STARTTLS on smtp://.
  std::string username;   // SMTP AUTH, when set.
  std::string password;
  std::string ca_file;  // PEM certificates to trust instead of the system's; empty: the system's.
  std::string from_address;  // The support address: From and Reply-To.
  std::string from_name = "Support";
  std::string message_id_domain = "steadfast.invalid";
  std::string subject_tag_prefix = "[#";
  int64_t retry_base_ms = 60 * 1000;  // First retry after this; doubles each time.
  int max_attempts = 8;               // Then the failure shows on the ticket.
  int64_t poll_ms = 1000;
};

// Delivers agent replies from the outbox over SMTP (libcurl) on its own thread, with retries and
// exponential backoff. A permanent failure (a 5xx answer, or too many tries) is recorded on the
// ticket as a system message, so the agent knows the customer did not hear.
// Headers: From with the agent's name "via" the team, Reply-To the support address, a
// Message-ID that carries the ticket id (replies thread back), In-Reply-To/References, the
// ticket tag in the subject. Every header value is encoded (RFC 2047) or refused: no CR/LF from
// any field ever reaches the wire.
class MailSender {
 public:
  MailSender(storage::Store& store, const Clock& clock, SenderOptions options);
  ~MailSender();  // Stops.

  void Start();
  void Stop();

  // One pass: claims what is due (replies, automatic mail, then leads' digests) and tries each.
  // Returns how many were sent. For tests.
  int SendDue();

 private:
  void Loop();
  // Builds the RFC 5322 message for `item`. InvalidArgument for a field that cannot be sent.
  Result<std::string> Compose(const storage::OutboxItem& item, std::string* to_address);
  // Compose for mail about no ticket (ticket_id 0): its own subject and body, from the team.
  Result<std::string> ComposeDirect(const storage::OutboxItem& item, std::string* to_address);
  // Sends the replies and automatic mail that are due; returns how many were sent.
  int SendDueReplies();
  // Builds a lead's digest email. InvalidArgument for a field that cannot be sent.
  Result<std::string> ComposeDigest(const storage::DigestMail& item);
  // Sends the digests that are due; returns how many were sent.
  int SendDueDigests();
  // Sends it; `permanent` is set for a 5xx answer.
  Status Deliver(const std::string& to, const std::string& message, bool* permanent);
  // When to try again a mail that failed at `failed_at` after `attempts` earlier tries
  // (exponential backoff); nullopt to give up (a permanent failure, or the last attempt).
  std::optional<Timestamp> RetryAt(int attempts, bool permanent, Timestamp failed_at) const;

  storage::Store& store_;
  const Clock& clock_;
  const SenderOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// "=?UTF-8?B?...?=" for text that is not plain printable ASCII; the text as it is otherwise.
// REQUIRES: `text` holds no CR or LF (callers check with IsSingleLine).
std::string EncodeHeaderWord(std::string_view text);

}  // namespace steadfast::mail
