#include "gateway/xml/list_objects_xml.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

// Distinguishes our tokens from arbitrary base64 and leaves room for a new format.
constexpr std::string_view kTokenVersion = "1:";

std::string_view StorageClassOrStandard(const metadata::ObjectRecord& object) {
  return object.storage_class().empty() ? std::string_view("STANDARD")
                                        : std::string_view(object.storage_class());
}

size_t EstimateSize(const metadata::ListObjectsResult& result) {
  size_t bytes = 512;
  for (const auto& object : result.objects) bytes += 320 + 2 * object.key().size();
  for (const auto& prefix : result.common_prefixes) bytes += 64 + 2 * prefix.size();
  return bytes;
}

void WriteContents(XmlBuilder& b, const metadata::ListObjectsResult& result, bool with_owner,
                   bool encode) {
  for (const auto& object : result.objects) {
    b.Open("Contents");
    b.KeyElement("Key", object.key(), encode);
    b.TimeElement("LastModified", object.last_modified_unix_nanos());
    b.ETagElement("ETag", object.etag());
    b.Element("Size", object.size());
    if (with_owner) b.OwnerElement("Owner", object.owner());
    b.Element("StorageClass", StorageClassOrStandard(object));
    b.Close("Contents");
  }
  for (const auto& prefix : result.common_prefixes) {
    b.Open("CommonPrefixes");
    b.KeyElement("Prefix", prefix, encode);
    b.Close("CommonPrefixes");
  }
}

}  // namespace

std::string ListObjectsV1Xml(const ListObjectsV1Request& request,
                             const metadata::ListObjectsResult& result) {
  const bool encode = request.url_encode;
  XmlBuilder b(EstimateSize(result));
  b.Declaration();
  b.OpenRoot("ListBucketResult");
  b.Element("Name", request.bucket);
  // V1 echoes Prefix unencoded even with encoding-type=url: botocore does not decode it
  // and s3-tests (test_bucket_list_prefix_unreadable) expects it raw, as AWS sends it.
  b.Element("Prefix", request.prefix);
  b.KeyElement("Marker", request.marker, encode);
  if (!request.delimiter.empty() && result.is_truncated) {
    b.KeyElement("NextMarker", result.next_marker, encode);
  }
  b.Element("MaxKeys", request.max_keys);
  if (!request.delimiter.empty()) b.KeyElement("Delimiter", request.delimiter, encode);
  if (encode) b.Element("EncodingType", "url");
  b.Element("IsTruncated", result.is_truncated);
  WriteContents(b, result, /*with_owner=*/true, encode);
  b.Close("ListBucketResult");
  return b.Finish();
}

std::string ListObjectsV2Xml(const ListObjectsV2Request& request,
                             const metadata::ListObjectsResult& result) {
  const bool encode = request.url_encode;
  XmlBuilder b(EstimateSize(result));
  b.Declaration();
  b.OpenRoot("ListBucketResult");
  b.Element("Name", request.bucket);
  b.KeyElement("Prefix", request.prefix, encode);
  if (!request.start_after.empty()) b.KeyElement("StartAfter", request.start_after, encode);
  if (request.continuation_token_given || !request.continuation_token.empty()) {
    b.Element("ContinuationToken", request.continuation_token);
  }
  if (result.is_truncated) {
    b.Element("NextContinuationToken", ContinuationTokenFromMarker(result.next_marker));
  }
  b.Element("KeyCount",
            static_cast<uint64_t>(result.objects.size() + result.common_prefixes.size()));
  b.Element("MaxKeys", request.max_keys);
  if (!request.delimiter.empty()) b.KeyElement("Delimiter", request.delimiter, encode);
  if (encode) b.Element("EncodingType", "url");
  b.Element("IsTruncated", result.is_truncated);
  WriteContents(b, result, request.fetch_owner, encode);
  b.Close("ListBucketResult");
  return b.Finish();
}

std::string ContinuationTokenFromMarker(std::string_view marker) {
  std::string raw(kTokenVersion);
  raw.append(marker);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> MarkerFromContinuationToken(std::string_view token) {
  std::string raw;
  if (token.empty() || !absl::WebSafeBase64Unescape(AsAbsl(token), &raw) ||
      std::string_view(raw).substr(0, kTokenVersion.size()) != kTokenVersion) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "The continuation token provided is incorrect");
  }
  return raw.substr(kTokenVersion.size());
}

}  // namespace sb::gateway::xml
