// Multipart-upload S3 response documents: InitiateMultipartUploadResult,
// CompleteMultipartUploadResult, ListPartsResult and ListMultipartUploadsResult.
// Pure functions, thread-safe. ETags are passed without quotes and written quoted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "metadata/metadata_store.h"

namespace sb::gateway::xml {

// InitiateMultipartUploadResult: Bucket, Key, UploadId.
std::string InitiateMultipartUploadXml(std::string_view bucket, std::string_view key,
                                       std::string_view upload_id);

// CompleteMultipartUploadResult: Location (e.g. "http://host/bucket/key"), Bucket, Key, ETag,
// and Checksum<ALGORITHM> + ChecksumType when the object has a checksum.
std::string CompleteMultipartUploadXml(std::string_view location, std::string_view bucket,
                                       std::string_view key, std::string_view etag,
                                       std::string_view checksum_algorithm = "",
                                       std::string_view checksum = "",
                                       std::string_view checksum_type = "");

// ListPartsResult for `upload`: Bucket, Key, UploadId, Initiator and Owner (upload.owner()),
// StorageClass, PartNumberMarker, NextPartNumberMarker, MaxParts, IsTruncated, then one
// Part (PartNumber, LastModified, ETag, Size) per result part. NextPartNumberMarker is
// result.next_part_number_marker when truncated, else the last listed part (0 if none).
// DataPart has no timestamp, so each part's LastModified is the upload's initiation time.
std::string ListPartsXml(const metadata::UploadRecord& upload, uint32_t part_number_marker,
                         int max_parts, const metadata::ListPartsResult& result);

// The request parameters echoed in ListMultipartUploadsResult.
struct ListUploadsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  int max_uploads = 1000;
  bool url_encode = false;  // encoding-type=url
};

// ListMultipartUploadsResult: Bucket, KeyMarker, UploadIdMarker, NextKeyMarker,
// NextUploadIdMarker, [Delimiter], [Prefix], MaxUploads, [EncodingType], IsTruncated, one
// Upload (Key, UploadId, Initiator, Owner, StorageClass, Initiated) per upload, then
// CommonPrefixes. With url_encode, KeyMarker, NextKeyMarker, Delimiter, Prefix, Key and
// CommonPrefixes/Prefix are S3UrlEncode()d.
std::string ListMultipartUploadsXml(const ListUploadsRequest& request,
                                    const metadata::ListUploadsResult& result);

}  // namespace sb::gateway::xml
