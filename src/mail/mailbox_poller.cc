#include "mail/mailbox_poller.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "common/log.h"

namespace steadfast::mail {

namespace {

// poll_ms × 2^failures, at most max(max_backoff_ms, poll_ms).
int64_t Backoff(int64_t poll_ms, int failures, int64_t max_backoff_ms) {
  const int64_t cap = std::max(poll_ms, max_backoff_ms);
  int64_t delay = poll_ms;
  for (int i = 0; i < failures && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

[[noreturn]] void Crash(const std::string& mailbox, std::string_view where) {
  Log(LogLevel::kError, "STEADFAST_FAULT: exiting on purpose (test only)",
      {{"mailbox", mailbox}, {"where", where}});
  std::_Exit(9);
}

}  // namespace

Result<ImapFault> ParseImapFault(std::string_view value) {
  if (value.empty()) return ImapFault::kNone;
  if (value == "imap_crash_after_fetch") return ImapFault::kCrashAfterFetch;
  if (value == "imap_crash_after_commit") return ImapFault::kCrashAfterCommit;
  return Status::InvalidArgument(
      "STEADFAST_FAULT", "must be imap_crash_after_fetch or imap_crash_after_commit (test only)");
}

std::string_view Name(MailboxStatus::State state) {
  switch (state) {
    case MailboxStatus::State::kStarting:
      return "starting";
    case MailboxStatus::State::kOk:
      return "ok";
    case MailboxStatus::State::kFailing:
      return "failing";
  }
  return "starting";
}

MailboxPoller::MailboxPoller(MailboxOptions options, std::unique_ptr<ImapSession> session,
                             IngestFn ingest, const Clock& clock)
    : options_(std::move(options)),
      session_(std::move(session)),
      ingest_(std::move(ingest)),
      clock_(clock) {
  status_.name = options_.name;
  status_.url = options_.url;
  status_.folder = options_.folder;
  status_.processed_folder = options_.processed_folder;
  status_.next_poll_at = clock_.Now();
}

MailboxPoller::~MailboxPoller() { Stop(); }

void MailboxPoller::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void MailboxPoller::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cancel_ = true;
  session_->Cancel();
  wake_.notify_all();
}

void MailboxPoller::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
  session_->Close();
}

MailboxStatus MailboxPoller::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void MailboxPoller::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const Timestamp now = clock_.Now();
    if (now >= status_.next_poll_at) {
      lock.unlock();
      PollOnce();
      lock.lock();
      continue;
    }
    // Re-reads the clock at least every second rather than trusting one long wait.
    const int64_t wait_ms = std::min<int64_t>(status_.next_poll_at.millis - now.millis, 1000);
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_; });
  }
}

void MailboxPoller::PollOnce() {
  bool more = false;
  const Status s = Poll(&more);
  if (!s.ok() && cancel_) return;  // Stopping is no failure of the mailbox.
  const Timestamp now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  status_.last_poll_at = now;
  if (s.ok()) {
    if (status_.state == MailboxStatus::State::kFailing) {
      Log(LogLevel::kInfo, "mailbox recovered",
          {{"mailbox", options_.name}, {"failures", std::to_string(status_.consecutive_failures)}});
    }
    status_.state = MailboxStatus::State::kOk;
    status_.last_success_at = now;
    status_.consecutive_failures = 0;
    status_.next_poll_at = more ? now : Timestamp{now.millis + options_.poll_ms};
    return;
  }
  status_.state = MailboxStatus::State::kFailing;
  ++status_.consecutive_failures;
  status_.last_error = s.message();
  status_.last_error_at = now;
  const int64_t delay =
      Backoff(options_.poll_ms, status_.consecutive_failures, options_.max_backoff_ms);
  status_.next_poll_at = Timestamp{now.millis + delay};
  Log(LogLevel::kWarn, "mailbox poll failed",
      {{"mailbox", options_.name},
       {"error", s.ToString()},
       {"failures", std::to_string(status_.consecutive_failures)},
       {"retry_in_ms", std::to_string(delay)}});
}

Status MailboxPoller::Poll(bool* more) {
  *more = false;
  SF_ASSIGN_OR_RETURN(ImapFolderState folder, session_->Open());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.uidvalidity && *status_.uidvalidity != folder.uidvalidity) {
      // The UIDs known so far name nothing any more; what the search finds is read again and
      // the intake's de-duplication drops what was taken in before.
      Log(LogLevel::kWarn, "mailbox UIDVALIDITY changed; reading it again",
          {{"mailbox", options_.name},
           {"was", std::to_string(*status_.uidvalidity)},
           {"now", std::to_string(folder.uidvalidity)}});
      status_.last_uid = 0;
    }
    status_.uidvalidity = folder.uidvalidity;
  }
  SF_ASSIGN_OR_RETURN(std::vector<uint32_t> uids,
                      session_->Search(options_.processed_folder.empty()));
  if (uids.size() > options_.max_messages_per_poll) {
    uids.resize(options_.max_messages_per_poll);
    *more = true;
  }
  Status first_failure;
  for (const uint32_t uid : uids) {
    if (cancel_) return Status::Unavailable("stopping");
    const std::string uid_text = std::to_string(uid);
    auto raw = session_->Fetch(uid);
    if (!raw.ok()) {
      const StatusCode code = raw.status().code();
      if (code == StatusCode::kNotFound) continue;  // Moved or deleted by someone else.
      if (code != StatusCode::kTooLarge) return raw.status();
      Log(LogLevel::kWarn, "email over the size limit: flagged without taking it in",
          {{"mailbox", options_.name}, {"uid", uid_text}, {"error", raw.status().message()}});
      SF_RETURN_IF_ERROR(Dispose(uid, &MailboxStatus::messages_rejected));
      continue;
    }
    if (options_.fault == ImapFault::kCrashAfterFetch) Crash(options_.name, "after fetch");
    auto taken = ingest_(*raw);
    if (taken.ok()) {
      if (options_.fault == ImapFault::kCrashAfterCommit) Crash(options_.name, "after commit");
      Log(LogLevel::kInfo, "mail taken in",
          {{"mailbox", options_.name},
           {"uid", uid_text},
           {"outcome", Name(taken->outcome)},
           {"ticket", std::to_string(taken->ticket_id)},
           {"note", taken->note}});
      const bool duplicate = taken->outcome == IntakeResult::Outcome::kDuplicate;
      SF_RETURN_IF_ERROR(Dispose(uid, duplicate ? nullptr : &MailboxStatus::messages_ingested));
      continue;
    }
    if (taken.status().code() == StatusCode::kBadRequest) {
      Log(LogLevel::kWarn, "email can never be taken in: flagged so it is not retried",
          {{"mailbox", options_.name}, {"uid", uid_text}, {"error", taken.status().message()}});
      SF_RETURN_IF_ERROR(Dispose(uid, &MailboxStatus::messages_rejected));
      continue;
    }
    // Temporary (the store is busy or down): left unflagged for the next poll.
    Log(LogLevel::kWarn, "email not taken in; it stays on the server for the next poll",
        {{"mailbox", options_.name}, {"uid", uid_text}, {"error", taken.status().ToString()}});
    if (first_failure.ok()) {
      first_failure =
          Status::Unavailable("message UID " + uid_text + ": " + taken.status().ToString());
    }
  }
  return first_failure;
}

Status MailboxPoller::Dispose(uint32_t uid, int64_t MailboxStatus::*counter) {
  SF_RETURN_IF_ERROR(session_->MarkSeen(uid));
  if (!options_.processed_folder.empty()) {
    SF_RETURN_IF_ERROR(session_->Move(uid, options_.processed_folder));
  }
  std::lock_guard<std::mutex> lock(mu_);
  status_.last_uid = std::max(status_.last_uid, uid);
  if (counter != nullptr) ++(status_.*counter);
  return Status::Ok();
}

MailboxPollers::~MailboxPollers() { Stop(); }

void MailboxPollers::Add(std::unique_ptr<MailboxPoller> poller) {
  pollers_.push_back(std::move(poller));
}

void MailboxPollers::Start() {
  for (auto& p : pollers_) p->Start();
}

void MailboxPollers::Stop() {
  for (auto& p : pollers_) p->RequestStop();
  for (auto& p : pollers_) p->Stop();
}

std::vector<MailboxStatus> MailboxPollers::Statuses() const {
  std::vector<MailboxStatus> out;
  out.reserve(pollers_.size());
  for (const auto& p : pollers_) out.push_back(p->status());
  return out;
}

}  // namespace steadfast::mail
