// S3Request: the parsed, immutable view of one request (operation, bucket, key, query,
// headers). Produced by the Parse stage; read by every later stage.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/http_types.h"
#include "gateway/s3_router.h"

namespace sb::gateway {

struct S3Request {
  const HttpRequestHead* http = nullptr;
  std::string request_id;
  std::string raw_path;   // percent-encoded, as on the request line
  std::string raw_query;  // after '?', percent-encoded
  std::string bucket;     // decoded
  std::string key;        // decoded; may be empty, may end in '/'
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Operation op = Operation::kUnknown;

  const std::string* Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const { return Query(name) != nullptr; }
  const std::string* Header(std::string_view name) const { return http->Header(name); }
  // S3 resource string used in error bodies: "/bucket/key".
  std::string Resource() const;
};

// Parses the request target. InvalidArgument(kInvalidArgument) for undecodable paths or
// queries. Path-style addressing, unless the Host header is `BUCKET.D[:port]` for one of
// `domains` (lowercase): then the bucket is BUCKET and the whole path is the key
// (virtual-host style). A Host equal to a domain stays path style.
absl::StatusOr<S3Request> ParseS3Request(const HttpRequestHead& head, std::string request_id,
                                         const std::vector<std::string>& domains = {});

// The bucket a Host header addresses under `domains` (virtual-host style), or "" if none.
std::string VirtualHostBucket(std::string_view host, const std::vector<std::string>& domains);

// Percent-decodes `s`; `plus_is_space` for query components. Returns false on bad escapes.
bool PercentDecode(std::string_view s, bool plus_is_space, std::string* out);

}  // namespace sb::gateway
