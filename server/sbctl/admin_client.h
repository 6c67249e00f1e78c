// AdminClient: sbctl's HTTP client for one alias. Every request is signed with AWS SigV4
// (region us-east-1, service s3) by libcurl's CURLOPT_AWS_SIGV4 — an implementation that is
// independent of the server's verifier, so sbctl doubles as a cross-check of it.
// Not thread-safe: use one AdminClient per thread. Movable, not copyable.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/sbctl/config_store.h"

namespace sb::sbctl {

struct Response {
  int status = 0;  // HTTP status code
  std::string body;
  // In arrival order, names lowercased, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;

  // First value of header `name` (any case), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

struct ClientOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{60};  // whole request; zero means no limit
  bool insecure_tls = false;         // skip TLS certificate verification
  std::string ca_cert;               // PEM CA bundle to verify with; empty: the system's
  size_t max_response_bytes = 64 << 20;
};

class AdminClient {
 public:
  explicit AdminClient(Alias alias, ClientOptions options = {});
  ~AdminClient();
  AdminClient(AdminClient&&) noexcept;
  AdminClient& operator=(AdminClient&&) noexcept;

  const Alias& alias() const { return alias_; }

  // Sends `method` to alias URL + `target` ("/path[?query]", path already URI-encoded).
  // Any HTTP status is a successful Response (see StatusFromResponse). Returns
  // InvalidArgument for a malformed target, Unavailable if the server cannot be reached,
  // DeadlineExceeded on timeout, ResourceExhausted if the body exceeds max_response_bytes.
  absl::StatusOr<Response> Send(std::string_view method, std::string_view target,
                                std::string_view body = {},
                                std::string_view content_type = "application/json");

  absl::StatusOr<Response> Get(std::string_view target) { return Send("GET", target); }
  absl::StatusOr<Response> Delete(std::string_view target) { return Send("DELETE", target); }
  absl::StatusOr<Response> Post(std::string_view target, std::string_view body = {}) {
    return Send("POST", target, body);
  }
  absl::StatusOr<Response> Put(std::string_view target, std::string_view body = {}) {
    return Send("PUT", target, body);
  }

 private:
  struct CurlHandle;
  Alias alias_;
  ClientOptions options_;
  std::unique_ptr<CurlHandle> curl_;  // reused across requests for keep-alive
};

}  // namespace sb::sbctl
