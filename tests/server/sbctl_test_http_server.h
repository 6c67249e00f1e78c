// A tiny blocking HTTP/1.1 server on 127.0.0.1:0 for sbctl tests: it records every request
// and answers each with a canned response (Connection: close). Runs one accept thread;
// all public methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace sb::sbctl::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                                        // as sent: path plus "?query"
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string raw;  // the complete request bytes

  std::optional<std::string> Header(std::string_view name) const;
  std::string Path() const;   // target before '?'
  std::string Query() const;  // target after '?', or ""
};

struct CannedResponse {
  int status = 200;
  std::string reason = "OK";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class TestHttpServer {
 public:
  // Binds and starts serving; aborts the test binary if the socket cannot be set up.
  TestHttpServer();
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  void SetResponse(CannedResponse response);
  // When silent, requests are recorded but never answered (until destruction).
  void SetSilent(bool silent);
  std::vector<RecordedRequest> requests() const;

 private:
  void Serve();
  void HandleConnection(int fd);

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::condition_variable stopped_cv_;
  CannedResponse response_;
  bool silent_ = false;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int UnusedLoopbackPort();

}  // namespace sb::sbctl::testing
