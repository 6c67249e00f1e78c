// Object-level S3 response documents: CopyObjectResult, CopyPartResult, PostResponse, Tagging and
// DeleteResult (DeleteObjects). Pure functions, thread-safe. ETags are passed without quotes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::gateway::xml {

// CopyObjectResult: LastModified, ETag.
std::string CopyObjectResultXml(int64_t last_modified_unix_nanos, std::string_view etag);
// CopyPartResult (UploadPartCopy): LastModified, ETag.
std::string CopyPartResultXml(int64_t last_modified_unix_nanos, std::string_view etag);
// PostResponse (POST Object with success_action_status 201): Location, Bucket, Key, ETag.
std::string PostResponseXml(std::string_view location, std::string_view bucket,
                            std::string_view key, std::string_view etag);

struct DeletedEntry {
  std::string key;
  std::string version_id;  // omitted when empty
  bool delete_marker = false;
  std::string delete_marker_version_id;  // omitted when empty
};

struct DeleteErrorEntry {
  std::string key;
  std::string version_id;  // omitted when empty
  std::string code;        // S3 error code, e.g. "AccessDenied"
  std::string message;
};

// Tagging (GetObjectTagging, GetBucketTagging): one Tag per (key, value), in the given order.
std::string TaggingXml(const std::vector<std::pair<std::string, std::string>>& tags);

// DeleteResult: one Deleted (Key, [VersionId], [DeleteMarker, DeleteMarkerVersionId]) per
// entry unless `quiet` (S3's quiet mode reports only failures), then one Error (Key,
// [VersionId], Code, Message) per error.
std::string DeleteResultXml(const std::vector<DeletedEntry>& deleted,
                            const std::vector<DeleteErrorEntry>& errors, bool quiet);

}  // namespace sb::gateway::xml
