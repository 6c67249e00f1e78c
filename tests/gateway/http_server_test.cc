// HttpServer over real loopback sockets: keep-alive, Expect: 100-continue, chunked bodies,
// malformed and oversized requests, idle timeouts, and Drain. The client side is raw POSIX
// sockets so the bytes on the wire are exactly what each test says.
#include "gateway/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

// Echoes the request: method, target, declared length and the body it read. Special
// targets: /noread answers without reading the body; /block waits until released.
class TestHandler final : public HttpHandler {
 public:
  void Handle(const HttpRequestHead& head, BodySource& body, ResponseWriter& out) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_;
      targets_.push_back(head.target);
    }
    if (head.target.starts_with("/gate")) {
      // A completion gate (fail-closed auditing): "/gate-fail*" refuses to complete.
      const bool fail = head.target.find("fail") != std::string::npos;
      out.SetCompletionGate([this, fail]() -> absl::Status {
        std::lock_guard<std::mutex> lock(mu_);
        ++gate_runs_;
        return fail ? absl::UnavailableError("audit record not durable") : absl::OkStatus();
      });
      if (head.target == "/gate-fail-empty") {
        EXPECT_FALSE(out.WriteHead(204, {}, 0).ok());
        return;
      }
    }
    if (head.target == "/block") {
      std::unique_lock<std::mutex> lock(mu_);
      blocked_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return released_; });
    }
    std::string received;
    if (head.target != "/noread") {
      char buf[4096];
      for (;;) {
        auto n = body.Read(buf, sizeof(buf));
        if (!n.ok()) {
          std::string msg = std::string(n.status().message());
          (void)out.WriteHead(400, {{"X-Error", "body"}}, msg.size());
          (void)out.WriteBody(msg);
          return;
        }
        if (*n == 0) break;
        received.append(buf, *n);
      }
    }
    HeaderList headers = {
        {"X-Method", head.method},
        {"X-Target", head.target},
        {"X-Content-Length",
         head.content_length ? absl::StrCat(*head.content_length) : std::string("none")},
        {"X-Chunked", head.chunked ? "1" : "0"}};
    if (const auto* v = head.Header("x-test")) headers.emplace_back("X-Test", *v);
    std::string reply = head.target == "/size" ? absl::StrCat(received.size()) : received;
    if (!out.WriteHead(200, headers, reply.size()).ok()) return;
    (void)out.WriteBody(reply);
  }

  void WaitBlocked() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return blocked_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int gate_runs() {
    std::lock_guard<std::mutex> lock(mu_);
    return gate_runs_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int requests_ = 0;
  int gate_runs_ = 0;
  std::vector<std::string> targets_;
  bool blocked_ = false;
  bool released_ = false;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A blocking client socket with a receive timeout, so a broken server fails the test
// instead of hanging it.
class Client {
 public:
  explicit Client(const std::string& address) {
    std::vector<std::string> parts = absl::StrSplit(address, ':');
    int port = 0;
    EXPECT_TRUE(absl::SimpleAtoi(parts.back(), &port));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (head + Content-Length body). status 0 if the connection ended.
  Response Read() {
    Response r;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return r;
    }
    std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::vector<std::string> lines = absl::StrSplit(head, "\r\n");
    std::vector<std::string> status_line = absl::StrSplit(lines[0], ' ');
    if (status_line.size() < 2 || !absl::SimpleAtoi(status_line[1], &r.status)) return r;
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t colon = lines[i].find(':');
      if (colon == std::string::npos) continue;
      std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
      r.headers[name] = std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    }
    size_t length = 0;
    if (r.headers.count("content-length")) {
      EXPECT_TRUE(absl::SimpleAtoi(r.headers["content-length"], &length));
    }
    while (buffer_.size() < length) {
      if (!Fill()) break;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
    return r;
  }

  // True if the server closed the connection (EOF or reset) with nothing more to read.
  bool Closed() {
    if (!buffer_.empty()) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n == 1) buffer_.push_back(c);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  // Bytes already buffered or immediately readable (non-blocking peek).
  bool HasPendingData() {
    if (!buffer_.empty()) return true;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  }

 private:
  bool Fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(const std::string& target, const std::string& extra = "") {
  return absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: test\r\n", extra, "\r\n");
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    auto server = HttpServer::Start(options, &handler_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }
  void SetUp() override { Start(); }
  void TearDown() override {
    handler_.Release();
    server_.reset();
  }

  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, BindsAnEphemeralPort) {
  const std::string addr = server_->BoundAddress();
  EXPECT_TRUE(absl::StartsWith(addr, "127.0.0.1:")) << addr;
  EXPECT_NE(addr, "127.0.0.1:0");
}

TEST_F(HttpServerTest, KeepAliveReusesTheConnection) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/one", "X-Test: a\r\n")));
  Response r1 = c.Read();
  EXPECT_EQ(r1.status, 200);
  EXPECT_EQ(r1.Header("x-target"), "/one");
  EXPECT_EQ(r1.Header("x-test"), "a");
  EXPECT_EQ(r1.Header("x-content-length"), "none");  // no Content-Length header
  EXPECT_EQ(r1.Header("x-chunked"), "0");
  EXPECT_EQ(r1.Header("connection"), "keep-alive");
  ASSERT_TRUE(c.Send(Get("/two?x=1")));
  Response r2 = c.Read();
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(r2.Header("x-target"), "/two?x=1");
  EXPECT_EQ(server_->OpenConnections(), 1u);
  EXPECT_EQ(handler_.requests(), 2);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(
      c.Send(Get("/a") + "PUT /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz" + Get("/c")));
  Response a = c.Read();
  Response b = c.Read();
  Response cc = c.Read();
  EXPECT_EQ(a.Header("x-target"), "/a");
  EXPECT_EQ(b.Header("x-target"), "/b");
  EXPECT_EQ(b.Header("x-method"), "PUT");
  EXPECT_EQ(b.body, "xyz");
  EXPECT_EQ(cc.Header("x-target"), "/c");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send(Get("/x", "Connection: close\r\n")));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, Http10ClosesByDefault) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send("GET /old HTTP/1.0\r\n\r\n"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, ExpectContinue) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(
      c.Send("PUT /obj HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"));
  // The interim response arrives before any body byte was sent.
  Response interim = c.Read();
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(c.Send("hello world"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
  EXPECT_EQ(r.Header("x-content-length"), "11");
  EXPECT_EQ(r.Header("connection"), "keep-alive");
  // And the connection is still usable.
  ASSERT_TRUE(c.Send(Get("/after")));
  EXPECT_EQ(c.Read().Header("x-target"), "/after");
}

// botocore sends Expect with empty PUTs too; without the 100 it desyncs keep-alive.
TEST_F(HttpServerTest, ExpectContinueWithAnEmptyBody) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send(
      "PUT /empty HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 100);
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-content-length"), "0");
  EXPECT_EQ(r.Header("connection"), "keep-alive");
  ASSERT_TRUE(c.Send("PUT /second HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok"));
  Response second = c.Read();
  EXPECT_EQ(second.Header("x-target"), "/second");
  EXPECT_EQ(second.body, "ok");
}

TEST_F(HttpServerTest, ExpectContinueWithoutReadingTheBodyClosesTheConnection) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send(
      "PUT /noread HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  // No 100 Continue: the final answer comes first, and the body is never expected.
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, UnreadBodyClosesTheConnection) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send("PUT /noread HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, ChunkedBody) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(
      c.Send("PUT /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n"
             "6;ext=1\r\n world\r\n"
             "0\r\nX-Trailer: t\r\n\r\n"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
  EXPECT_EQ(r.Header("x-content-length"), "none");
  EXPECT_EQ(r.Header("x-chunked"), "1");
  EXPECT_EQ(r.Header("connection"), "keep-alive");
  ASSERT_TRUE(c.Send(Get("/next")));
  EXPECT_EQ(c.Read().Header("x-target"), "/next");
}

TEST_F(HttpServerTest, LargeBodyIsStreamed) {
  const std::string body(3 << 20, 'z');
  Client c(server_->BoundAddress());
  std::promise<bool> sent;
  std::thread writer([&] {
    sent.set_value(c.Send(absl::StrCat(
        "PUT /size HTTP/1.1\r\nHost: t\r\nContent-Length: ", body.size(), "\r\n\r\n", body)));
  });
  Response r = c.Read();
  writer.join();
  EXPECT_TRUE(sent.get_future().get());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, absl::StrCat(body.size()));
}

TEST_F(HttpServerTest, TruncatedBodyFailsTheRead) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send("PUT /obj HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nshort"));
  c.ShutdownWrite();  // the server sees EOF in the middle of the body
  Response r = c.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("x-error"), "body");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, OversizedHeaderSectionIs400) {
  Client c(server_->BoundAddress());
  std::string big = Get("/big", "X-Big: " + std::string(20000, 'a') + "\r\n");
  ASSERT_TRUE(c.Send(big));
  Response r = c.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("RequestHeaderSectionTooLarge"), std::string::npos) << r.body;
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_EQ(handler_.requests(), 0);
  // The server keeps serving.
  Client next(server_->BoundAddress());
  ASSERT_TRUE(next.Send(Get("/ok")));
  EXPECT_EQ(next.Read().status, 200);
}

TEST_F(HttpServerTest, GarbageRequestLineIs400AndOthersKeepWorking) {
  Client before(server_->BoundAddress());
  ASSERT_TRUE(before.Send(Get("/before")));
  EXPECT_EQ(before.Read().status, 200);

  for (const char* garbage :
       {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
        "\x01\x02\x03 / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    Client bad(server_->BoundAddress());
    ASSERT_TRUE(bad.Send(garbage));
    Response r = bad.Read();
    EXPECT_EQ(r.status, 400) << garbage;
    EXPECT_TRUE(bad.Closed()) << garbage;
  }
  EXPECT_EQ(handler_.requests(), 1);
  // The connection opened before the garbage still works, and so do new ones.
  ASSERT_TRUE(before.Send(Get("/after")));
  EXPECT_EQ(before.Read().Header("x-target"), "/after");
  Client fresh(server_->BoundAddress());
  ASSERT_TRUE(fresh.Send(Get("/fresh")));
  EXPECT_EQ(fresh.Read().status, 200);
}

TEST_F(HttpServerTest, AmbiguousBodyFramingIs400) {
  // Request smuggling shapes (RFC 9112 6.1, 6.3): never guess where the body ends.
  for (const char* req : {"PUT /x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
                          "\r\n\r\n0\r\n\r\n",
                          "PUT /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
                          "hello!",
                          "PUT /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                          "PUT /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"}) {
    Client c(server_->BoundAddress());
    ASSERT_TRUE(c.Send(req));
    Response r = c.Read();
    EXPECT_EQ(r.status, 400) << req;
    EXPECT_TRUE(c.Closed()) << req;
  }
  EXPECT_EQ(handler_.requests(), 0);
}

TEST_F(HttpServerTest, CompletionGatePassing) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send("PUT /gate-ok HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.Header("connection"), "keep-alive");
  EXPECT_EQ(handler_.gate_runs(), 1);
}

// Fail-closed: a response whose gate fails never completes; the client sees a short body
// (never a complete-looking one) and the connection closes.
TEST_F(HttpServerTest, CompletionGateFailingWithholdsTheLastByte) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send("PUT /gate-fail HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  Response r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-length"), "5");
  EXPECT_EQ(r.body, "hell");
  EXPECT_TRUE(c.Closed());
  EXPECT_EQ(handler_.gate_runs(), 1);
}

TEST_F(HttpServerTest, CompletionGateFailingWithholdsABodylessResponse) {
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send(Get("/gate-fail-empty")));
  Response r = c.Read();
  EXPECT_EQ(r.status, 0);  // not even the status line
  EXPECT_TRUE(c.Closed());
  EXPECT_EQ(handler_.gate_runs(), 1);
}

TEST_F(HttpServerTest, ClientThatConnectsAndLeavesIsNotAnError) {
  {
    Client gone(server_->BoundAddress());
    ASSERT_TRUE(gone.connected());
  }
  Client c(server_->BoundAddress());
  ASSERT_TRUE(c.Send(Get("/x")));
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_EQ(handler_.requests(), 1);
}

TEST_F(HttpServerTest, DrainClosesIdleConnectionsAndWaitsForInFlightRequests) {
  Client idle(server_->BoundAddress());
  ASSERT_TRUE(idle.Send(Get("/first")));
  ASSERT_EQ(idle.Read().status, 200);  // now idle in keep-alive

  Client busy(server_->BoundAddress());
  ASSERT_TRUE(busy.Send(Get("/block")));
  handler_.WaitBlocked();

  std::atomic<bool> drained{false};
  size_t left = 99;
  std::thread drainer([&] {
    left = server_->Drain(absl::Seconds(30));
    drained = true;
  });
  // The idle connection is closed by the server without a response.
  EXPECT_TRUE(idle.Closed());
  // The in-flight request holds Drain until it finishes.
  EXPECT_FALSE(drained.load());
  EXPECT_FALSE(busy.HasPendingData());
  handler_.Release();
  Response r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-target"), "/block");
  EXPECT_EQ(r.Header("connection"), "close");  // no reuse while draining
  EXPECT_TRUE(busy.Closed());
  drainer.join();
  EXPECT_TRUE(drained.load());
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(server_->OpenConnections(), 0u);
  // No new connections are served after Drain.
  Client late(server_->BoundAddress());
  if (late.connected()) {
    late.Send(Get("/late"));
    EXPECT_EQ(late.Read().status, 0);
  }
  EXPECT_EQ(handler_.requests(), 2);
}

TEST_F(HttpServerTest, DrainTimesOutWhileARequestIsStuck) {
  Client busy(server_->BoundAddress());
  ASSERT_TRUE(busy.Send(Get("/block")));
  handler_.WaitBlocked();
  EXPECT_EQ(server_->Drain(absl::Milliseconds(50)), 1u);
  handler_.Release();
  EXPECT_EQ(busy.Read().status, 200);
  EXPECT_EQ(server_->Drain(absl::Seconds(30)), 0u);
}

TEST(HttpServerOptionsTest, IdleConnectionsTimeOut) {
  TestHandler handler;
  HttpServerOptions options;
  options.port = 0;
  options.idle_timeout = absl::Milliseconds(200);
  auto server = HttpServer::Start(options, &handler);
  ASSERT_TRUE(server.ok()) << server.status();
  // Silent after connecting, and silent in the middle of a request head (slowloris).
  Client silent((*server)->BoundAddress());
  Client partial((*server)->BoundAddress());
  ASSERT_TRUE(partial.Send("GET /slow HTTP/1.1\r\nHost: t\r\n"));
  EXPECT_TRUE(silent.Closed());
  Response r = partial.Read();
  EXPECT_TRUE(r.status == 0 || r.status == 400) << r.status;
  EXPECT_EQ(handler.requests(), 0);
  EXPECT_EQ((*server)->Drain(absl::Seconds(10)), 0u);
}

TEST(HttpServerOptionsTest, ConnectionsOverTheLimitGetSlowDown) {
  TestHandler handler;
  HttpServerOptions options;
  options.port = 0;
  options.max_connections = 1;
  auto server = HttpServer::Start(options, &handler);
  ASSERT_TRUE(server.ok()) << server.status();
  Client first((*server)->BoundAddress());
  ASSERT_TRUE(first.Send(Get("/one")));
  ASSERT_EQ(first.Read().status, 200);  // accepted and now idle, holding the only slot
  Client second((*server)->BoundAddress());
  Response r = second.Read();
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("<Code>SlowDown</Code>"), std::string::npos) << r.body;
  EXPECT_TRUE(second.Closed());
  // The first connection is unaffected.
  ASSERT_TRUE(first.Send(Get("/two")));
  EXPECT_EQ(first.Read().status, 200);
  EXPECT_EQ(handler.requests(), 2);
}

TEST(HttpServerOptionsTest, UnusableAddressFails) {
  TestHandler handler;
  HttpServerOptions options;
  options.host = "not-an-ip";
  options.port = 0;
  EXPECT_FALSE(HttpServer::Start(options, &handler).ok());
  options.host = "127.0.0.1";
  auto first = HttpServer::Start(options, &handler);
  ASSERT_TRUE(first.ok());
  std::vector<std::string> parts = absl::StrSplit((*first)->BoundAddress(), ':');
  ASSERT_TRUE(absl::SimpleAtoi(parts.back(), &options.port));
  EXPECT_FALSE(HttpServer::Start(options, &handler).ok());  // port in use
}

}  // namespace
}  // namespace sb::gateway
