#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/message.h"

namespace steadfast::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                           // 0 picks a free port; see Server::port().
  int io_threads = 2;                        // Threads that run the network event loop.
  int worker_threads = 32;                   // Threads that run handlers (handlers may block).
  size_t max_body_bytes = 10 * 1024 * 1024;  // Larger bodies get 413 before the handler runs.
};

// Runs on a worker thread; may block (e.g. waiting for a durable commit). Must not throw.
using Handler = std::function<Response(const Request&)>;

// An HTTP/1.1 server with keep-alive, and streamed responses (Response::stream) that wait on the
// network threads, not on a worker. The network library (Boost.Beast) stays inside server.cc.
// Thread-safety: Start is called once, from the owner. Stop may be called from any thread except
// a handler or server thread (it joins them), and concurrent calls are safe.
class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();  // Stops if running.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on background threads. Unavailable if the address cannot be bound;
  // InvalidArgument for bad thread counts or port.
  [[nodiscard]] Status Start();
  // The bound port (after Start).
  int port() const;
  // Graceful stop: stops accepting, lets in-flight requests finish and their responses be
  // written, closes every streamed response (BodyStream::Close), then joins all threads.
  // Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace steadfast::http
