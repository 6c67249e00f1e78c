// The only translation unit that includes Boost.Beast / Asio.
#include "gateway/http_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "gateway/tls_context.h"

namespace sb::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using Parser = http::request_parser<http::buffer_body>;

// A connection's read buffer: Beast's largest single read (64 KiB) fits in it.
constexpr size_t kReadBufferBytes = 64 << 10;

void SetSocketOptions(tcp::socket& socket, absl::Duration timeout) {
  // SO_SNDTIMEO bounds a blocking send that found only part of the room it needs; reads
  // (and the wait for room) are bounded by TimedStream.
  timeval tv = absl::ToTimeval(timeout);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

// The socket as a Beast/Asio sync stream whose every read and write waits at most
// `timeout` for the peer. Asio's blocking operations cannot time out by themselves: on
// EAGAIN from SO_RCVTIMEO they poll again without a limit, so an idle or stalled client
// would hold its connection thread forever.
//
// With StartTls the stream speaks TLS through OpenSSL on the (then non-blocking) socket:
// every SSL_read/SSL_write that wants the socket waits for it with the same timeout.
class TimedStream {
 public:
  TimedStream(tcp::socket& socket, absl::Duration timeout)
      : socket_(socket),
        timeout_ms_(timeout == absl::InfiniteDuration()
                        ? -1
                        : static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(timeout),
                                                               1, 1 << 30))) {}

  ~TimedStream() { SSL_free(ssl_); }  // no I/O: the socket may be closed by now

  // Sends a TLS close_notify on a healthy connection (never waiting for the peer's); call
  // before closing the socket.
  void EndTls() {
    if (ssl_ != nullptr && !tls_broken_) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
    }
    tls_broken_ = true;
  }
  TimedStream(const TimedStream&) = delete;
  TimedStream& operator=(const TimedStream&) = delete;

  // Makes the socket non-blocking and runs the server side of a TLS handshake with a new
  // SSL from `ctx` (which keeps its own reference to the context). False on failure.
  bool StartTls(SSL_CTX* ctx, std::string* error) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr) return false;
    const int fd = socket_.native_handle();
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    SSL_set_fd(ssl_, fd);
    for (;;) {
      ERR_clear_error();
      int r = SSL_accept(ssl_);
      if (r == 1) return true;
      beast::error_code ec;
      int err = SSL_get_error(ssl_, r);
      if ((err == SSL_ERROR_WANT_READ && Wait(POLLIN, ec)) ||
          (err == SSL_ERROR_WANT_WRITE && Wait(POLLOUT, ec))) {
        continue;
      }
      tls_broken_ = true;
      unsigned long e = ERR_peek_error();
      *error = ec ? ec.message() : e != 0 ? ERR_reason_error_string(e) : "connection closed";
      return false;
    }
  }

  bool tls() const { return ssl_ != nullptr; }

  // Subject CN of the client certificate if the peer sent one that verified, else "".
  std::string VerifiedClientCn() const {
    if (ssl_ == nullptr || SSL_get_verify_result(ssl_) != X509_V_OK) return "";
    X509* peer = SSL_get1_peer_certificate(ssl_);
    if (peer == nullptr) return "";
    std::string cn;
    X509_NAME* subject = X509_get_subject_name(peer);
    int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index >= 0) {
      unsigned char* utf8 = nullptr;
      int len =
          ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
      if (len > 0) cn.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
      OPENSSL_free(utf8);
    }
    X509_free(peer);
    return cn;
  }

  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers, beast::error_code& ec) {
    if (ssl_ != nullptr) {
      for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
           ++it) {
        asio::mutable_buffer b = *it;
        if (b.size() > 0) return TlsIo(true, b.data(), b.size(), ec);
      }
      ec = {};
      return 0;
    }
    if (!Wait(POLLIN, ec)) return 0;
    return socket_.read_some(buffers, ec);
  }
  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers) {
    beast::error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);  // required by the concept; unused
    return n;
  }
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers, beast::error_code& ec) {
    if (ssl_ != nullptr) {
      for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
           ++it) {
        asio::const_buffer b = *it;
        if (b.size() > 0) return TlsIo(false, const_cast<void*>(b.data()), b.size(), ec);
      }
      ec = {};
      return 0;
    }
    if (!Wait(POLLOUT, ec)) return 0;
    return socket_.write_some(buffers, ec);
  }
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers) {
    beast::error_code ec;
    size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);  // required by the concept; unused
    return n;
  }

 private:
  // One SSL_read or SSL_write, waiting (bounded) whenever TLS needs the socket. A clean or
  // unannounced close reads as eof; any other failure as connection_reset.
  size_t TlsIo(bool read, void* data, size_t size, beast::error_code& ec) {
    if (tls_broken_) {
      ec = asio::error::connection_reset;
      return 0;
    }
    for (;;) {
      ERR_clear_error();
      size_t n = 0;
      int r = read ? SSL_read_ex(ssl_, data, size, &n) : SSL_write_ex(ssl_, data, size, &n);
      if (r == 1) {
        ec = {};
        return n;
      }
      int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ) {
        if (!Wait(POLLIN, ec)) return 0;
        continue;
      }
      if (err == SSL_ERROR_WANT_WRITE) {
        if (!Wait(POLLOUT, ec)) return 0;
        continue;
      }
      if (err == SSL_ERROR_ZERO_RETURN) {
        ec = asio::error::eof;
      } else {
        tls_broken_ = true;
        ec = asio::error::connection_reset;
      }
      return 0;
    }
  }

  // False with ec = timed_out if the socket did not become ready in time. Errors and
  // hang-ups count as ready: the following read/write reports them.
  bool Wait(short events, beast::error_code& ec) {
    pollfd p{socket_.native_handle(), events, 0};
    for (;;) {
      int r = ::poll(&p, 1, timeout_ms_);
      if (r > 0) return true;
      if (r == 0) {
        ec = asio::error::timed_out;
        return false;
      }
      if (errno != EINTR) {
        ec = beast::error_code(errno, boost::system::system_category());
        return false;
      }
    }
  }

  tcp::socket& socket_;
  int timeout_ms_;
  SSL* ssl_ = nullptr;
  bool tls_broken_ = false;  // after a fatal TLS error no further SSL calls (not even shutdown)
};

// Streams the request body out of the Beast parser into caller buffers.
class SocketBodySource final : public BodySource {
 public:
  SocketBodySource(TimedStream& socket, beast::flat_buffer& buffer, Parser& parser,
                   bool expect_continue)
      : socket_(socket), buffer_(buffer), parser_(parser), expect_continue_(expect_continue) {}

  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    if (max == 0) return 0;
    // Accepting the body: say so even when it is empty (Content-Length: 0). Clients such as
    // botocore otherwise mistake the final response for an early rejection and desync the
    // keep-alive connection (ceph/s3-tests and our test_empty_put_then_put_on_same_connection).
    if (expect_continue_ && !sent_continue_) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      beast::error_code ec;
      asio::write(socket_, asio::buffer(kContinue.data(), kContinue.size()), ec);
      if (ec) {
        return MakeError(absl::StatusCode::kUnavailable, ErrorReason::kIncompleteBody,
                         "connection lost");
      }
      sent_continue_ = true;
    }
    while (!parser_.is_done()) {
      parser_.get().body().data = buf;
      parser_.get().body().size = max;
      beast::error_code ec;
      http::read(socket_, buffer_, parser_, ec);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        failed_ = true;
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kIncompleteBody,
                         "request body ended early: " + ec.message());
      }
      size_t n = max - parser_.get().body().size;
      if (n > 0) return n;
    }
    return 0;
  }

  bool done() const { return parser_.is_done() && !failed_; }
  bool continue_pending() const { return expect_continue_ && !sent_continue_; }

 private:
  TimedStream& socket_;
  beast::flat_buffer& buffer_;
  Parser& parser_;
  bool expect_continue_;
  bool sent_continue_ = false;
  bool failed_ = false;
};

class SocketResponseWriter final : public ResponseWriter {
 public:
  // `draining` is asked when the head is written: a response that starts after Drain
  // began says "Connection: close", so the client does not reuse a closing connection.
  SocketResponseWriter(TimedStream& socket, const SocketBodySource& body, bool keep_alive,
                       bool is_head, std::function<bool()> draining)
      : socket_(socket),
        body_(body),
        keep_alive_(keep_alive),
        is_head_(is_head),
        draining_(std::move(draining)) {}

  absl::Status WriteHead(int status, const HeaderList& headers, uint64_t content_length) override {
    if (head_written_) return absl::InternalError("response head written twice");
    head_written_ = true;
    // A body the handler did not consume means we cannot reuse the connection; neither can
    // we after answering an Expect: 100-continue request without the 100 (the client may
    // still send the body, or mistake this answer for the interim one).
    if (!body_.done() || body_.continue_pending() || draining_()) keep_alive_ = false;
    std::string out;
    out.reserve(512);
    auto reason = http::obsolete_reason(static_cast<http::status>(status));
    absl::StrAppend(&out, "HTTP/1.1 ", status, " ", std::string(reason.data(), reason.size()),
                    "\r\n");
    for (const auto& [k, v] : headers) absl::StrAppend(&out, k, ": ", v, "\r\n");
    absl::StrAppend(&out, "Content-Length: ", content_length, "\r\n");
    absl::StrAppend(&out, "Connection: ", keep_alive_ ? "keep-alive" : "close", "\r\n\r\n");
    remaining_ = is_head_ ? 0 : content_length;
    if (remaining_ == 0) {
      absl::Status gate = PassGate();
      if (!gate.ok()) return gate;
    }
    return Send(out);
  }

  absl::Status WriteBody(std::string_view data) override {
    if (data.size() > remaining_) {
      failed_ = true;
      return absl::InternalError("response body longer than its Content-Length");
    }
    remaining_ -= data.size();
    if (remaining_ > 0 || data.empty()) return Send(data);
    // The last write: hold back its final byte until the gate passes.
    absl::Status s = Send(data.substr(0, data.size() - 1));
    if (s.ok()) s = PassGate();
    if (s.ok()) s = Send(data.substr(data.size() - 1));
    return s;
  }

  void SetCompletionGate(std::function<absl::Status()> gate) override { gate_ = std::move(gate); }
  bool head_written() const override { return head_written_; }
  // A short body (a read failed mid-stream) leaves the connection unusable.
  bool keep_alive() const { return keep_alive_ && !failed_ && remaining_ == 0; }

 private:
  absl::Status PassGate() {
    if (!gate_) return absl::OkStatus();
    absl::Status s = std::exchange(gate_, nullptr)();
    if (!s.ok()) failed_ = true;  // never complete this response; the connection closes
    return s;
  }

  absl::Status Send(std::string_view data) {
    if (failed_) return absl::UnavailableError("connection lost");
    beast::error_code ec;
    asio::write(socket_, asio::buffer(data.data(), data.size()), ec);
    if (ec) {
      failed_ = true;
      return absl::UnavailableError("write failed: " + ec.message());
    }
    return absl::OkStatus();
  }

  TimedStream& socket_;
  const SocketBodySource& body_;
  bool keep_alive_;
  bool is_head_;
  std::function<bool()> draining_;
  bool head_written_ = false;
  bool failed_ = false;
  uint64_t remaining_ = 0;
  std::function<absl::Status()> gate_;
};

void WriteSimpleError(TimedStream& socket, int status, std::string_view code) {
  std::string body =
      absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>", std::string(code),
                   "</Code><Message>", std::string(code), "</Message></Error>");
  auto reason = http::obsolete_reason(static_cast<http::status>(status));
  std::string out =
      absl::StrCat("HTTP/1.1 ", status, " ", std::string(reason.data(), reason.size()),
                   "\r\nContent-Type: application/xml\r\nContent-Length: ", body.size(),
                   "\r\nConnection: close\r\n\r\n", body);
  beast::error_code ec;
  asio::write(socket, asio::buffer(out), ec);
}

class BeastHttpServer final : public HttpServer {
 public:
  BeastHttpServer(const HttpServerOptions& options, HttpHandler* handler)
      : options_(options), handler_(handler), acceptor_(io_) {}

  ~BeastHttpServer() override {
    Drain(absl::Seconds(5));
    if (accept_thread_.joinable()) accept_thread_.join();
  }

  absl::Status Listen() {
    beast::error_code ec;
    auto addr = asio::ip::make_address(options_.host, ec);
    if (ec) return absl::InvalidArgumentError("bad listen address: " + options_.host);
    tcp::endpoint endpoint(addr, static_cast<unsigned short>(options_.port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options_.host, ":", options_.port, ": ", ec.message()));
    }
    auto local = acceptor_.local_endpoint();
    bound_ = absl::StrCat(local.address().to_string(), ":", local.port());
    accept_thread_ = std::thread([this] { AcceptLoop(); });
    return absl::OkStatus();
  }

  std::string BoundAddress() const override { return bound_; }

  size_t OpenConnections() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }

  size_t Drain(absl::Duration timeout) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!draining_) {
        draining_ = true;
        // Wakes the blocked accept(); the accept loop then exits.
        ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
        for (int fd : idle_fds_) ::shutdown(fd, SHUT_RD);
      }
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return open_ == 0; });
    return open_;
  }

 private:
  void AcceptLoop() {
    for (;;) {
      tcp::socket socket(io_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (draining_) break;
      }
      if (ec) continue;
      bool over_limit = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        over_limit = open_ >= options_.max_connections;
        if (!over_limit) ++open_;
      }
      if (over_limit) {
        // On a TLS port a plaintext answer would be garbage to the client: just close.
        if (options_.tls == nullptr) {
          TimedStream stream(socket, options_.idle_timeout);
          WriteSimpleError(stream, 503, "SlowDown");
        }
        continue;
      }
      std::thread([this, s = std::move(socket)]() mutable { Serve(std::move(s)); }).detach();
    }
    beast::error_code ec;
    acceptor_.close(ec);
  }

  // Marks the connection idle (closable by Drain) or busy. Returns false when draining.
  bool SetIdle(int fd, bool idle) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle) {
      if (draining_) return false;
      idle_fds_.insert(fd);
    } else {
      idle_fds_.erase(fd);
    }
    return true;
  }

  void Serve(tcp::socket socket) {
    SetSocketOptions(socket, options_.idle_timeout);
    TimedStream stream(socket, options_.idle_timeout);
    std::string remote;
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
    beast::flat_buffer buffer;
    // Beast reads max(512, free capacity) bytes per call (at most 64 KiB): without room here
    // a request body arrives 512 bytes per recv (~2,000 syscalls per MiB; docs/benchmarks.md).
    buffer.reserve(kReadBufferBytes);
    const int fd = socket.native_handle();
    std::string client_cn;
    bool serving = true;
    if (options_.tls != nullptr) {
      SSL_CTX* ctx = options_.tls->Acquire();
      std::string error;
      serving = stream.StartTls(ctx, &error);
      SSL_CTX_free(ctx);  // the connection's SSL holds its own reference
      if (serving) {
        client_cn = stream.VerifiedClientCn();
      } else {
        Log(LogLevel::kDebug, "TLS handshake failed", {{"remote", remote}, {"error", error}});
      }
    }
    while (serving) {
      if (!SetIdle(fd, true)) break;
      Parser parser;
      parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      parser.body_limit(std::numeric_limits<uint64_t>::max());
      http::read_header(stream, buffer, parser, ec);
      if (!SetIdle(fd, false) && !ec) {
        // Draining began while headers arrived: still serve this request, then close.
      }
      if (ec) {
        if (ec == http::error::header_limit) {
          WriteSimpleError(stream, 400, "RequestHeaderSectionTooLarge");
          handler_->Refused(remote, 400, "RequestHeaderSectionTooLarge");
        } else if (ec == asio::error::timed_out) {
          // S3's answer to a client that stalls mid-request; an idle one is just closed.
          if (buffer.size() > 0) {
            WriteSimpleError(stream, 400, "RequestTimeout");
            handler_->Refused(remote, 400, "RequestTimeout");
          }
        } else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                   ec != asio::error::connection_reset && buffer.size() > 0) {
          WriteSimpleError(stream, 400, "BadRequest");
          handler_->Refused(remote, 400, "BadRequest");
        }
        break;
      }
      if (!ServeOne(stream, buffer, parser, remote, client_cn)) break;
    }
    stream.EndTls();
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    cv_.notify_all();
  }

  // Returns true if the connection can serve another request.
  bool ServeOne(TimedStream& socket, beast::flat_buffer& buffer, Parser& parser,
                const std::string& remote, const std::string& client_cn) {
    const auto& req = parser.get();
    HttpRequestHead head;
    head.method = std::string(req.method_string());
    head.target = std::string(req.target());
    head.remote_ip = remote;
    head.tls = socket.tls();
    head.tls_client_cn = client_cn;
    head.headers.reserve(16);
    for (const auto& field : req) {
      std::string name(field.name_string());
      absl::AsciiStrToLower(&name);
      head.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    // No length and not chunked means no body (RFC 9112 6.3); content_length stays unset
    // so handlers that require the header can say so (411 MissingContentLength).
    head.chunked = req.chunked();
    if (!head.chunked) {
      if (auto len = parser.content_length()) head.content_length = *len;
    }
    bool expect_continue = false;
    if (const auto* expect = head.Header("expect")) {
      expect_continue = absl::EqualsIgnoreCase(*expect, "100-continue");
    }
    SocketBodySource body(socket, buffer, parser, expect_continue);
    SocketResponseWriter writer(socket, body, req.keep_alive(), head.method == "HEAD", [this] {
      std::lock_guard<std::mutex> lock(mu_);
      return draining_;
    });
    handler_->Handle(head, body, writer);
    if (!writer.head_written()) return false;
    return writer.keep_alive() && body.done();
  }

  HttpServerOptions options_;
  HttpHandler* handler_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::string bound_;
  std::thread accept_thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t open_ = 0;
  bool draining_ = false;
  std::set<int> idle_fds_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              HttpHandler* handler) {
  if (options.tls != nullptr) {
    // OpenSSL writes with write(2), not send(MSG_NOSIGNAL) as Asio does: a peer that is
    // gone must give EPIPE, not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
  }
  auto server = std::make_unique<BeastHttpServer>(options, handler);
  absl::Status s = server->Listen();
  if (!s.ok()) return s;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace sb::gateway
