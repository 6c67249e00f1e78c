// ListBucketResult documents for ListObjects (V1) and ListObjectsV2, rendered from a
// metadata::ListObjectsResult, plus the V2 continuation-token codec. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "metadata/metadata_store.h"

namespace sb::gateway::xml {

// The request parameters echoed in a V1 listing.
struct ListObjectsV1Request {
  std::string bucket;
  std::string prefix;
  std::string marker;
  std::string delimiter;  // empty: none was sent
  int max_keys = 1000;
  bool url_encode = false;  // encoding-type=url
};

// The request parameters echoed in a V2 listing.
struct ListObjectsV2Request {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string start_after;                // echoed when non-empty
  std::string continuation_token;         // echoed (verbatim) when given
  bool continuation_token_given = false;  // also an empty one is echoed, as S3 does
  int max_keys = 1000;
  bool fetch_owner = false;
  bool url_encode = false;
};

// V1: Name, Prefix, Marker, [NextMarker], MaxKeys, [Delimiter], [EncodingType], IsTruncated,
// Contents (each with Owner), CommonPrefixes. NextMarker is written only when a delimiter
// was given and the result is truncated (S3: without a delimiter the client continues from
// the last Key). With url_encode, Marker, NextMarker, Delimiter, Key and
// CommonPrefixes/Prefix are S3UrlEncode()d.
std::string ListObjectsV1Xml(const ListObjectsV1Request& request,
                             const metadata::ListObjectsResult& result);

// V2: Name, Prefix, [StartAfter], [ContinuationToken], [NextContinuationToken], KeyCount,
// MaxKeys, [Delimiter], [EncodingType], IsTruncated, Contents (Owner only with fetch_owner),
// CommonPrefixes. NextContinuationToken is ContinuationTokenFromMarker(result.next_marker)
// when truncated. With url_encode, Prefix, StartAfter, Delimiter, Key and
// CommonPrefixes/Prefix are encoded; tokens never are (they are already URL-safe).
std::string ListObjectsV2Xml(const ListObjectsV2Request& request,
                             const metadata::ListObjectsResult& result);

// An opaque, URL-safe continuation token that resumes a listing after `marker`.
std::string ContinuationTokenFromMarker(std::string_view marker);
// Inverse of ContinuationTokenFromMarker. InvalidArgument(kInvalidArgument) ("The
// continuation token provided is incorrect") for anything it did not produce.
absl::StatusOr<std::string> MarkerFromContinuationToken(std::string_view token);

}  // namespace sb::gateway::xml
