// HTTP Range parsing for GetObject and copy-source ranges. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gateway/request_context.h"
#include "metadata/proto/records.pb.h"

namespace sb::gateway {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Parses "bytes=a-b", "bytes=a-" and "bytes=-n" against an object of `size` bytes.
// nullopt: the header is syntactically unusable (multiple ranges, other units), which
// RFC 9110 says to ignore (serve the whole object), and a suffix range on an empty object.
// InvalidRange (416) when the range cannot be satisfied.
absl::StatusOr<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size);

// x-amz-copy-source-range "bytes=a-b" (both required): InvalidArgument or InvalidRange.
absl::StatusOr<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size);

struct CopySource {
  std::string bucket;
  std::string key;
  std::string version_id;
};

// x-amz-copy-source: "[/]bucket/key[?versionId=v]", URL-encoded.
absl::StatusOr<CopySource> ParseCopySource(const RequestContext& ctx);

struct Services;
// Loads the source object and checks the x-amz-copy-source-if-* conditions.
absl::StatusOr<metadata::ObjectRecord> LoadCopySource(const RequestContext& ctx, Services& s,
                                                      const CopySource& src);

}  // namespace sb::gateway
