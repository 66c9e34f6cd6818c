#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "mail/imap_client.h"
#include "mail/intake.h"

namespace steadfast::mail {

// Test-only fault injection for the IMAP crash tests (tests/e2e/mail_imap_test.py), chosen by
// the STEADFAST_FAULT environment variable, which `serve` reads once at start-up.
enum class ImapFault {
  kNone,
  kCrashAfterFetch,   // "imap_crash_after_fetch": _exit(9) after fetching, before the intake.
  kCrashAfterCommit,  // "imap_crash_after_commit": _exit(9) after the commit, before flagging.
};

// "" → kNone; the names above; InvalidArgument(STEADFAST_FAULT) for anything else.
Result<ImapFault> ParseImapFault(std::string_view value);

struct MailboxOptions {
  std::string name;    // From the config; names the mailbox in logs and the status endpoint.
  std::string url;     // For the status only (the session holds the real one). No credentials.
  std::string folder;  // Likewise.
  // Empty: a message taken in is flagged \Seen and unseen messages are polled. Otherwise it is
  // flagged and moved here, and every message left in `folder` is polled.
  std::string processed_folder;
  int64_t poll_ms = 60 * 1000;
  int64_t max_backoff_ms = 10 * 60 * 1000;  // Failures double the wait up to this.
  size_t max_messages_per_poll = 100;       // More waiting: the next poll starts at once.
  ImapFault fault = ImapFault::kNone;
};

// What the status endpoint shows of one mailbox. A copy, taken under the poller's lock.
struct MailboxStatus {
  enum class State { kStarting, kOk, kFailing };
  std::string name;
  std::string url;
  std::string folder;
  std::string processed_folder;              // Empty: messages are flagged \Seen, not moved.
  State state = State::kStarting;            // kStarting until the first poll ends.
  std::optional<Timestamp> last_poll_at;     // When the last poll ended.
  std::optional<Timestamp> last_success_at;  // When the last poll that succeeded ended.
  std::optional<Timestamp> last_error_at;
  std::string last_error;  // Of the last failed poll (kept after recovery); empty if none.
  int consecutive_failures = 0;
  Timestamp next_poll_at;
  int64_t messages_ingested = 0;  // Taken in by this process (duplicates not counted).
  int64_t messages_rejected = 0;  // Never acceptable (not a message, too large): flagged anyway.
  std::optional<uint32_t> uidvalidity;
  uint32_t last_uid = 0;  // The highest UID flagged (or moved) under that UIDVALIDITY.
};

std::string_view Name(MailboxStatus::State state);

// Takes one message into tickets: MailIntake::Ingest in production.
using IngestFn = std::function<Result<IntakeResult>(std::string_view raw)>;

// Polls one IMAP mailbox on a thread of its own, so a mailbox that is down or slow never delays
// another.
//
// Each poll: open the folder (reconnecting if needed), search, and for each UID in ascending
// order: fetch (BODY.PEEK, so nothing changes on the server) → ingest → only when the intake
// answers Ok (a ticket change committed, or kDuplicate: committed before) flag \Seen, or flag
// and move it to processed_folder. A message the intake can never take in (BadRequest) or that
// is over the size limit is flagged (moved) too, and logged, so it is not retried forever. Any
// other failure leaves the message as it was, for the next poll.
// Invariant: a message is flagged \Seen (or moved) only after its ticket change has committed.
// A crash anywhere leaves at worst a message that is taken in but not yet flagged; the next poll
// reads it again and the intake's de-duplication (Message-ID, else a hash of the bytes) answers
// kDuplicate, so it is taken in exactly once.
//
// UIDVALIDITY and the last UID are kept in memory only. When UIDVALIDITY changes (the folder was
// recreated), the poller simply starts over from what the search finds; de-duplication makes
// re-reading harmless, which is also why nothing about the mailbox needs to be stored.
//
// A failed poll (server down, login refused, a message the store could not take) sets the state
// to failing and waits poll_ms × 2^failures (capped at max_backoff_ms) before the next one.
// All timing reads `clock`; the thread waits on a condition variable so Stop is immediate.
class MailboxPoller {
 public:
  // `session` is owned; `ingest` and `clock` must outlive the poller.
  MailboxPoller(MailboxOptions options, std::unique_ptr<ImapSession> session, IngestFn ingest,
                const Clock& clock);
  ~MailboxPoller();  // Stop().
  MailboxPoller(const MailboxPoller&) = delete;
  MailboxPoller& operator=(const MailboxPoller&) = delete;

  // Starts the thread; the first poll is at once. Call once.
  void Start();
  // Tells the thread to stop: a poll in progress ends after at most the message at hand (an
  // IMAP call in progress is cancelled). Returns at once. Thread-safe.
  void RequestStop();
  // RequestStop, then joins the thread and closes the connection. Idempotent; call from the
  // thread that owns the poller.
  void Stop();

  // One poll on the calling thread, then the status and the next poll time are updated.
  // For tests. REQUIRES: Start was not called.
  void PollOnce();

  // Thread-safe.
  MailboxStatus status() const;

 private:
  void Loop();
  // One poll; sets *more when messages were left for the next one.
  Status Poll(bool* more);
  // Flags message `uid` (and moves it, when configured), then counts it into `counter`.
  Status Dispose(uint32_t uid, int64_t MailboxStatus::*counter);

  const MailboxOptions options_;
  const std::unique_ptr<ImapSession> session_;
  const IngestFn ingest_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;            // Guarded by mu_.
  std::atomic<bool> cancel_{false};  // Read between messages without the lock.
  MailboxStatus status_;             // Guarded by mu_.
  std::thread thread_;
};

// The pollers of all configured mailboxes. Owned by the app; the API reads their status.
class MailboxPollers {
 public:
  MailboxPollers() = default;
  ~MailboxPollers();  // Stop().

  // REQUIRES: before Start.
  void Add(std::unique_ptr<MailboxPoller> poller);
  void Start();
  // Stops every poller: all are told first, then each is joined. Idempotent.
  void Stop();
  // One per mailbox, in config order. Thread-safe.
  std::vector<MailboxStatus> Statuses() const;

 private:
  std::vector<std::unique_ptr<MailboxPoller>> pollers_;
};

}  // namespace steadfast::mail
