// Small helpers shared by the handler files: body reading, HTTP dates, integer query
// parameters, and the object response headers. Not part of the gateway's public API.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "gateway/http_types.h"
#include "gateway/object_service.h"
#include "gateway/request_context.h"
#include "gateway/xml/request_xml.h"
#include "metadata/metadata_store.h"
#include "metadata/proto/records.pb.h"

namespace sb::gateway {

// Reads the whole (small) body; MalformedXML-style InvalidArgument past `limit` bytes.
absl::StatusOr<std::string> ReadSmallBody(RequestContext& ctx, size_t limit);

// RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string FormatHttpDate(absl::Time t);
// ParseHttpDate (IMF-fixdate and the obsolete forms) is sb::ParseHttpDate in common/clock.h.

// If-None-Match / If-Match of a PutObject or CompleteMultipartUpload ("*" or an ETag).
WriteCondition WriteConditionFromRequest(const RequestContext& ctx);

// Parses a non-negative decimal query parameter; InvalidArgument naming it otherwise.
absl::StatusOr<int64_t> ParseNonNegative(std::string_view name, std::string_view value);

// `"etag"`.
std::string Quoted(std::string_view etag);
// Strips surrounding whitespace and quotes from an ETag in a request header.
std::string Unquote(std::string_view etag);

// The headers GET/HEAD return for an object (ETag, Last-Modified, Content-Type, ...,
// x-amz-tagging-count).
void AppendObjectHeaders(const metadata::ObjectRecord& object, HeaderList& headers);

// Builds the stored-object template (content headers, x-amz-meta-*, x-amz-tagging) from the
// request. InvalidArgument(kMetadataTooLarge) over 2 KiB of user metadata; TagsFromHeader's
// errors.
absl::StatusOr<metadata::ObjectRecord> ObjectTemplateFromRequest(const RequestContext& ctx);

// x-amz-checksum-<algorithm>: value (and x-amz-checksum-type if `type` is set); nothing when
// `algorithm` or `value` is empty.
void AppendChecksumHeaders(std::string_view algorithm, std::string_view value,
                           std::string_view type, HeaderList& headers);

// Whether a GET/HEAD asked for the stored checksum (x-amz-checksum-mode: ENABLED).
bool ChecksumModeEnabled(const RequestContext& ctx);

// Body checks from Content-Length / x-amz-decoded-content-length and Content-MD5, and the
// body's verified additional checksum (ctx.checksum).
absl::StatusOr<WriteChecks> WriteChecksFromRequest(const RequestContext& ctx);

// x-amz-acl / x-amz-grant-* on a write: buckets are always BucketOwnerEnforced, so only
// "private" and "bucket-owner-full-control" are accepted (AccessControlListNotSupported
// otherwise; InvalidArgument for an unknown canned ACL). A public ACL on a bucket whose
// public access block has BlockPublicAcls is AccessDenied first, as S3.
absl::Status CheckAclHeaders(const RequestContext& ctx, metadata::MetadataStore& meta);

// AccessDenied if `bucket` exists with BlockPublicAcls set (for a request that would make
// something public through an ACL).
absl::Status CheckPublicAclsAllowed(metadata::MetadataStore& meta, std::string_view bucket);

// True if an ACL text (canned name, grant header or AccessControlPolicy body) makes the
// resource public: public-read, public-read-write, authenticated-read, or a grant to the
// AllUsers or AuthenticatedUsers group.
bool IsPublicAcl(std::string_view acl);

// Evaluates If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since (with
// `prefix` "" for GET/HEAD or "x-amz-copy-source-" for copies). PreconditionFailed (412)
// or NotModified (304, GET/HEAD only).
absl::Status CheckConditions(const RequestContext& ctx, const metadata::ObjectRecord& object,
                             std::string_view prefix);

inline constexpr size_t kMaxObjectTags = 10;  // S3 limits
inline constexpr size_t kMaxBucketTags = 50;

// S3's tag rules: at most `max_tags` tags, keys of 1-128 and values of 0-256 Unicode
// characters, no duplicate keys, no "aws:" keys. Returns them by key; InvalidTag otherwise.
absl::StatusOr<std::map<std::string, std::string>> CheckTags(const std::vector<xml::Tag>& tags,
                                                             size_t max_tags);
// The x-amz-tagging header ("k1=v1&k2", URL query encoding) checked as object tags; empty
// when absent. InvalidArgument if it does not decode, CheckTags' errors.
absl::StatusOr<std::map<std::string, std::string>> TagsFromHeader(const RequestContext& ctx);

// True unless the bucket has never had versioning configured. NoSuchBucket.
absl::StatusOr<bool> BucketHasVersioning(metadata::MetadataStore& meta, std::string_view bucket);

// x-amz-version-id for `object`: its id, sent when the id is a real one or the bucket has
// versioning configured (S3 names the null version "null" there, and nothing elsewhere).
void AppendVersionIdHeader(const metadata::ObjectRecord& object, bool bucket_versioned,
                           HeaderList& headers, std::string_view name = "x-amz-version-id");

// The ?versionId= of the request, or nullptr; InvalidArgument for an empty or malformed id.
absl::StatusOr<const std::string*> RequestedVersionId(const RequestContext& ctx);

// Renders `error` as the runner would, plus `headers` (e.g. x-amz-delete-marker on the 404
// for a deleted key), and records it for the audit. Returns what Respond returns.
absl::Status RespondError(RequestContext& ctx, const absl::Status& error, HeaderList headers);

}  // namespace sb::gateway
