// BodySource: a pull-based stream of request body bytes. Implementations wrap the socket
// (gateway/http_server), aws-chunked decoding, or hash verification. Not thread-safe.
#pragma once

#include <cstddef>

#include "absl/status/statusor.h"

namespace sb::gateway {

class BodySource {
 public:
  virtual ~BodySource() = default;
  // Reads up to `max` bytes into `buf`. Returns 0 only at the end of the body.
  // Errors carry an ErrorReason (kIncompleteBody, kSignatureDoesNotMatch, ...).
  virtual absl::StatusOr<size_t> Read(char* buf, size_t max) = 0;
};

}  // namespace sb::gateway
