#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/log.h"
#include "common/text.h"

namespace steadfast::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// Every awaited operation reports errors as values; nothing in a session throws on I/O errors.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// Covers waiting on an idle keep-alive connection and receiving the request header.
constexpr auto kHeaderTimeout = std::chrono::seconds(60);
// Allowed silence between chunks of a request body, and for writing a response.
constexpr auto kBodyTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
// After the last response on a connection we read and discard what the client still sends, so
// that closing does not reset the connection before the client has read the response.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 16 * 1024 * 1024;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

// True when the comma-separated header value `list` contains `token` (case-insensitive).
bool HasToken(std::string_view list, std::string_view token) {
  for (std::string_view item : Split(list, ',')) {
    if (IEquals(Trim(item), token)) {
      return true;
    }
  }
  return false;
}

bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 256) {
    return false;
  }
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) {
      return false;
    }
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  // Beast stores offsets in 16 bits; far below that, a header this long is a bug anyway.
  if (value.size() > 32 * 1024) {
    return false;
  }
  for (unsigned char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return false;
    }
  }
  return true;
}

Response Problem(int status, std::string_view title, std::string_view detail) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/problem+json");
  std::string& body = response.body;
  body.reserve(96 + title.size() + detail.size());
  body += R"({"type":"about:blank","title":")";
  AppendJsonEscaped(body, title);
  body += R"(","status":)";
  body += std::to_string(status);
  body += R"(,"detail":")";
  AppendJsonEscaped(body, detail);
  body += "\"}";
  return response;
}

Response CallHandler(const Handler& handler, const Request& request) noexcept {
  try {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "handler threw",
          {{"error", e.what()}, {"method", request.method}, {"path", request.path}});
    } catch (...) {
      Log(LogLevel::kError, "handler threw",
          {{"error", "unknown exception"}, {"method", request.method}, {"path", request.path}});
    }
    return Problem(500, "Internal Server Error", "the server failed to handle the request");
  } catch (...) {
    // Only allocation can fail here; answer without a body rather than crash.
    Response response;
    response.status = 500;
    return response;
  }
}

// Splits a request target into path and query. An absolute-form target
// ("http://host/p?q") yields the path of the URL.
void SplitTarget(std::string_view target, std::string& path, std::string& query) {
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (target.size() >= scheme.size() && IEquals(target.substr(0, scheme.size()), scheme)) {
      const std::size_t slash = target.find_first_of("/?", scheme.size());
      target = slash == std::string_view::npos ? std::string_view() : target.substr(slash);
      break;
    }
  }
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) {
    path.assign(target);
    query.clear();
  } else {
    path.assign(target.substr(0, q));
    query.assign(target.substr(q + 1));
  }
  if (path.empty()) {
    path = "/";
  }
}

Request ToRequest(BeastRequest&& message, const std::string& remote_address) {
  Request request;
  request.method.assign(View(message.method_string()));
  request.target.assign(View(message.target()));
  SplitTarget(request.target, request.path, request.query);
  for (const auto& field : message) {
    request.headers.emplace_back(AsciiLower(View(field.name_string())),
                                 std::string(View(field.value())));
  }
  request.body = std::move(message.body());
  request.remote_address = remote_address;
  return request;
}

// Builds the wire response. `keep_alive` is what the request and the server state allow; the
// handler can only turn it off (with "Connection: close").
// A streamed response (`streaming`) has no length: its body ends when the connection closes.
BeastResponse ToBeastResponse(Response&& response, unsigned version, bool keep_alive, bool head,
                              bool streaming = false) {
  if (response.status < 200 || response.status > 599) {
    Log(LogLevel::kError, "handler returned an invalid status",
        {{"status", std::to_string(response.status)}});
    response = Problem(500, "Internal Server Error", "the server failed to handle the request");
  }
  BeastResponse out;
  out.version(version >= 11 ? 11 : 10);
  out.result(static_cast<unsigned>(response.status));
  for (auto& [name, value] : response.headers) {
    if (!IsValidHeaderName(name) || !IsValidHeaderValue(value)) {
      Log(LogLevel::kError, "dropped an invalid response header", {{"name", name.substr(0, 64)}});
      continue;
    }
    if (IEquals(name, "content-length") || IEquals(name, "transfer-encoding")) {
      continue;  // Framing is ours.
    }
    if (IEquals(name, "connection")) {
      if (HasToken(value, "close")) {
        keep_alive = false;
      }
      continue;
    }
    out.insert(name, value);
  }
  if (streaming) {
    keep_alive = false;
  } else if (response.status != 204 && response.status != 304) {
    out.content_length(response.body.size());
    if (!head) {
      out.body() = std::move(response.body);
    }
  }
  out.keep_alive(keep_alive);
  return out;
}

// Runs `handler` on `pool` and completes on the caller's executor (the connection's strand) with
// the Response. `handler` and `request` must outlive the operation.
template <typename CompletionToken>
auto AsyncCallHandler(asio::thread_pool& pool, const Handler& handler, const Request& request,
                      CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(Response)>(
      [&pool, &handler, &request](auto completion) {
        // Keeps the io_context running while the coroutine waits on a worker thread.
        auto work = asio::make_work_guard(asio::get_associated_executor(completion));
        asio::post(pool, [&handler, &request, completion = std::move(completion),
                          work = std::move(work)]() mutable {
          Response response = CallHandler(handler, request);
          auto executor = work.get_executor();
          asio::post(executor, [completion = std::move(completion),
                                response = std::move(response)]() mutable {
            std::move(completion)(std::move(response));
          });
          work.reset();
        });
      },
      token);
}

// Asks `stream` for its next piece and completes on the caller's executor (the connection's
// strand) with it. `stream` must outlive the operation.
template <typename CompletionToken>
auto AsyncNextPiece(BodyStream& stream, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(std::optional<std::string>)>(
      [&stream](auto completion) {
        // Keeps the io_context running while the coroutine waits for the next piece.
        auto work = asio::make_work_guard(asio::get_associated_executor(completion));
        auto shared = std::make_shared<std::pair<decltype(completion), decltype(work)>>(
            std::move(completion), std::move(work));
        stream.Next([shared](std::optional<std::string> piece) mutable {
          auto executor = shared->second.get_executor();
          asio::post(executor, [shared, piece = std::move(piece)]() mutable {
            std::move(shared->first)(std::move(piece));
            shared->second.reset();
          });
        });
      },
      token);
}

void LogCoroutineFailure(std::string_view what, std::exception_ptr e) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    Log(LogLevel::kError, "server coroutine failed", {{"what", what}, {"error", ex.what()}});
  } catch (...) {
    Log(LogLevel::kError, "server coroutine failed", {{"what", what}, {"error", "unknown"}});
  }
}

class Session;

// Invariants: sessions_ holds every live session that was accepted before stopping_ was set;
// once stopping_ is set no session is added. The acceptor is used only on acceptor_strand_.
class ServerCore {
 public:
  ServerCore(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        ioc_(options_.io_threads > 0 ? options_.io_threads : 1),
        acceptor_strand_(asio::make_strand(ioc_)) {}

  ~ServerCore() { Stop(); }

  Status Start();
  int port() const { return port_; }
  void Stop();

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  asio::thread_pool& pool() { return *pool_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // False when the server is stopping: the caller drops the connection.
  bool Register(const std::shared_ptr<Session>& session);
  void Unregister(Session* session);

 private:
  asio::awaitable<void> AcceptLoop();
  void RunIo();

  const ServerOptions options_;
  const Handler handler_;
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> acceptor_strand_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::thread_pool> pool_;
  std::vector<std::thread> io_threads_;
  int port_ = 0;

  std::mutex lifecycle_mu_;  // Serializes Start and Stop.
  bool started_ = false;     // Guarded by lifecycle_mu_.
  bool stopped_ = false;     // Guarded by lifecycle_mu_.

  std::atomic<bool> stopping_{false};  // Written under sessions_mu_.
  std::mutex sessions_mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // Guarded by sessions_mu_.
};

// One TCP connection. All members are used only on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      asio::ip::address address = peer.address();
      if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
      }
      remote_address_ = address.to_string();
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  ~Session() { server_.Unregister(this); }

  asio::any_io_executor executor() { return stream_.get_executor(); }

  static asio::awaitable<void> Run(std::shared_ptr<Session> self) {
    const bool linger = co_await self->Serve();
    if (linger) {
      co_await self->Linger();
    }
    beast::error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.socket().close(ec);
  }

  // Called on the strand when the server stops: closes the connection if it is waiting for a
  // request and none has started to arrive.
  void CloseIfIdle() {
    if (idle_ && buffer_.size() == 0) {
      stream_.cancel();
    }
    if (body_stream_) {
      body_stream_->Close();
    }
  }

 private:
  // Serves requests until the connection should close. Returns true when a response was written
  // and the connection should linger before closing.
  asio::awaitable<bool> Serve() {
    for (;;) {
      if (server_.stopping()) {
        co_return false;
      }
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(static_cast<std::uint64_t>(server_.options().max_body_bytes));

      idle_ = true;
      stream_.expires_after(kHeaderTimeout);
      auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kNoThrow);
      idle_ = false;
      if (ec) {
        co_return co_await RespondToReadError(ec);
      }

      if (!parser.is_done() && parser.get().version() >= 11 &&
          HasToken(View(parser.get()[bhttp::field::expect]), "100-continue")) {
        stream_.expires_after(kWriteTimeout);
        auto [wec, wn] = co_await asio::async_write(
            stream_, asio::buffer(kContinue.data(), kContinue.size()), kNoThrow);
        if (wec) {
          co_return false;
        }
      }
      while (!parser.is_done()) {
        stream_.expires_after(kBodyTimeout);
        auto [rec, rn] = co_await bhttp::async_read_some(stream_, buffer_, parser, kNoThrow);
        if (rec) {
          co_return co_await RespondToReadError(rec);
        }
      }
      stream_.expires_never();

      BeastRequest message = parser.release();
      const unsigned version = message.version();
      const bool head = message.method() == bhttp::verb::head;
      const bool keep_alive = message.keep_alive();
      const Request request = ToRequest(std::move(message), remote_address_);
      Response response = co_await AsyncCallHandler(server_.pool(), server_.handler(), request,
                                                    asio::use_awaitable);
      if (response.stream) {
        std::shared_ptr<BodyStream> body = std::move(response.stream);
        if (response.status == 200 && !head) {
          co_await ServeStream(std::move(response), version, std::move(body));
          co_return false;
        }
        body->Close();
      }
      BeastResponse out =
          ToBeastResponse(std::move(response), version, keep_alive && !server_.stopping(), head);
      stream_.expires_after(kWriteTimeout);
      auto [wec, wn] = co_await bhttp::async_write(stream_, out, kNoThrow);
      if (wec) {
        co_return false;
      }
      if (!out.keep_alive()) {
        co_return true;
      }
    }
  }

  // Writes the headers of `response`, then every piece of `body` until it ends, the client is
  // gone or the server stops. The connection closes afterwards.
  asio::awaitable<void> ServeStream(Response response, unsigned version,
                                    std::shared_ptr<BodyStream> body) {
    body_stream_ = body;
    BeastResponse out = ToBeastResponse(std::move(response), version, false, false, true);
    stream_.expires_after(kWriteTimeout);
    auto [ec, n] = co_await bhttp::async_write(stream_, out, kNoThrow);
    while (!ec && !server_.stopping()) {
      std::optional<std::string> piece = co_await AsyncNextPiece(*body, asio::use_awaitable);
      if (!piece.has_value() || server_.stopping()) {
        break;
      }
      stream_.expires_after(kWriteTimeout);
      std::tie(ec, n) = co_await asio::async_write(stream_, asio::buffer(*piece), kNoThrow);
    }
    stream_.expires_never();
    body->Close();
    body_stream_.reset();
  }

  // Answers a request that could not be read, if the client can still be told anything.
  // Returns true when a response was written.
  asio::awaitable<bool> RespondToReadError(beast::error_code ec) {
    Response response;
    if (ec == bhttp::error::body_limit) {
      response = Problem(
          413, "Payload Too Large",
          "request body exceeds " + std::to_string(server_.options().max_body_bytes) + " bytes");
    } else if (ec == bhttp::error::header_limit) {
      response = Problem(431, "Request Header Fields Too Large",
                         "request header exceeds " + std::to_string(kHeaderLimit) + " bytes");
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      response = Problem(400, "Bad Request", "malformed HTTP request: " + ec.message());
    } else {
      co_return false;  // Closed, reset, timed out or cancelled: nobody to answer.
    }
    BeastResponse out = ToBeastResponse(std::move(response), 11, false, false);
    stream_.expires_after(kWriteTimeout);
    auto [wec, wn] = co_await bhttp::async_write(stream_, out, kNoThrow);
    co_return !wec;
  }

  asio::awaitable<void> Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      co_return;
    }
    std::array<char, 8192> scratch;
    std::size_t total = 0;
    stream_.expires_after(kLingerTimeout);
    while (total < kLingerMaxBytes) {
      auto [rec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kNoThrow);
      if (rec) {
        break;
      }
      total += n;
    }
  }

  ServerCore& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_address_;
  bool idle_ = false;                        // Waiting for the next request header.
  std::shared_ptr<BodyStream> body_stream_;  // While a streamed response is being written.
};

Status ServerCore::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mu_);
  SF_CHECK(!started_);
  if (options_.io_threads < 1) {
    return Status::InvalidArgument("io_threads", "must be at least 1");
  }
  if (options_.worker_threads < 1) {
    return Status::InvalidArgument("worker_threads", "must be at least 1");
  }
  if (options_.port < 0 || options_.port > 65535) {
    return Status::InvalidArgument("port", "must be between 0 and 65535");
  }

  const std::string address = options_.host + ":" + std::to_string(options_.port);
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  const auto endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status::Unavailable("cannot resolve " + address + ": " + ec.message());
  }
  for (const auto& entry : endpoints) {
    tcp::acceptor acceptor(acceptor_strand_);
    const tcp::endpoint endpoint = entry.endpoint();
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
      acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor.bind(endpoint, ec);
    }
    if (!ec) {
      acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (!ec) {
      port_ = acceptor.local_endpoint(ec).port();
    }
    if (!ec) {
      acceptor_.emplace(std::move(acceptor));
      break;
    }
  }
  if (!acceptor_) {
    return Status::Unavailable("cannot listen on " + address + ": " + ec.message());
  }

  pool_.emplace(static_cast<std::size_t>(options_.worker_threads));
  asio::co_spawn(acceptor_strand_, AcceptLoop(),
                 [](std::exception_ptr e) { LogCoroutineFailure("accept", e); });
  io_threads_.reserve(static_cast<std::size_t>(options_.io_threads));
  for (int i = 0; i < options_.io_threads; ++i) {
    io_threads_.emplace_back([this] { RunIo(); });
  }
  started_ = true;
  return Status::Ok();
}

void ServerCore::RunIo() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "io thread caught an exception", {{"error", e.what()}});
    } catch (...) {
      Log(LogLevel::kError, "io thread caught an exception", {{"error", "unknown"}});
    }
  }
}

asio::awaitable<void> ServerCore::AcceptLoop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_->async_accept(asio::make_strand(ioc_), kNoThrow);
    if (stopping() || !acceptor_->is_open()) {
      co_return;
    }
    if (ec) {
      // E.g. out of file descriptors: back off instead of spinning.
      Log(LogLevel::kWarn, "accept failed", {{"error", ec.message()}});
      asio::steady_timer timer(acceptor_strand_, kAcceptRetryDelay);
      co_await timer.async_wait(kNoThrow);
      continue;
    }
    try {
      auto session = std::make_shared<Session>(*this, std::move(socket));
      if (!Register(session)) {
        co_return;
      }
      auto executor = session->executor();
      asio::co_spawn(executor, Session::Run(std::move(session)),
                     [](std::exception_ptr e) { LogCoroutineFailure("connection", e); });
    } catch (const std::exception& e) {
      // Losing one connection (e.g. to bad_alloc) must not stop the accept loop.
      Log(LogLevel::kError, "could not start a connection", {{"error", e.what()}});
    }
  }
}

bool ServerCore::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  if (stopping_.load(std::memory_order_relaxed)) {
    return false;
  }
  sessions_.emplace(session.get(), session);
  return true;
}

void ServerCore::Unregister(Session* session) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  sessions_.erase(session);
}

void ServerCore::Stop() {
  std::lock_guard<std::mutex> lock(lifecycle_mu_);
  if (!started_ || stopped_) {
    return;
  }
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> sessions_lock(sessions_mu_);
    stopping_.store(true, std::memory_order_release);
    sessions.reserve(sessions_.size());
    for (auto& [ptr, weak] : sessions_) {
      if (auto session = weak.lock()) {
        sessions.push_back(std::move(session));
      }
    }
  }
  asio::post(acceptor_strand_, [this] {
    beast::error_code ec;
    acceptor_->close(ec);
  });
  // A session that is busy sees stopping() after its current response and closes then.
  for (auto& session : sessions) {
    auto executor = session->executor();
    asio::post(executor, [session = std::move(session)] { session->CloseIfIdle(); });
  }
  // io_context::run returns once the acceptor and every connection are gone.
  for (std::thread& thread : io_threads_) {
    thread.join();
  }
  io_threads_.clear();
  pool_->join();
  stopped_ = true;
}

}  // namespace

class Server::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

Status Server::Start() { return impl_->Start(); }

int Server::port() const { return impl_->port(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace steadfast::http
