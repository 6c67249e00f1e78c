// HttpServer: accepts HTTP/1.1 connections and hands each request to an HttpHandler as a
// transport-neutral head, a streaming BodySource and a ResponseWriter. This header is
// Beast-free; Boost.Beast/Asio live only in http_server.cc.
//
// Concurrency: one thread per connection (bounded by max_connections). Handlers do
// blocking disk and RocksDB I/O, so a connection thread is the simplest correct model;
// see docs/adr/001-thread-per-connection.md. Handler must be thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/body_source.h"
#include "gateway/http_types.h"

namespace sb::gateway {

class TlsContext;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Handles one request; must write a complete response through `out` (unless the
  // connection failed). May leave part of `body` unread: the server then closes the
  // connection after the response.
  virtual void Handle(const HttpRequestHead& head, BodySource& body, ResponseWriter& out) = 0;
  // Told about a request the server refused before it could be parsed (malformed HTTP, a
  // header section over the limit, a stalled head, the connection limit), after `status`
  // and the S3 error `code` were sent, so the refusal can still be audited.
  virtual void Refused(const std::string& remote_ip, int status, std::string_view code) {
    (void)remote_ip, (void)status, (void)code;
  }
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 9000;  // 0 picks a free port
  size_t max_connections = 2048;
  size_t max_header_bytes = 16 * 1024;  // header section limit, like AWS's 8 KiB + slack
  absl::Duration idle_timeout = absl::Seconds(60);  // socket read/write inactivity
  // HTTPS when set: every connection handshakes with the context current at accept time
  // (so TlsContext::Reload affects new connections only). Must outlive the server.
  const TlsContext* tls = nullptr;
};

class HttpServer {
 public:
  virtual ~HttpServer() = default;

  // Binds and starts accepting on a background thread. Fails if the address is unusable.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           HttpHandler* handler);

  // "IP:PORT" actually bound (useful with port 0).
  virtual std::string BoundAddress() const = 0;

  // Stops accepting, closes idle keep-alive connections, and waits up to `timeout` for
  // in-flight requests to finish. Returns the number of connections still open.
  virtual size_t Drain(absl::Duration timeout) = 0;

  virtual size_t OpenConnections() const = 0;
};

}  // namespace sb::gateway
