// Parsers for the XML request bodies S3 clients send: CompleteMultipartUpload,
// Delete (DeleteObjects), Tagging, VersioningConfiguration and CreateBucketConfiguration. Pure
// functions, thread-safe. Element names are matched by local name, so bodies with or without the S3
// namespace (or a namespace prefix) are accepted. DTDs are skipped and entities are never expanded
// beyond the XML predefined ones, so there is no external-entity access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::gateway::xml {

// Bodies larger than this are rejected before parsing (InvalidArgument(kMalformedXml)).
// The caller should stop reading a body at this size. 1000 Delete entries of 1024-byte keys
// with every byte written as an entity, or 10000 Complete parts, fit comfortably.
inline constexpr size_t kMaxRequestXmlBytes = 8 << 20;

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;  // surrounding quotes and whitespace stripped
  // A <ChecksumCRC32>/<ChecksumSHA256>/... child: its algorithm ("CRC32") and value.
  std::string checksum_algorithm{};  // {}: brace-initialized lists may leave it out
  std::string checksum{};
};

// Parses <CompleteMultipartUpload><Part><PartNumber/><ETag/>[<ChecksumALG/>]</Part>...;
// other children of Part are ignored. Returns the parts in document order. Errors, all
// InvalidArgument: kMalformedXml for bad XML, a wrong root, no parts, more than 10000
// parts, a Part missing PartNumber or ETag, or a PartNumber that is not an integer;
// kInvalidArgument for PartNumber < 1 (S3: "PartNumber must be >= 1"); kInvalidPart for
// PartNumber > 10000 (no such part can exist).
absl::StatusOr<std::vector<CompletedPart>> ParseCompleteMultipartUpload(std::string_view body);

// InvalidArgument(kInvalidPartOrder) unless part numbers are strictly ascending.
absl::Status CheckPartOrder(const std::vector<CompletedPart>& parts);

struct ObjectToDelete {
  std::string key;         // exactly as sent (not trimmed); may be empty
  std::string version_id;  // empty when not given
};

struct DeleteObjectsRequest {
  bool quiet = false;
  std::vector<ObjectToDelete> objects;  // document order
};

// Parses <Delete>[<Quiet>true|false</Quiet>]<Object><Key/>[<VersionId/>]</Object>...
// InvalidArgument(kMalformedXml) for bad XML, a wrong root, no Object, more than 1000
// Objects (as S3), an Object without Key, or a Quiet that is not true/false.
absl::StatusOr<DeleteObjectsRequest> ParseDeleteObjects(std::string_view body);

struct Tag {
  std::string key;
  std::string value;
};

// Parses <Tagging><TagSet>[<Tag><Key/><Value/></Tag>...]</TagSet></Tagging>, keeping the
// document order and any duplicates (the caller enforces S3's tag rules). A missing Value
// is "". InvalidArgument(kMalformedXml) for bad XML, a wrong root, no TagSet, a Tag without
// Key, or more than 1000 tags.
absl::StatusOr<std::vector<Tag>> ParseTagging(std::string_view body);

struct VersioningConfiguration {
  std::string status;      // "Enabled", "Suspended", or "" when absent
  std::string mfa_delete;  // "Enabled", "Disabled", or "" when absent
};

// Parses <VersioningConfiguration>[<Status>Enabled|Suspended</Status>]
// [<MfaDelete>Enabled|Disabled</MfaDelete>]. InvalidArgument(kMalformedXml) for bad XML, a
// wrong root, or any other value.
absl::StatusOr<VersioningConfiguration> ParseVersioningConfiguration(std::string_view body);

// Returns the LocationConstraint of a CreateBucketConfiguration body, "" for an empty (or
// all-whitespace) body or when the element is absent. InvalidArgument(kMalformedXml) for
// bad XML or a wrong root.
absl::StatusOr<std::string> ParseCreateBucketConfiguration(std::string_view body);

}  // namespace sb::gateway::xml
