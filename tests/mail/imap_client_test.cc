#include "mail/imap_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace steadfast::mail {
namespace {

constexpr size_t kLimit = 1 << 20;

// Every response in `stream`, fed `chunk` bytes at a time (0: all at once). Stops at an error,
// which goes to *error.
std::vector<ImapResponse> ReadAll(std::string_view stream, size_t chunk, Status* error = nullptr,
                                  size_t limit = kLimit) {
  ImapResponseReader reader(limit);
  std::vector<ImapResponse> out;
  size_t pos = 0;
  while (true) {
    auto next = reader.Next();
    if (!next.ok()) {
      if (error != nullptr) *error = next.status();
      return out;
    }
    if (next->has_value()) {
      out.push_back(std::move(**next));
      continue;
    }
    if (pos >= stream.size()) return out;
    const size_t n = chunk == 0 ? stream.size() - pos : std::min(chunk, stream.size() - pos);
    reader.Feed(stream.substr(pos, n));
    pos += n;
  }
}

std::string Literal(std::string_view bytes) {
  return "{" + std::to_string(bytes.size()) + "}\r\n" + std::string(bytes);
}

// A message that tries everything line-based parsing falls for: a line shaped like the tagged
// completion of our FETCH, a continuation, an untagged FETCH, a bare CR, a NUL, a literal
// marker, and a line of 100 kB.
std::string HostileMessage() {
  std::string m =
      "From: mallory@evil.example\r\nSubject: hi\r\n\r\n"
      "S3 OK FETCH completed\r\n+ go ahead\r\n* 9 FETCH (UID 9 BODY[] {4}\r\n"
      "bare\rCR and a NUL:";
  m += '\0';
  m += "\r\n{12}\r\n";
  m += std::string(100 * 1024, 'x');
  m += "\r\n)\r\n";
  return m;
}

TEST(ImapResponseReaderTest, SplitsTaggedUntaggedAndContinuation) {
  const std::string stream =
      "* OK [CAPABILITY IMAP4rev1] ready\r\n+ \r\n+\r\nS1 OK done\r\n* 3 EXISTS\r\n";
  for (size_t chunk : {0, 1, 2, 7}) {
    SCOPED_TRACE(chunk);
    Status error;
    const auto rs = ReadAll(stream, chunk, &error);
    EXPECT_TRUE(error.ok()) << error.ToString();
    ASSERT_EQ(rs.size(), 5u);
    EXPECT_EQ(rs[0].kind, ImapResponse::Kind::kUntagged);
    EXPECT_EQ(rs[0].text, "OK [CAPABILITY IMAP4rev1] ready");
    EXPECT_EQ(rs[1].kind, ImapResponse::Kind::kContinuation);
    EXPECT_EQ(rs[2].kind, ImapResponse::Kind::kContinuation);
    EXPECT_EQ(rs[3].kind, ImapResponse::Kind::kTagged);
    EXPECT_EQ(rs[3].tag, "S1");
    EXPECT_EQ(rs[3].text, "OK done");
    EXPECT_EQ(rs[4].text, "3 EXISTS");
  }
}

TEST(ImapResponseReaderTest, LiteralIsReadByLengthWhateverItHolds) {
  const std::string message = HostileMessage();
  const std::string stream = "* 1 FETCH (UID 1 BODY[] " + Literal(message) +
                             ")\r\n* 1 FETCH (FLAGS (\\Seen))\r\nS3 OK Fetch completed.\r\n";
  for (size_t chunk : {0, 1, 3, 1000, 4096}) {
    SCOPED_TRACE(chunk);
    Status error;
    const auto rs = ReadAll(stream, chunk, &error);
    EXPECT_TRUE(error.ok()) << error.ToString();
    ASSERT_EQ(rs.size(), 3u);
    ASSERT_EQ(rs[0].literals.size(), 1u);
    EXPECT_EQ(rs[0].literals[0].bytes, message);
    EXPECT_EQ(rs[0].text, "1 FETCH (UID 1 BODY[] {" + std::to_string(message.size()) + "})");
    EXPECT_EQ(rs[0].literals[0].end, rs[0].text.size() - 1);
    EXPECT_EQ(rs[1].text, "1 FETCH (FLAGS (\\Seen))");
    EXPECT_EQ(rs[2].tag, "S3");
  }
}

TEST(ImapResponseReaderTest, SeveralLiteralsEmptyOnesAndBareLineFeeds) {
  const std::string stream =
      "* 2 FETCH (BODY[HEADER] {3}\r\nabc BODY[TEXT] {0}\r\n UID 4)\n"
      "S2 OK done\n";
  Status error;
  const auto rs = ReadAll(stream, 1, &error);
  EXPECT_TRUE(error.ok()) << error.ToString();
  ASSERT_EQ(rs.size(), 2u);
  ASSERT_EQ(rs[0].literals.size(), 2u);
  EXPECT_EQ(rs[0].literals[0].bytes, "abc");
  EXPECT_EQ(rs[0].literals[1].bytes, "");
  EXPECT_EQ(rs[0].text, "2 FETCH (BODY[HEADER] {3} BODY[TEXT] {0} UID 4)");
}

TEST(ImapResponseReaderTest, ALiteralOverTheLimitIsTooLargeAndStaysAnError) {
  Status error;
  const auto rs =
      ReadAll("* 1 FETCH (BODY[] {2000}\r\n" + std::string(2000, 'a') + ")\r\n", 0, &error, 1000);
  EXPECT_TRUE(rs.empty());
  EXPECT_EQ(error.code(), StatusCode::kTooLarge) << error.ToString();

  ImapResponseReader reader(10);
  reader.Feed("* 1 FETCH (BODY[] {11}\r\n");
  EXPECT_EQ(reader.Next().status().code(), StatusCode::kTooLarge);
  reader.Feed("S1 OK fine\r\n");
  EXPECT_EQ(reader.Next().status().code(), StatusCode::kTooLarge);  // Out of step for good.
}

TEST(ImapResponseReaderTest, GarbageIsAnErrorNeverACrash) {
  const std::vector<std::string> garbage = {
      "no-space-at-all\r\n",
      "{5}\r\nabcde\r\n",  // A literal where the tag should be.
      "* 1 FETCH (BODY[] {99999999999999999999999}\r\n",
      std::string(70 * 1024, 'A'),           // No line end, ever.
      std::string(70 * 1024, 'A') + "\r\n",  // One line over the limit.
      " leading space\r\n",
  };
  for (const std::string& g : garbage) {
    SCOPED_TRACE(g.substr(0, 40));
    Status error;
    const auto rs = ReadAll(g, 0, &error);
    EXPECT_TRUE(rs.empty());
    EXPECT_FALSE(error.ok());
  }
  // A literal cut short by the end of the stream is simply not complete yet.
  Status error;
  EXPECT_TRUE(ReadAll("* 1 FETCH (BODY[] {10}\r\nabc", 0, &error).empty());
  EXPECT_TRUE(error.ok());
  // "{abc}" is text, not a literal.
  const auto rs = ReadAll("* OK {abc}\r\n", 0, &error);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].literals.empty());
}

ImapResponse Tagged(std::string text) {
  ImapResponse r;
  r.kind = ImapResponse::Kind::kTagged;
  r.tag = "S1";
  r.text = std::move(text);
  return r;
}

std::vector<ImapResponse> Untagged(std::string_view stream) {
  Status error;
  auto rs = ReadAll(stream, 0, &error);
  EXPECT_TRUE(error.ok()) << error.ToString();
  return rs;
}

TEST(ParseCompletionTest, ConditionsCodesAndGarbage) {
  auto ok = ParseCompletion(Tagged("OK [READ-WRITE] Select completed (0.001 secs)."));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->condition, ImapCompletion::Condition::kOk);
  EXPECT_EQ(ok->code, "READ-WRITE");
  EXPECT_EQ(ok->text, "Select completed (0.001 secs).");

  auto no = ParseCompletion(Tagged("no [trycreate] Mailbox doesn't exist: Done"));
  ASSERT_TRUE(no.ok());
  EXPECT_EQ(no->condition, ImapCompletion::Condition::kNo);
  EXPECT_EQ(no->code, "TRYCREATE");

  auto bad = ParseCompletion(Tagged("BAD"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->condition, ImapCompletion::Condition::kBad);

  auto unclosed = ParseCompletion(Tagged("NO [ALERT no closing bracket"));
  ASSERT_TRUE(unclosed.ok());
  EXPECT_EQ(unclosed->code, "");

  auto binary = ParseCompletion(Tagged(std::string("NO \x01\xff\n") + std::string(500, 'z')));
  ASSERT_TRUE(binary.ok());
  EXPECT_EQ(binary->text.substr(0, 3), "???");
  EXPECT_LE(binary->text.size(), 203u);

  EXPECT_FALSE(ParseCompletion(Tagged("MAYBE later")).ok());
  EXPECT_FALSE(ParseCompletion(Tagged("")).ok());
}

TEST(ParseSearchTest, UidsSortedUniqueAndStrict) {
  auto uids = ParseSearch(Untagged("* 3 EXISTS\r\n* SEARCH 7 3  42 3 \r\n* search 1\r\n"));
  ASSERT_TRUE(uids.ok()) << uids.status().ToString();
  EXPECT_EQ(*uids, (std::vector<uint32_t>{1, 3, 7, 42}));

  auto none = ParseSearch(Untagged("* SEARCH\r\n"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(ParseSearch({}).ok());

  auto max = ParseSearch(Untagged("* SEARCH 4294967295\r\n"));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->front(), 4294967295u);

  for (const char* bad :
       {"* SEARCH 1 two\r\n", "* SEARCH 0\r\n", "* SEARCH 4294967296\r\n", "* SEARCH -1\r\n",
        "* SEARCH 99999999999999999999\r\n", "* SEARCH 1:3\r\n", "* SEARCH {1}\r\n5\r\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseSearch(Untagged(bad)).ok());
  }
  // Lines that are not SEARCH responses are not its business.
  EXPECT_TRUE(ParseSearch(Untagged("* SEARCHING 1 x\r\n* 5 FETCH (FLAGS ())\r\n")).ok());
}

TEST(ParseUidValidityTest, FoundMissingOrGarbled) {
  auto v = ParseUidValidity(
      Untagged("* FLAGS (\\Seen)\r\n* 1 EXISTS\r\n* OK [UIDVALIDITY 1795465468] UIDs valid\r\n"
               "* OK [UIDNEXT 2] Predicted next UID\r\n"));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 1795465468u);
  auto lower = ParseUidValidity(Untagged("* ok [uidvalidity 5]\r\n"));
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower, 5u);

  EXPECT_FALSE(ParseUidValidity(Untagged("* 1 EXISTS\r\n* OK [UIDNEXT 2] next\r\n")).ok());
  EXPECT_FALSE(ParseUidValidity(Untagged("* OK [UIDVALIDITY x12] what\r\n")).ok());
  EXPECT_FALSE(ParseUidValidity(Untagged("* OK [UIDVALIDITY 0]\r\n")).ok());
  EXPECT_FALSE(ParseUidValidity(Untagged("* OK [UIDVALIDITY 1\r\n")).ok());
  EXPECT_FALSE(ParseUidValidity(Untagged("* OK [UIDVALIDITY]\r\n")).ok());
}

TEST(ParseCapabilitiesTest, UpperCasedJunkIgnored) {
  const auto caps =
      ParseCapabilities(Untagged("* CAPABILITY IMAP4rev1 move  UIDPLUS\r\n* OK hi\r\n"));
  EXPECT_EQ(caps, (std::set<std::string>{"IMAP4REV1", "MOVE", "UIDPLUS"}));
  EXPECT_TRUE(ParseCapabilities(Untagged("* CAPABILITY\r\n")).empty());
}

TEST(ParseFetchedBodyTest, TheBodyOfTheRightUid) {
  const std::string message = HostileMessage();
  // An unsolicited FETCH for another message first, as servers send when flags change.
  auto rs = Untagged(
      "* 4 FETCH (FLAGS (\\Seen \\Answered) UID 12)\r\n"
      "* 5 FETCH (UID 13 FLAGS () BODY[] " +
      Literal(message) + ")\r\n");
  auto body = ParseFetchedBody(rs, 13);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, message);

  // UID after the body, a quoted body, and a body of a section we did not ask for.
  auto after = Untagged(
      "* 1 FETCH (BODY[HEADER.FIELDS (FROM TO)] {2}\r\nxy BODY[] \"a \\\"q\\\"\" "
      "UID 3)\r\n");
  auto quoted = ParseFetchedBody(after, 3);
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(*quoted, "a \"q\"");
}

TEST(ParseFetchedBodyTest, GoneIsNotFound) {
  auto none = Untagged("* 1 EXISTS\r\n");
  EXPECT_EQ(ParseFetchedBody(none, 1).status().code(), StatusCode::kNotFound);
  auto other = Untagged("* 1 FETCH (UID 2 BODY[] {1}\r\nx)\r\n");
  EXPECT_EQ(ParseFetchedBody(other, 1).status().code(), StatusCode::kNotFound);
  auto nil = Untagged("* 1 FETCH (UID 1 BODY[] NIL)\r\n");
  EXPECT_EQ(ParseFetchedBody(nil, 1).status().code(), StatusCode::kNotFound);
  auto flags_only = Untagged("* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n");
  EXPECT_EQ(ParseFetchedBody(flags_only, 1).status().code(), StatusCode::kNotFound);
}

TEST(ParseFetchedBodyTest, GarbledResponsesAreErrors) {
  const std::vector<std::string> garbled = {
      "* 1 FETCH (UID 1 BODY[] {1}\r\nx\r\n",         // The list never closes.
      "* 1 FETCH (UID 1 BODY[]) \r\n",                // A key without a value.
      "* 1 FETCH (UID one BODY[] \"x\")\r\n",         // A UID that is no number.
      "* 1 FETCH (UID 1 BODY[] (\"x\"))\r\n",         // A body that is a list.
      "* 1 FETCH (UID 1 BODY[] \"x)\r\n",             // An unterminated string.
      "* 1 FETCH (UID 1 BODY[ \"x\")\r\n",            // An unterminated section.
      "* 1 FETCH (UID 1 BODY[] {x} )\r\n",            // A brace that is no literal.
      "* 1 FETCH (UID 1 BODY[] \"x\") trailing\r\n",  // Text after the list.
      "* 1 FETCH UID 1 BODY[] \"x\"\r\n",             // No list at all.
      "* 1 FETCH ((UID) 1 BODY[] \"x\")\r\n",         // A key that is a list.
      "* 1 FETCH (UID 1 BODY[] \"x\"))\r\n",          // One ')' too many.
      "* 1 FETCH (UID 1 BODY[] \x01)\r\n",            // A control character.
  };
  for (const std::string& g : garbled) {
    SCOPED_TRACE(g);
    auto rs = Untagged(g);
    auto body = ParseFetchedBody(rs, 1);
    EXPECT_FALSE(body.ok());
    EXPECT_NE(body.status().code(), StatusCode::kNotFound);
  }
  // Hostile nesting is refused, not recursed into.
  auto deep = Untagged("* 1 FETCH (UID 1 X " + std::string(10000, '(') + ")\r\n");
  EXPECT_FALSE(ParseFetchedBody(deep, 1).ok());
}

// Random bytes, random chunking: every function answers, none crashes or hangs.
TEST(ImapParsingTest, SurvivesRandomInput) {
  std::mt19937 rng(20301);
  const std::string alphabet = "* {}()[]\"\\\r\n0123456789 SEARCHFETCHUIDBODYOKNO+~\x01\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const size_t n = rng() % 300;
    for (size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    ImapResponseReader reader(1000, 200);
    std::vector<ImapResponse> rs;
    size_t pos = 0;
    while (true) {
      auto next = reader.Next();
      if (!next.ok()) break;
      if (next->has_value()) {
        rs.push_back(std::move(**next));
        continue;
      }
      if (pos >= s.size()) break;
      const size_t take = std::min<size_t>(1 + rng() % 16, s.size() - pos);
      reader.Feed(std::string_view(s).substr(pos, take));
      pos += take;
    }
    (void)ParseSearch(rs);
    (void)ParseUidValidity(rs);
    (void)ParseCapabilities(rs);
    for (const ImapResponse& r : rs) {
      if (r.kind == ImapResponse::Kind::kTagged) (void)ParseCompletion(r);
    }
    (void)ParseFetchedBody(rs, 1 + rng() % 5);
  }
}

// ---------------------------------------------------------------------------------------------
// ImapClient against a scripted server: the failures a real server seldom shows.

// Answers one IMAP connection at a time on a loopback port. libcurl's greeting, CAPABILITY and
// LOGIN are answered here; every other command goes to the test's handler, which returns the
// bytes to send: kClose after them closes the connection, kHang stops answering.
class ScriptedImapServer {
 public:
  static constexpr std::string_view kClose = "<close>";
  static constexpr std::string_view kHang = "<hang>";
  using Handler = std::function<std::string(const std::string& tag, const std::string& command)>;

  explicit ScriptedImapServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedImapServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }

  std::string url() const { return "imap://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  int logins() const { return logins_; }
  // Every command the handler saw, without tags.
  std::vector<std::string> commands() {
    std::lock_guard<std::mutex> lock(mu_);
    return commands_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      Converse(fd);
      ::close(fd);
    }
  }

  void Converse(int fd) {
    Send(fd, "* OK scripted server ready\r\n");
    std::string buffer;
    char chunk[4096];
    while (!stopping_) {
      const size_t eol = buffer.find("\r\n");
      if (eol == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
        continue;
      }
      const std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 2);
      const size_t space = line.find(' ');
      const std::string tag = line.substr(0, space);
      const std::string command = space == std::string::npos ? "" : line.substr(space + 1);
      std::string reply;
      if (command == "CAPABILITY" && tag[0] == 'A') {
        reply = "* CAPABILITY IMAP4rev1\r\n" + tag + " OK done\r\n";  // libcurl's, before login.
      } else if (command.rfind("LOGIN ", 0) == 0 || command == "LOGOUT") {
        if (command != "LOGOUT") ++logins_;
        reply = tag + " OK done\r\n";
      } else {
        {
          std::lock_guard<std::mutex> lock(mu_);
          commands_.push_back(command);
        }
        reply = handler_(tag, command);
      }
      if (reply.size() >= kHang.size() && reply.substr(reply.size() - kHang.size()) == kHang) {
        Send(fd, reply.substr(0, reply.size() - kHang.size()));
        while (!stopping_ && ::recv(fd, chunk, sizeof chunk, 0) > 0) {
        }
        return;
      }
      if (reply.size() >= kClose.size() && reply.substr(reply.size() - kClose.size()) == kClose) {
        Send(fd, reply.substr(0, reply.size() - kClose.size()));
        return;
      }
      Send(fd, reply);
    }
  }

  static void Send(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> logins_{0};
  std::mutex mu_;
  std::vector<std::string> commands_;
  std::thread thread_;
};

// The answers of a well-behaved server; tests change what they need.
std::string Ordinary(const std::string& tag, const std::string& command, uint32_t uidvalidity = 42,
                     const std::string& caps = "IMAP4rev1 MOVE UIDPLUS") {
  if (command == "CAPABILITY") return "* CAPABILITY " + caps + "\r\n" + tag + " OK done\r\n";
  if (command.rfind("SELECT", 0) == 0) {
    return "* 2 EXISTS\r\n* OK [UIDVALIDITY " + std::to_string(uidvalidity) + "] ok\r\n" + tag +
           " OK [READ-WRITE] done\r\n";
  }
  if (command.rfind("UID SEARCH", 0) == 0) return "* SEARCH 7 3\r\n" + tag + " OK done\r\n";
  if (command.rfind("UID FETCH", 0) == 0) {
    return "* 1 FETCH (UID 3 BODY[] " + Literal(HostileMessage()) + ")\r\n" + tag + " OK done\r\n";
  }
  return tag + " OK done\r\n";
}

ImapOptions Options(const ScriptedImapServer& server) {
  ImapOptions o;
  o.url = server.url();
  o.user = "u";
  o.password = "p";
  o.folder = "Support \"A\"";
  o.connect_timeout_ms = 10000;
  o.io_timeout_ms = 10000;
  return o;
}

TEST(ImapClientTest, ASessionReadsFlagsAndMovesKeepingOneConnection) {
  ScriptedImapServer server([](const std::string& tag, const std::string& command) -> std::string {
    if (command == "UID MOVE 3 \"Done\"" && tag == "S6") {
      return tag + " NO [TRYCREATE] no such mailbox\r\n";
    }
    return Ordinary(tag, command);
  });
  ImapClient client(Options(server));
  auto opened = client.Open();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->uidvalidity, 42u);
  auto uids = client.Search(true);
  ASSERT_TRUE(uids.ok());
  EXPECT_EQ(*uids, (std::vector<uint32_t>{3, 7}));
  auto body = client.Fetch(3);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, HostileMessage());
  EXPECT_TRUE(client.MarkSeen(3).ok());
  EXPECT_TRUE(client.Move(3, "Done").ok());
  ASSERT_TRUE(client.Open().ok());  // Reuses the connection.
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.commands(),
            (std::vector<std::string>{
                "CAPABILITY", "SELECT \"Support \\\"A\\\"\"", "UID SEARCH UNSEEN UNDELETED",
                "UID FETCH 3 (UID BODY.PEEK[])", "UID STORE 3 +FLAGS.SILENT (\\Seen)",
                "UID MOVE 3 \"Done\"", "CREATE \"Done\"", "UID MOVE 3 \"Done\"",
                "SELECT \"Support \\\"A\\\"\""}));
}

TEST(ImapClientTest, WithoutMoveItCopiesFlagsDeletedAndExpunges) {
  for (const std::string caps : {"IMAP4rev1 UIDPLUS", "IMAP4rev1"}) {
    SCOPED_TRACE(caps);
    ScriptedImapServer server(
        [&caps](const std::string& tag, const std::string& command) -> std::string {
          return Ordinary(tag, command, 42, caps);
        });
    ImapClient client(Options(server));
    ASSERT_TRUE(client.Open().ok());
    ASSERT_TRUE(client.Move(9, "Done").ok());
    const auto c = server.commands();
    ASSERT_EQ(c.size(), 5u);
    EXPECT_EQ(c[2], "UID COPY 9 \"Done\"");
    EXPECT_EQ(c[3], "UID STORE 9 +FLAGS.SILENT (\\Deleted)");
    EXPECT_EQ(c[4], caps == "IMAP4rev1" ? "EXPUNGE" : "UID EXPUNGE 9");
  }
}

TEST(ImapClientTest, RefusalsAndGarbledAnswersAreErrorsAndBrokenConnectionsAreReplaced) {
  int selects = 0;
  ScriptedImapServer server(
      [&selects](const std::string& tag, const std::string& command) -> std::string {
        if (command.rfind("SELECT", 0) == 0 && ++selects == 1) {
          return "* 2 EXISTS\r\n" + tag + " OK but no UIDVALIDITY\r\n";
        }
        if (command == "UID SEARCH UNDELETED") return "* SEARCH 1 banana\r\n" + tag + " OK\r\n";
        if (command == "UID STORE 1 +FLAGS.SILENT (\\Seen)") return "S99 OK not yours\r\n";
        if (command == "UID STORE 2 +FLAGS.SILENT (\\Seen)") return tag + " NO read-only\r\n";
        if (command.rfind("UID FETCH 5 ", 0) == 0) {
          return "* 1 FETCH (UID 5 BODY[] {100}\r\nonly part of it" +
                 std::string(ScriptedImapServer::kClose);
        }
        if (command.rfind("UID FETCH 6 ", 0) == 0) return "+ what?\r\n";
        return Ordinary(tag, command);
      });
  ImapClient client(Options(server));
  auto no_validity = client.Open();
  ASSERT_FALSE(no_validity.ok());
  EXPECT_NE(no_validity.status().message().find("UIDVALIDITY"), std::string::npos);
  ASSERT_TRUE(client.Open().ok());  // A fresh connection.
  EXPECT_EQ(server.connections(), 2);

  EXPECT_FALSE(client.Search(false).ok());  // Garbled, but the stream is still in step.
  EXPECT_FALSE(client.MarkSeen(1).ok());    // A stranger's tag: dropped...
  auto refused = client.MarkSeen(2);        // ...reconnected; a refusal keeps the line.
  EXPECT_NE(refused.message().find("read-only"), std::string::npos) << refused.ToString();
  auto cut = client.Fetch(5);  // The server hangs up mid-literal.
  EXPECT_EQ(cut.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(client.Fetch(6).ok());  // A continuation nobody asked for.
  auto fine = client.Fetch(3);
  ASSERT_TRUE(fine.ok()) << fine.status().ToString();
  EXPECT_EQ(*fine, HostileMessage());
  EXPECT_EQ(server.connections(), 5);
}

TEST(ImapClientTest, AMessageOverTheLimitIsTooLargeAndTheNextCallReconnects) {
  ScriptedImapServer server([](const std::string& tag, const std::string& command) -> std::string {
    return Ordinary(tag, command);
  });
  ImapOptions o = Options(server);
  o.max_message_bytes = 1000;
  ImapClient client(o);
  ASSERT_TRUE(client.Open().ok());
  EXPECT_EQ(client.Fetch(3).status().code(), StatusCode::kTooLarge);
  EXPECT_TRUE(client.MarkSeen(3).ok());  // On a new connection, the folder selected again.
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.commands().back(), "UID STORE 3 +FLAGS.SILENT (\\Seen)");
}

TEST(ImapClientTest, AChangedUidValidityOnReconnectStopsThePoll) {
  int selects = 0;
  ScriptedImapServer server(
      [&selects](const std::string& tag, const std::string& command) -> std::string {
        if (command.rfind("UID FETCH", 0) == 0) return std::string("garbage\r\n");
        const uint32_t validity = command.rfind("SELECT", 0) == 0 && ++selects > 1 ? 43 : 42;
        return Ordinary(tag, command, validity);
      });
  ImapClient client(Options(server));
  ASSERT_TRUE(client.Open().ok());
  EXPECT_FALSE(client.Fetch(3).ok());
  auto changed = client.MarkSeen(3);
  EXPECT_NE(changed.message().find("UIDVALIDITY"), std::string::npos) << changed.ToString();
}

TEST(ImapClientTest, ASilentServerTimesOutAndCancelStopsAWaitAtOnce) {
  std::promise<void> waiting;
  std::atomic<bool> told{false};
  ScriptedImapServer server([&](const std::string& tag, const std::string& command) -> std::string {
    if (command.rfind("UID SEARCH", 0) == 0) return std::string(ScriptedImapServer::kHang);
    if (command.rfind("UID FETCH", 0) == 0) {
      if (!told.exchange(true)) waiting.set_value();
      return "* 1 FETCH (UID 3 BODY[] {10}\r\nabc" + std::string(ScriptedImapServer::kHang);
    }
    return Ordinary(tag, command);
  });
  ImapOptions o = Options(server);
  o.io_timeout_ms = 600;
  ImapClient quick(o);
  ASSERT_TRUE(quick.Open().ok());
  auto timed_out = quick.Search(true);
  EXPECT_NE(timed_out.status().message().find("no answer"), std::string::npos)
      << timed_out.status().ToString();

  o.io_timeout_ms = 3600 * 1000;  // Only Cancel can end this wait.
  ImapClient client(o);
  ASSERT_TRUE(client.Open().ok());
  auto fetch = std::async(std::launch::async, [&client] { return client.Fetch(3); });
  ASSERT_EQ(waiting.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  client.Cancel();
  ASSERT_EQ(fetch.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(fetch.get().status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(client.Open().ok());  // Cancelled for good.
}

TEST(ImapClientTest, ConnectFailuresSayWhy) {
  ScriptedImapServer server([](const std::string& tag, const std::string& command) -> std::string {
    return Ordinary(tag, command);
  });
  ImapOptions o = Options(server);
  o.url = "imap://127.0.0.1:1";
  auto refused = ImapClient(o).Open();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("imap://127.0.0.1:1"), std::string::npos);
  o = Options(server);
  o.starttls = true;  // The server offers no STARTTLS: no login in clear text.
  auto plain = ImapClient(o).Open();
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(server.logins(), 0);
}

TEST(ImapQuoteTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(ImapQuote("INBOX"), "\"INBOX\"");
  EXPECT_EQ(ImapQuote("Support/Done \"old\" \\x"), "\"Support/Done \\\"old\\\" \\\\x\"");
}

}  // namespace
}  // namespace steadfast::mail
