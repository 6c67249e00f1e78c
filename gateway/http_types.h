// Transport-neutral HTTP request head and response writer. The Beast-based server
// (http_server.cc) implements them; everything else in the gateway sees only these types,
// which keeps Beast/Asio templates out of all but one translation unit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace sb::gateway {

// Header names are lowercased; repeated headers keep their order.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestHead {
  std::string method;  // "GET", ...
  std::string target;  // raw request target: path[?query], still percent-encoded
  HeaderList headers;
  std::string remote_ip;
  bool tls = false;
  // Subject CN of the client certificate, when the TLS peer presented one that verified
  // against --tls-client-ca (mutual TLS); empty otherwise.
  std::string tls_client_cn;
  // Body length from Content-Length; nullopt when absent (or Transfer-Encoding chunked).
  std::optional<uint64_t> content_length;
  bool chunked = false;  // Transfer-Encoding: chunked (decoded by the server)

  // First value of `name` (lowercase), or nullptr.
  const std::string* Header(std::string_view name) const;
};

// Writes one response. WriteHead once, then WriteBody any number of times with exactly
// content_length bytes in total (none for HEAD requests). Not thread-safe.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual absl::Status WriteHead(int status, const HeaderList& headers,
                                 uint64_t content_length) = 0;
  virtual absl::Status WriteBody(std::string_view data) = 0;
  virtual bool head_written() const = 0;
  // Runs `gate` just before the response would become complete for the client (before its
  // last byte, or before a body-less head). If the gate fails, the response is never
  // completed: the connection is closed short. This is how fail-closed auditing holds a
  // response until its audit record is durable.
  virtual void SetCompletionGate(std::function<absl::Status()> gate) = 0;
};

}  // namespace sb::gateway
