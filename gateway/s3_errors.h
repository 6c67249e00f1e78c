// The one place where an absl::Status (code + ErrorReason) becomes an S3 error code and
// HTTP status. Anything without a known mapping becomes 500 InternalError.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace sb::gateway {

struct S3Error {
  int http_status = 500;
  std::string_view code = "InternalError";
  std::string message;
};

S3Error MapStatus(const absl::Status& status);

}  // namespace sb::gateway
