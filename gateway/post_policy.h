// The POST policy of a browser upload (S3 POST Object): the base64 JSON document with an
// expiration and conditions every form field must meet, and the form's signature over it
// (SigV4: x-amz-algorithm/-credential/-date/-signature; or the POST-only V2 form:
// AWSAccessKeyId + base64 HMAC-SHA1 `signature`). Pure functions; thread-safe.
// References: AWS S3 API "Creating a POST policy" and "Calculating a signature" (SigV4
// browser-based uploads); the 2006 API's "Browser-Based Uploads Using POST" (V2 form).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/post_form.h"
#include "gateway/sigv4.h"

namespace sb::gateway {

struct PostPolicyCondition {
  enum class Kind { kEq, kStartsWith, kContentLengthRange };
  Kind kind = Kind::kEq;
  std::string field;  // lowercase, without the '$' ("key", "bucket", "x-amz-meta-tag")
  std::string value;  // kEq: the value; kStartsWith: the prefix ("" matches anything)
  int64_t min = 0;    // kContentLengthRange: inclusive bounds
  int64_t max = 0;
  std::string text;  // as written in the document, for error messages
};

struct PostPolicy {
  absl::Time expiration;
  std::vector<PostPolicyCondition> conditions;
  // The content-length-range condition, if the policy has one.
  std::optional<PostPolicyCondition> length_range;
};

// Decodes `policy_base64` and parses it. InvalidArgument(kInvalidPolicyDocument) for bad
// base64 or JSON, a missing or unparsable "expiration" (ISO 8601, "2007-12-01T12:00:00.000Z";
// the key names are case-sensitive, as AWS), "conditions" that is not a list, or a condition
// that is not {"field": "value", ...} (at least one), ["eq"|"starts-with", "$field", "value"] or
// ["content-length-range", min, max].
absl::StatusOr<PostPolicy> ParsePostPolicy(std::string_view policy_base64);

// Checks `form` against `policy` at `now` for an upload into `bucket` (the "bucket"
// condition names the URL's bucket; the "key" one the key with ${filename} substituted).
// PermissionDenied(kAccessDenied) "Invalid according to Policy: ..." if the policy expired, a
// condition fails (a condition on an absent field fails), or a field other than file, policy,
// signature, x-amz-signature, AWSAccessKeyId, x-ignore-* and x-amz-checksum-* has no
// condition. content-length-range is checked on the file by
// CheckPostContentLength.
absl::Status CheckPostPolicy(const PostPolicy& policy, const PostForm& form,
                             std::string_view bucket, absl::Time now);

// InvalidArgument(kEntityTooSmall / kEntityTooLarge) if `size` is outside the policy's
// content-length-range.
absl::Status CheckPostContentLength(const PostPolicy& policy, uint64_t size);

struct PostSignature {
  bool v4 = false;         // SigV4 fields; false: the V2 form (AWSAccessKeyId + signature)
  std::string access_key;  // whose secret verified the signature
  std::string region;      // SigV4: the credential scope's region
};

// Verifies the form's signature over its `policy` field (which must be present).
// Errors: InvalidArgument(kInvalidArgument) when the signature fields are incomplete or
// malformed (x-amz-algorithm other than AWS4-HMAC-SHA256, a credential scope that is not
// AK/yyyymmdd/region/s3/aws4_request or whose date differs from x-amz-date);
// PermissionDenied(kInvalidAccessKeyId) if `lookup` says NotFound;
// PermissionDenied(kSignatureDoesNotMatch); other lookup errors unchanged.
absl::StatusOr<PostSignature> VerifyPostSignature(const PostForm& form, const SecretLookup& lookup);

// The object key of the form's `key` field with ${filename} replaced by the file part's
// filename (AWS substitutes every occurrence). InvalidArgument(kInvalidArgument) if there is
// no key field or it is empty.
absl::StatusOr<std::string> PostObjectKey(const PostForm& form);

}  // namespace sb::gateway
