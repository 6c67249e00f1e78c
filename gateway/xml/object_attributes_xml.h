// GetObjectAttributes: the x-amz-object-attributes selection and the
// GetObjectAttributesResponse document. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "metadata/proto/records.pb.h"

namespace sb::gateway::xml {

struct ObjectAttributesRequest {
  bool etag = false;
  bool checksum = false;
  bool object_parts = false;
  bool storage_class = false;
  bool object_size = false;
  uint32_t max_parts = 1000;
  uint32_t part_number_marker = 0;  // parts after this one
};

// Parses the comma-separated x-amz-object-attributes value (ETag, Checksum, ObjectParts,
// StorageClass, ObjectSize; S3 names, matched exactly). InvalidArgument for an empty list
// or an unknown name.
absl::StatusOr<ObjectAttributesRequest> ParseObjectAttributes(std::string_view header);

// GetObjectAttributesResponse with the selected attributes of `object`. Checksum only when
// the object has one; ObjectParts only for a multipart object (PartsCount,
// PartNumberMarker, NextPartNumberMarker, MaxParts, IsTruncated and a page of Part
// elements with PartNumber, Size and the part's checksum).
std::string GetObjectAttributesXml(const metadata::ObjectRecord& object,
                                   const ObjectAttributesRequest& request);

}  // namespace sb::gateway::xml
