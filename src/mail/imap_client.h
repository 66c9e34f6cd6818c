#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace steadfast::mail {

// ---------------------------------------------------------------------------------------------
// IMAP responses (RFC 3501 section 7) read from untrusted bytes. Every function here returns an
// error for anything it cannot read (Unavailable: a mailbox problem is temporary for the
// caller), never crashes, and never reads more than it was given. Exposed for tests.

// A literal ("{N}" CRLF and N bytes) that a response carried.
struct ImapLiteral {
  size_t end = 0;  // Offset in ImapResponse::text just past the '}' of its "{N}" marker.
  std::string bytes;
};

// One server response: its line (continued after each literal), with the literals set apart.
struct ImapResponse {
  enum class Kind { kUntagged, kTagged, kContinuation };
  Kind kind = Kind::kUntagged;
  std::string tag;   // kTagged: the tag of the command it completes.
  std::string text;  // What follows "* ", "<tag> " or "+ ", "{N}" markers kept, no CRLF.
  std::vector<ImapLiteral> literals;  // In order of their markers.
};

// Splits the byte stream from a server into responses, however the stream is chunked. Literals
// are read by their announced length, so nothing inside a message (a line that looks like a
// tagged completion, "+ ", a 100 kB line) is ever taken for protocol. Not thread-safe.
class ImapResponseReader {
 public:
  // A literal over `max_literal_bytes` is refused with TooLarge; a line (literals aside) over
  // `max_line_bytes` is garbage.
  explicit ImapResponseReader(size_t max_literal_bytes, size_t max_line_bytes = 64 * 1024);

  // Appends bytes read from the server.
  void Feed(std::string_view bytes);

  // The next complete response, or nullopt until more bytes are fed. After an error every later
  // call returns that error: the stream is out of step and the connection must be dropped.
  Result<std::optional<ImapResponse>> Next();

 private:
  Status Fail(Status s);

  const size_t max_literal_bytes_;
  const size_t max_line_bytes_;
  std::string buffer_;
  size_t pos_ = 0;        // Bytes of buffer_ already consumed.
  ImapResponse partial_;  // The response being read.
  size_t literal_left_ = 0;
  bool in_literal_ = false;
  Status error_;
};

// How a tagged response completed a command.
struct ImapCompletion {
  enum class Condition { kOk, kNo, kBad };
  Condition condition = Condition::kOk;
  std::string code;  // The response code in brackets, upper-cased atom only: "TRYCREATE".
  std::string text;  // Human-readable rest, made printable ASCII and cut to 200 characters.
};

// Reads "OK/NO/BAD [CODE ...] text" of a tagged response. Unavailable if it is none of these.
Result<ImapCompletion> ParseCompletion(const ImapResponse& tagged);

// The UIDs of the "* SEARCH" responses among `untagged`, ascending and without repeats.
// Unavailable for anything but valid UIDs (1..4294967295) on those lines.
Result<std::vector<uint32_t>> ParseSearch(const std::vector<ImapResponse>& untagged);

// The UIDVALIDITY of "* OK [UIDVALIDITY n]" among the responses to SELECT. Unavailable when
// there is none or it is not a valid number (the server must send it: RFC 3501 6.3.1).
Result<uint32_t> ParseUidValidity(const std::vector<ImapResponse>& untagged);

// The capabilities of "* CAPABILITY" responses, upper-cased. Junk is ignored.
std::set<std::string> ParseCapabilities(const std::vector<ImapResponse>& untagged);

// The message bytes of the "* n FETCH (... UID uid ... BODY[] {N} ...)" response for `uid`,
// moved out of `untagged`. Other FETCH responses (servers send unsolicited ones) are skipped.
// NotFound if no response carries the body of `uid` (the message is gone, or BODY[] is NIL);
// Unavailable if the one for `uid` cannot be read.
Result<std::string> ParseFetchedBody(std::vector<ImapResponse>& untagged, uint32_t uid);

// `name` as an IMAP quoted string. REQUIRES: printable ASCII (config.cc checks folder names).
std::string ImapQuote(std::string_view name);

// ---------------------------------------------------------------------------------------------
// One mailbox on an IMAP server.

// What SELECT reported.
struct ImapFolderState {
  uint32_t uidvalidity = 0;
};

// A session with one folder of one mailbox. The mailbox poller talks to this interface, so its
// tests can swap in a fake. Every call but Cancel comes from one thread at a time; every failure
// of the server, the network or the response is Unavailable unless said otherwise.
class ImapSession {
 public:
  virtual ~ImapSession() = default;

  // Connects and logs in when not connected (a connection left by an earlier call is reused;
  // if it has died meanwhile, one fresh one is tried), then selects the folder read-write.
  virtual Result<ImapFolderState> Open() = 0;

  // UIDs in the selected folder, ascending: all that are not \Deleted, and only those not \Seen
  // when `unseen_only`.
  virtual Result<std::vector<uint32_t>> Search(bool unseen_only) = 0;

  // The raw bytes of message `uid`, read with BODY.PEEK: its flags do not change. NotFound if it
  // is gone. TooLarge if it is larger than the limit (the connection is then dropped).
  virtual Result<std::string> Fetch(uint32_t uid) = 0;

  // Sets \Seen on message `uid`.
  virtual Status MarkSeen(uint32_t uid) = 0;

  // Moves message `uid` to `folder`, creating the folder if the server says it is missing.
  // REQUIRES: `folder` is printable ASCII.
  virtual Status Move(uint32_t uid, const std::string& folder) = 0;

  // Logs out and disconnects; the next Open connects again.
  virtual void Close() = 0;

  // Thread-safe. A call in progress on another thread returns Unavailable within about a second,
  // and so does every later call: for shutting down.
  virtual void Cancel() = 0;
};

struct ImapOptions {
  std::string url;        // "imaps://imap.example.com:993" or "imap://host:143": no path.
  bool starttls = false;  // imap:// only: require STARTTLS before logging in.
  std::string user;
  std::string password;
  std::string ca_file;  // PEM certificates to trust instead of the system's; empty: the system's.
  std::string folder = "INBOX";                 // Printable ASCII.
  size_t max_message_bytes = 25 * 1024 * 1024;  // Fetch answers TooLarge above this.
  int64_t connect_timeout_ms = 30 * 1000;       // Connect, TLS and login.
  int64_t io_timeout_ms = 60 * 1000;            // Longest wait for the server's next byte.
};

// ImapSession over libcurl. libcurl connects, does TLS (imaps://, or STARTTLS), and logs in
// (CURLOPT_CONNECT_ONLY); from there this class speaks IMAP itself over curl_easy_send/recv with
// ImapResponseReader. (libcurl 7.88's own custom-request path hands a FETCH literal to the write
// callback only as its first line, and reads the message as protocol lines: curl issue #1150.)
// One connection per object, kept open between polls.
// Commands: SELECT, UID SEARCH, UID FETCH (BODY.PEEK[]), UID STORE +FLAGS.SILENT, UID MOVE — or,
// when the server lacks MOVE, UID COPY + \Deleted + UID EXPUNGE (plain EXPUNGE without UIDPLUS).
class ImapClient final : public ImapSession {
 public:
  explicit ImapClient(ImapOptions options);
  ~ImapClient() override;  // Close().
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  Result<ImapFolderState> Open() override;
  Result<std::vector<uint32_t>> Search(bool unseen_only) override;
  Result<std::string> Fetch(uint32_t uid) override;
  Status MarkSeen(uint32_t uid) override;
  Status Move(uint32_t uid, const std::string& folder) override;
  void Close() override;
  void Cancel() override;

 private:
  struct Reply {
    std::vector<ImapResponse> untagged;
    ImapCompletion completion;
  };

  Status Connect();
  Result<ImapFolderState> Select();
  // Reconnects and selects again if the connection was dropped since Open; Unavailable if the
  // folder's UIDVALIDITY changed meanwhile (the UIDs in hand mean nothing any more).
  Status EnsureSelected();
  // Sends one command and reads up to its tagged completion. Drops the connection on any
  // failure but a NO or BAD answer (which comes back as the completion).
  Result<Reply> Run(const std::string& command);
  // Run, then Unavailable unless the answer is OK.
  Status RunOk(const std::string& command);
  // RunOk, creating `folder` once if the server answers NO [TRYCREATE].
  Status RunCreatingFolder(const std::string& command, const std::string& folder);
  Status SendAll(std::string_view bytes);
  Status ReadMore();
  void Drop();  // Closes the connection without a word to the server.

  const ImapOptions options_;
  std::atomic<bool> cancelled_{false};
  void* curl_ = nullptr;  // CURL*; null when not connected.
  int socket_ = -1;
  std::unique_ptr<ImapResponseReader> reader_;
  std::set<std::string> capabilities_;
  std::optional<uint32_t> uidvalidity_;  // Of the last SELECT.
  uint32_t next_tag_ = 0;
};

}  // namespace steadfast::mail
