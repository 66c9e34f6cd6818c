#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "mail/loop_guard.h"
#include "storage/store.h"

namespace steadfast::mail {

struct IntakeOptions {
  std::string message_id_domain = "steadfast.invalid";  // The domain of our own Message-IDs.
  std::string subject_tag_prefix = "[#";                // "[#123]" in a subject threads.
  size_t max_attachment_bytes = 10 * 1024 * 1024;
  size_t max_body_bytes = 256 * 1024;  // Longer text is cut, with a note.
  // Acknowledge each new ticket by automatic email (never to automatic mail, RFC 3834), at most
  // `auto_limit` automatic emails per ticket and per address in any `auto_window_ms`.
  bool auto_ack = true;
  int auto_limit = 10;
  int64_t auto_window_ms = 10 * 60 * 1000;
  // Whether a customer's reply (its fresh text, in the customer's language) only asks for news:
  // counted on the ticket as a chase. The detector lives in engine/chase.h; the program passes
  // it in. Unset: nothing is a chase.
  std::function<bool(std::string_view text, std::string_view language)> is_chase;
};

struct IntakeResult {
  enum class Outcome {
    kNewTicket,  // A ticket was opened.
    kAppended,   // Added to an existing ticket as the customer's message.
    kDuplicate,  // Already taken in (same Message-ID, or same bytes without one).
    kBounce,     // A delivery failure, recorded on the ticket it concerns (if found).
  };
  Outcome outcome = Outcome::kNewTicket;
  storage::TicketId ticket_id = 0;  // 0 for a bounce that concerns no ticket.
  domain::MessageId message_id = 0;
  std::string note;  // Why it went where it went, for logs.
};

std::string_view Name(IntakeResult::Outcome outcome);

// The rate cap on automatic mail: Ok(allowed) unless `limit` automatic emails about `ticket_id`,
// or to `address`, were queued in the last `window_ms` — then not allowed, with the reason. Two
// auto-responders that answer each other (ignoring RFC 3834) stop here.
Result<AutoReplyVerdict> CheckAutoMailCap(storage::Store& store, storage::TicketId ticket_id,
                                          std::string_view address, Timestamp now, int limit,
                                          int64_t window_ms);

// Takes email into tickets: parse → de-duplicate → thread → store, in one transaction with the
// message's source key, so a message is taken in exactly once even when an MTA retries or two
// mailboxes deliver it.
//
// Threading: our own Message-ID in In-Reply-To/References, then the subject tag, else a new
// ticket. A message is added to a ticket only when it comes from that ticket's customer (any of
// their addresses); from anyone else it opens a ticket of its own, with a note of the ticket it
// pointed at, so a forged header can never put words in another customer's ticket.
//
// A new ticket is acknowledged by automatic email (when `auto_ack`), unless the message is
// itself automatic or bulk (CheckAutoReply) or the rate cap is reached; either way the ticket
// says what was done, so the agent knows what the customer has heard.
//
// Thread-safe.
class MailIntake {
 public:
  MailIntake(storage::Store& store, const Clock& clock, IntakeOptions options);

  // Ok only after the change is durably committed (or it had already been: kDuplicate).
  // BadRequest for input that can never be taken in (not a message, no sender): do not retry.
  // Unavailable (or any other error) is temporary: retry later.
  Result<IntakeResult> Ingest(std::string_view raw);

  // Opens ticket `t` written in a web form (the portal's contact form) by `customer`, found by
  // email or created, and acknowledges it by automatic email to that address like a new ticket by
  // mail (when auto_ack; within the same rate cap; otherwise a note says why not). Ok only after
  // the commit.
  Result<storage::TicketWrite> OpenFromForm(const domain::NewTicket& t,
                                            const storage::CustomerRef& customer);

 private:
  storage::Store& store_;
  const Clock& clock_;
  const IntakeOptions options_;
};

}  // namespace steadfast::mail
