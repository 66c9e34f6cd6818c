#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/text.h"
#include "http/queued_stream.h"

namespace steadfast::http {
namespace {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // Names lower-cased.
  std::string body;

  std::optional<std::string> Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) {
        return value;
      }
    }
    return std::nullopt;
  }
};

// A deliberately small blocking HTTP/1.1 client over POSIX sockets. Understands
// Content-Length framing only, which is all the server produces.
class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // A safety net so a broken server fails the test instead of hanging it; not a timing check.
    timeval timeout{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  void Close() {
    ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          continue;
        }
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (an interim 100 response counts as one). nullopt if the connection
  // closed or failed first.
  std::optional<RawResponse> Read() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) {
        return std::nullopt;
      }
    }
    RawResponse response;
    const std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    const std::vector<std::string_view> lines = Split(head, '\n');
    // "HTTP/1.1 200 OK"
    if (lines.empty() || lines[0].size() < 12 || lines[0].substr(0, 5) != "HTTP/") {
      return std::nullopt;
    }
    response.status = std::stoi(std::string(lines[0].substr(9, 3)));
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::string_view line = Trim(lines[i]);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        return std::nullopt;
      }
      response.headers.emplace_back(AsciiLower(line.substr(0, colon)),
                                    std::string(Trim(line.substr(colon + 1))));
    }
    size_t length = 0;
    if (auto value = response.Header("content-length")) {
      length = std::stoul(*value);
    }
    if (head_request_) {
      length = 0;
    }
    while (buffer_.size() < length) {
      if (!Fill()) {
        return std::nullopt;
      }
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // Reads until `text` has arrived after the headers of a streamed response (read with
  // ReadHeadOnly). False if the connection closed first.
  bool ReadUntil(std::string_view text) {
    while (buffer_.find(text) == std::string::npos) {
      if (!Fill()) {
        return false;
      }
    }
    return true;
  }
  const std::string& buffered() const { return buffer_; }

  // True when the server closes the connection without sending anything more.
  bool ReadsEndOfStream() { return buffer_.empty() && !Fill() && eof_ && buffer_.empty(); }

  // For HEAD: the next responses carry no body whatever Content-Length says.
  void ExpectHeadResponses(bool head) { head_request_ = head; }

 private:
  bool Fill() {
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      eof_ = n == 0 || errno == ECONNRESET;
      return false;
    }
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  bool head_request_ = false;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

// Describes the request in the response body so tests can see what the handler received.
Response Echo(const Request& request) {
  Response response;
  std::string headers;
  for (const auto& [name, value] : request.headers) {
    headers += name + "=" + value + ";";
  }
  response.body = request.method + "|" + request.target + "|" + request.path + "|" + request.query +
                  "|" + request.body + "|" + headers + "|" + request.remote_address;
  if (request.path == "/typed") {
    response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  }
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(Handler handler) {
    ServerOptions options;
    options.port = 0;
    options.worker_threads = 4;
    options.max_body_bytes = 1024;
    server_ = std::make_unique<Server>(options, std::move(handler));
    const Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_GT(server_->port(), 0);
  }

  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, PassesRequestToHandler) {
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(
      "POST /api/v1/tickets?status=open&x=1 HTTP/1.1\r\nHost: test\r\nX-Custom:  Mixed Case \r\n"
      "X-Custom: second\r\nContent-Length: 5\r\n\r\nhello"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body,
            "POST|/api/v1/tickets?status=open&x=1|/api/v1/tickets|status=open&x=1|hello|"
            "host=test;x-custom=Mixed Case;x-custom=second;content-length=5;|127.0.0.1");
  EXPECT_EQ(response->Header("content-length"), std::to_string(response->body.size()));
  EXPECT_EQ(response->Header("content-type"), std::nullopt);  // The handler set none.
  EXPECT_EQ(response->Header("server"), std::nullopt);
}

TEST_F(ServerTest, SendsHandlerHeadersAndStatus) {
  StartServer([](const Request& request) {
    Response response;
    response.status = 201;
    response.SetHeader("Content-Type", "application/json");
    response.SetHeader("Location", "/api/v1/tickets/7");
    response.SetHeader("X-Evil", "a\r\nSet-Cookie: stolen=1");  // Must be dropped.
    response.SetHeader("Content-Length", "999");                // Framing is the server's.
    response.body = "{}";
    return response;
  });
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_EQ(response->Header("location"), "/api/v1/tickets/7");
  EXPECT_EQ(response->Header("x-evil"), std::nullopt);
  EXPECT_EQ(response->Header("set-cookie"), std::nullopt);
  EXPECT_EQ(response->Header("content-length"), "2");
  EXPECT_EQ(response->body, "{}");
}

TEST_F(ServerTest, KeepsConnectionAliveBetweenRequests) {
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/first")));
  auto first = client.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->Header("connection"), std::nullopt);

  ASSERT_TRUE(client.Send(Post("/typed?q", "second body")));
  auto second = client.Read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(second->body.find("|/typed|q|second body|"), std::string::npos) << second->body;
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/one") + Post("/two", "2") + Get("/three")));
  for (std::string_view path : {"/one|", "/two|", "/three|"}) {
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_NE(response->body.find(path), std::string::npos) << response->body;
  }
}

TEST_F(ServerTest, ClosesWhenClientAsksOrSpeaksHttp10) {
  StartServer(Echo);
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get("/", "Connection: close\r\n")));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->Header("connection"), "close");
    EXPECT_TRUE(client.ReadsEndOfStream());
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(client.ReadsEndOfStream());
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->Header("connection"), "keep-alive");
    ASSERT_TRUE(client.Send("GET /again HTTP/1.0\r\n\r\n"));
    ASSERT_TRUE(client.Read().has_value());
  }
}

TEST_F(ServerTest, HonoursConnectionCloseFromHandler) {
  StartServer([](const Request&) {
    Response response;
    response.SetHeader("Connection", "close");
    return response;
  });
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(client.ReadsEndOfStream());
}

TEST_F(ServerTest, HeadGetsHeadersWithoutBody) {
  StartServer(Echo);
  Client client(server_->port());
  client.ExpectHeadResponses(true);
  ASSERT_TRUE(client.Send("HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n"));
  auto head = client.Read();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  ASSERT_TRUE(head->Header("content-length").has_value());
  EXPECT_NE(head->Header("content-length"), "0");
  client.ExpectHeadResponses(false);
  // Had a body been sent, it would be read as the start of this response.
  ASSERT_TRUE(client.Send(Get("/after")));
  auto after = client.Read();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
  EXPECT_NE(after->body.find("/after"), std::string::npos);
}

TEST_F(ServerTest, RejectsOversizedBodyWith413) {
  std::atomic<int> calls{0};
  StartServer([&](const Request& r) {
    ++calls;
    return Echo(r);
  });
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post("/upload", std::string(2048, 'x'))));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  EXPECT_EQ(response->body, R"({"type":"about:blank","title":"Payload Too Large","status":413,)"
                            R"("detail":"request body exceeds 1024 bytes"})");
  EXPECT_TRUE(client.ReadsEndOfStream());
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, RejectsOversizedChunkedBodyWith413) {
  StartServer(Echo);
  Client client(server_->port());
  const std::string chunk(800, 'y');
  ASSERT_TRUE(client.Send(
      "POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
      "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.ReadsEndOfStream());
}

TEST_F(ServerTest, AcceptsBodyAtTheLimitAndChunkedBodies) {
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post("/exact", std::string(1024, 'z'))));
  auto exact = client.Read();
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->status, 200);
  ASSERT_TRUE(
      client.Send("POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto chunked = client.Read();
  ASSERT_TRUE(chunked.has_value());
  EXPECT_NE(chunked->body.find("|abcde|"), std::string::npos) << chunked->body;
}

TEST_F(ServerTest, AnswersExpectContinue) {
  StartServer(Echo);
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(
        "POST /e HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
    auto interim = client.Read();
    ASSERT_TRUE(interim.has_value());
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(client.Send("abc"));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->body.find("|abc|"), std::string::npos);
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(
        "POST /e HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n"));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
  }
}

TEST_F(ServerTest, RejectsGarbageWith400) {
  StartServer(Echo);
  for (std::string_view garbage :
       {std::string_view("GARBAGE\r\n\r\n"), std::string_view("GET / HTTP/9\r\n\r\n"),
        std::string_view("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string_view("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc"),
        std::string_view("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(garbage));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value()) << garbage;
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_EQ(response->Header("content-type"), "application/problem+json");
    EXPECT_TRUE(client.ReadsEndOfStream()) << garbage;
  }
}

TEST_F(ServerTest, RejectsHugeHeaderWith431) {
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(70 * 1024, 'h') + "\r\n")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.ReadsEndOfStream());
}

TEST_F(ServerTest, TurnsHandlerExceptionsInto500) {
  StartServer([](const Request& request) -> Response {
    if (request.path == "/throw") {
      throw std::runtime_error("boom");
    }
    if (request.path == "/bad-status") {
      Response response;
      response.status = 42;
      return response;
    }
    return Echo(request);
  });
  Client client(server_->port());
  for (std::string_view path : {"/throw", "/bad-status"}) {
    ASSERT_TRUE(client.Send(Get(path)));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->Header("content-type"), "application/problem+json");
    EXPECT_NE(response->body.find(R"("status":500)"), std::string::npos);
  }
  ASSERT_TRUE(client.Send(Get("/fine")));
  auto fine = client.Read();
  ASSERT_TRUE(fine.has_value());
  EXPECT_EQ(fine->status, 200);
}

TEST_F(ServerTest, AnswersConcurrentClients) {
  StartServer(Echo);
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      Client client(server_->port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = "client" + std::to_string(c) + "-request" + std::to_string(i);
        if (!client.Send(Post("/c", body))) {
          return;
        }
        auto response = client.Read();
        if (response && response->status == 200 &&
            response->body.find("|" + body + "|") != std::string::npos) {
          ++answered;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(answered.load(), kClients * kRequests);
}

TEST_F(ServerTest, StopDeliversInFlightResponseAndClosesIdleConnections) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  StartServer([&](const Request& request) {
    if (request.path == "/slow") {
      std::unique_lock<std::mutex> lock(mu);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      Response response;
      response.body = "finally";
      return response;
    }
    return Echo(request);
  });
  const int port = server_->port();

  Client idle(port);
  ASSERT_TRUE(idle.Send(Get("/warm-up")));
  ASSERT_TRUE(idle.Read().has_value());

  Client slow(port);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return entered; });
  }

  std::thread stopper([&] { server_->Stop(); });
  // The idle keep-alive connection is closed while the slow request is still running.
  EXPECT_TRUE(idle.ReadsEndOfStream());
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();

  const std::optional<RawResponse> response = slow.Read();
  EXPECT_TRUE(slow.ReadsEndOfStream());
  slow.Close();  // Otherwise Stop waits out the server's lingering close.
  stopper.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finally");
  EXPECT_EQ(response->Header("connection"), "close");

  Client late(port);
  EXPECT_FALSE(late.connected());
  server_->Stop();  // Idempotent.
}

TEST_F(ServerTest, StopWithoutStartAndDestructorAreSafe) {
  Server never_started(ServerOptions{}, Echo);
  never_started.Stop();
  StartServer(Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  ASSERT_TRUE(client.Read().has_value());
  server_.reset();  // Destructor stops with an idle connection open.
  EXPECT_TRUE(client.ReadsEndOfStream());
}

TEST_F(ServerTest, StartFailsWhenPortIsTaken) {
  StartServer(Echo);
  ServerOptions options;
  options.port = server_->port();
  Server second(options, Echo);
  const Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
}

}  // namespace
}  // namespace steadfast::http

namespace steadfast::http {
namespace {

// A streamed response holds no worker: with one worker thread, other requests are answered
// while the stream waits; pieces arrive as they are pushed; Stop ends the stream promptly.
TEST_F(ServerTest, StreamsPiecesWithoutHoldingAWorkerAndStopEndsThem) {
  auto stream = std::make_shared<QueuedStream>(1024);
  ServerOptions options;
  options.port = 0;
  options.worker_threads = 1;
  server_ = std::make_unique<Server>(options, [&](const Request& request) {
    if (request.path == "/stream") {
      Response response;
      response.SetHeader("Content-Type", "text/event-stream");
      response.stream = stream;
      return response;
    }
    return Echo(request);
  });
  ASSERT_TRUE(server_->Start().ok());
  const int port = server_->port();

  Client streaming(port);
  ASSERT_TRUE(streaming.Send(Get("/stream")));
  ASSERT_TRUE(stream->Push("first\n"));
  ASSERT_TRUE(streaming.ReadUntil("first\n"));
  EXPECT_NE(streaming.buffered().find("text/event-stream"), std::string::npos);
  EXPECT_EQ(streaming.buffered().find("Content-Length"), std::string::npos);

  Client other(port);
  ASSERT_TRUE(other.Send(Get("/echo")));
  const std::optional<RawResponse> echoed = other.Read();
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->status, 200);

  ASSERT_TRUE(stream->Push("second\n"));
  ASSERT_TRUE(streaming.ReadUntil("second\n"));
  EXPECT_FALSE(stream->done());

  server_->Stop();
  EXPECT_TRUE(stream->done());
  EXPECT_FALSE(stream->Push("late"));
  EXPECT_FALSE(streaming.ReadUntil("never"));
}

TEST_F(ServerTest, EndedStreamClosesTheConnectionAfterItsLastWord) {
  auto stream = std::make_shared<QueuedStream>(1024);
  StartServer([&](const Request&) {
    Response response;
    response.stream = stream;
    return response;
  });
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/stream")));
  stream->End("bye\n");
  EXPECT_FALSE(client.ReadUntil("never"));
  EXPECT_NE(client.buffered().find("bye\n"), std::string::npos);
  EXPECT_NE(client.buffered().find("onnection: close"), std::string::npos);
}

TEST(QueuedStreamTest, RefusesPushesOverTheLimitAndAfterClose) {
  QueuedStream stream(4);
  EXPECT_TRUE(stream.Push("abc"));
  EXPECT_FALSE(stream.Push("de"));
  std::optional<std::string> got;
  stream.Next([&](std::optional<std::string> piece) { got = std::move(piece); });
  EXPECT_EQ(got, "abc");
  bool ended = false;
  stream.Next([&](std::optional<std::string> piece) { ended = !piece.has_value(); });
  EXPECT_FALSE(ended);  // Waits for more.
  stream.Close();
  EXPECT_TRUE(ended);
  EXPECT_FALSE(stream.Push("x"));
}

}  // namespace
}  // namespace steadfast::http
