// Turns an admin API response into an absl::Status, extracting the server's error Code and
// Message from an S3 XML <Error> body or a JSON {"Code","Message"} body. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/sbctl/admin_client.h"

namespace sb::sbctl {

// OK for a 2xx response. Otherwise an error with a one-line message such as
// "HTTP 403 SignatureDoesNotMatch: The request signature ... (request id 1A2B)". Codes:
// 400 → InvalidArgument, 401/403 → PermissionDenied, 404 → NotFound, 405/501 → Unimplemented,
// 409/412 → FailedPrecondition, 429/503 → Unavailable, other 5xx → Internal, else Unknown.
absl::Status StatusFromResponse(const Response& response);

// Makes server- or user-supplied text safe to print on one terminal line: control
// characters become spaces, runs of whitespace collapse, and it is cut at `max_len` bytes.
std::string OneLine(std::string_view text, size_t max_len = 300);

}  // namespace sb::sbctl
