#include "mail/imap_client.h"

#include <curl/curl.h>
#include <poll.h>
#include <sys/socket.h>

#include <string>

#include "common/log.h"
#include "common/text.h"

namespace steadfast::mail {

namespace {

// How long one wait on the socket lasts before Cancel and the I/O timeout are looked at again.
constexpr int kSliceMs = 200;

CURL* Handle(void* p) { return static_cast<CURL*>(p); }

int OnProgress(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
}

Status Stopping() { return Status::Unavailable("the mailbox poller is stopping"); }

}  // namespace

ImapClient::ImapClient(ImapOptions options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

ImapClient::~ImapClient() { Close(); }

void ImapClient::Cancel() { cancelled_ = true; }

void ImapClient::Drop() {
  if (curl_ != nullptr) {
    // Shut the socket first: curl_easy_cleanup would otherwise send its own LOGOUT and wait for
    // an answer on a connection that may be out of step or dead.
    if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
    curl_easy_cleanup(Handle(curl_));
  }
  curl_ = nullptr;
  socket_ = -1;
  reader_.reset();
  capabilities_.clear();
}

void ImapClient::Close() {
  if (curl_ != nullptr && !cancelled_) (void)Run("LOGOUT");
  Drop();
}

Status ImapClient::Connect() {
  Drop();
  if (cancelled_) return Stopping();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Unavailable("cannot start libcurl");
  curl_ = curl;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &cancelled_);
  if (options_.starttls) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // `error` goes out of scope.
  if (rc != CURLE_OK) {
    // libcurl's detail ("Login denied", the TLS error) when it gave one.
    const std::string why = cancelled_         ? "the mailbox poller is stopping"
                            : error[0] != '\0' ? std::string(error)
                                               : std::string(curl_easy_strerror(rc));
    Drop();
    return Status::Unavailable("cannot connect to " + options_.url + ": " + why);
  }
  curl_socket_t sock = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK ||
      sock == CURL_SOCKET_BAD) {
    Drop();
    return Status::Unavailable("libcurl kept no connection to " + options_.url);
  }
  socket_ = sock;
  reader_ = std::make_unique<ImapResponseReader>(options_.max_message_bytes);
  // libcurl read the capabilities before logging in; those after may differ (RFC 3501 6.2.3).
  SF_ASSIGN_OR_RETURN(Reply caps, Run("CAPABILITY"));
  capabilities_ = ParseCapabilities(caps.untagged);
  return Status::Ok();
}

Result<ImapFolderState> ImapClient::Select() {
  SF_ASSIGN_OR_RETURN(Reply r, Run("SELECT " + ImapQuote(options_.folder)));
  if (r.completion.condition != ImapCompletion::Condition::kOk) {
    return Status::Unavailable("cannot open folder " + options_.folder + ": " + r.completion.text);
  }
  auto validity = ParseUidValidity(r.untagged);
  if (!validity.ok()) {
    Drop();
    return validity.status();
  }
  uidvalidity_ = *validity;
  return ImapFolderState{*validity};
}

Result<ImapFolderState> ImapClient::Open() {
  if (cancelled_) return Stopping();
  if (curl_ != nullptr) {
    auto state = Select();
    // A refusal is the answer; a connection that died while idle deserves one fresh try.
    if (state.ok() || curl_ != nullptr) return state;
  }
  SF_RETURN_IF_ERROR(Connect());
  return Select();
}

Status ImapClient::EnsureSelected() {
  if (curl_ != nullptr) return Status::Ok();
  const std::optional<uint32_t> before = uidvalidity_;
  SF_RETURN_IF_ERROR(Connect());
  SF_ASSIGN_OR_RETURN(ImapFolderState state, Select());
  if (before && state.uidvalidity != *before) {
    return Status::Unavailable("the folder's UIDVALIDITY changed; starting over");
  }
  return Status::Ok();
}

Result<std::vector<uint32_t>> ImapClient::Search(bool unseen_only) {
  SF_RETURN_IF_ERROR(EnsureSelected());
  SF_ASSIGN_OR_RETURN(Reply r,
                      Run(unseen_only ? "UID SEARCH UNSEEN UNDELETED" : "UID SEARCH UNDELETED"));
  if (r.completion.condition != ImapCompletion::Condition::kOk) {
    return Status::Unavailable("SEARCH refused: " + r.completion.text);
  }
  return ParseSearch(r.untagged);
}

Result<std::string> ImapClient::Fetch(uint32_t uid) {
  SF_RETURN_IF_ERROR(EnsureSelected());
  SF_ASSIGN_OR_RETURN(Reply r, Run("UID FETCH " + std::to_string(uid) + " (UID BODY.PEEK[])"));
  if (r.completion.condition != ImapCompletion::Condition::kOk) {
    return Status::Unavailable("FETCH refused: " + r.completion.text);
  }
  return ParseFetchedBody(r.untagged, uid);
}

Status ImapClient::MarkSeen(uint32_t uid) {
  SF_RETURN_IF_ERROR(EnsureSelected());
  return RunOk("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)");
}

Status ImapClient::Move(uint32_t uid, const std::string& folder) {
  SF_RETURN_IF_ERROR(EnsureSelected());
  const std::string id = std::to_string(uid);
  if (capabilities_.count("MOVE") > 0) {
    return RunCreatingFolder("UID MOVE " + id + " " + ImapQuote(folder), folder);
  }
  SF_RETURN_IF_ERROR(RunCreatingFolder("UID COPY " + id + " " + ImapQuote(folder), folder));
  SF_RETURN_IF_ERROR(RunOk("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)"));
  // Without UIDPLUS, EXPUNGE removes every \Deleted message of the folder, not only this one.
  return RunOk(capabilities_.count("UIDPLUS") > 0 ? "UID EXPUNGE " + id : "EXPUNGE");
}

Status ImapClient::RunOk(const std::string& command) {
  SF_ASSIGN_OR_RETURN(Reply r, Run(command));
  if (r.completion.condition != ImapCompletion::Condition::kOk) {
    return Status::Unavailable(command.substr(0, command.find(' ', 4)) +
                               " refused: " + r.completion.text);
  }
  return Status::Ok();
}

Status ImapClient::RunCreatingFolder(const std::string& command, const std::string& folder) {
  SF_ASSIGN_OR_RETURN(Reply r, Run(command));
  if (r.completion.condition == ImapCompletion::Condition::kNo &&
      r.completion.code == "TRYCREATE") {
    Log(LogLevel::kInfo, "creating IMAP folder", {{"folder", folder}});
    SF_ASSIGN_OR_RETURN(Reply created, Run("CREATE " + ImapQuote(folder)));
    (void)created;  // NO when someone else created it meanwhile: the retry tells.
    SF_ASSIGN_OR_RETURN(r, Run(command));
  }
  if (r.completion.condition != ImapCompletion::Condition::kOk) {
    return Status::Unavailable("cannot move to folder " + folder + ": " + r.completion.text);
  }
  return Status::Ok();
}

Result<ImapClient::Reply> ImapClient::Run(const std::string& command) {
  if (cancelled_) {
    Drop();
    return Stopping();
  }
  if (curl_ == nullptr) return Status::Unavailable("not connected");
  std::string tag = "S";  // Appended, not "S" + ...: GCC 12 warns falsely (-Wrestrict).
  tag += std::to_string(++next_tag_);
  Status sent = SendAll(tag + " " + command + "\r\n");
  if (!sent.ok()) {
    Drop();
    return sent;
  }
  Reply reply;
  std::string bye;
  while (true) {
    auto next = reader_->Next();
    if (!next.ok()) {
      Drop();
      return next.status();
    }
    if (!next->has_value()) {
      Status read = ReadMore();
      if (!read.ok()) {
        Drop();
        if (!bye.empty()) return Status::Unavailable("the IMAP server said goodbye: " + bye);
        return read;
      }
      continue;
    }
    ImapResponse r = std::move(**next);
    if (r.kind == ImapResponse::Kind::kUntagged) {
      if (StartsWithIgnoreCase(r.text, "BYE")) bye = r.text.substr(0, 200);
      reply.untagged.push_back(std::move(r));
      continue;
    }
    if (r.kind == ImapResponse::Kind::kContinuation || r.tag != tag) {
      Drop();
      return Status::Unavailable("the IMAP server answered out of turn: " + r.text.substr(0, 100));
    }
    auto completion = ParseCompletion(r);
    if (!completion.ok()) {
      Drop();
      return completion.status();
    }
    reply.completion = std::move(*completion);
    return reply;
  }
}

Status ImapClient::SendAll(std::string_view bytes) {
  int64_t idle_ms = 0;
  while (!bytes.empty()) {
    if (cancelled_) return Stopping();
    size_t n = 0;
    const CURLcode rc = curl_easy_send(Handle(curl_), bytes.data(), bytes.size(), &n);
    if (rc == CURLE_OK) {
      bytes.remove_prefix(n);
      idle_ms = 0;
      continue;
    }
    if (rc != CURLE_AGAIN) {
      return Status::Unavailable("lost the connection to the IMAP server: " +
                                 std::string(curl_easy_strerror(rc)));
    }
    if (idle_ms >= options_.io_timeout_ms) {
      return Status::Unavailable("the IMAP server takes no data (timeout)");
    }
    pollfd p{socket_, POLLOUT, 0};
    if (::poll(&p, 1, kSliceMs) == 0) idle_ms += kSliceMs;
  }
  return Status::Ok();
}

Status ImapClient::ReadMore() {
  char buf[16 * 1024];
  int64_t idle_ms = 0;
  while (true) {
    if (cancelled_) return Stopping();
    size_t n = 0;
    const CURLcode rc = curl_easy_recv(Handle(curl_), buf, sizeof buf, &n);
    if (rc == CURLE_OK) {
      if (n == 0) return Status::Unavailable("the IMAP server closed the connection");
      reader_->Feed(std::string_view(buf, n));
      return Status::Ok();
    }
    if (rc != CURLE_AGAIN) {
      return Status::Unavailable("lost the connection to the IMAP server: " +
                                 std::string(curl_easy_strerror(rc)));
    }
    if (idle_ms >= options_.io_timeout_ms) {
      return Status::Unavailable("no answer from the IMAP server for " +
                                 std::to_string(options_.io_timeout_ms / 1000) + " s");
    }
    pollfd p{socket_, POLLIN, 0};
    if (::poll(&p, 1, kSliceMs) == 0) idle_ms += kSliceMs;
  }
}

}  // namespace steadfast::mail
