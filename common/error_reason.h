// ErrorReason: a precise reason attached to an absl::Status as a payload. Leaf components
// say *what* went wrong with a canonical code plus a reason; only gateway/s3_errors maps
// reasons to S3 error codes and HTTP statuses.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace sb {

enum class ErrorReason {
  kNone = 0,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kNoSuchVersion,
  kBucketNotEmpty,
  kBucketAlreadyOwnedByYou,
  kBucketAlreadyExists,
  kInvalidBucketName,
  kInvalidPart,
  kInvalidPartOrder,
  kEntityTooSmall,
  kEntityTooLarge,
  kBadDigest,
  kInvalidDigest,
  kIncompleteBody,
  kInvalidRange,
  kPreconditionFailed,
  kNotModified,
  kMalformedXml,
  kInvalidArgument,
  kInvalidRequest,
  kAccessDenied,
  kInvalidAccessKeyId,
  kSignatureDoesNotMatch,
  kRequestTimeTooSkewed,
  kAuthorizationHeaderMalformed,
  kExpiredToken,
  kMissingSecurityHeader,
  kXAmzContentSha256Mismatch,
  kMissingContentLength,
  kMethodNotAllowed,
  kNotImplemented,
  kKeyTooLong,
  kMetadataTooLarge,
  kInvalidStorageClass,
  kSlowDown,
  kQuorumLost,
  kDataCorrupted,
  kInvalidObjectState,
  kTooManyParts,
  kInvalidEncoding,
  kInvalidCopySource,
  kAuthorizationQueryParametersError,
  kAccessControlListNotSupported,
  kKmsKeyDisabled,
  kMalformedPolicy,
  kNoSuchBucketPolicy,
  kNoSuchEntity,
  kEntityAlreadyExists,
  kDeleteConflict,
  kLimitExceeded,
  kServerSideEncryptionConfigurationNotFound,
  kInvalidToken,                     // a session token missing, wrong, or sent with a long-term key
  kInvalidAction,                    // STS: an Action we do not implement
  kValidationError,                  // STS: a parameter out of range or malformed
  kInvalidTag,                       // a tag set over the limits, duplicated or reserved keys
  kNoSuchTagSet,                     // GetBucketTagging on a bucket without tags
  kInvalidBucketState,               // 409: e.g. Object Lock on a bucket without versioning
  kObjectLockConfigurationNotFound,  // GetObjectLockConfiguration on a bucket without one
  kNoSuchObjectLockConfiguration,    // GetObjectRetention on a version without retention
  kInvalidRetentionPeriod,           // a default retention of 0, negative or too long
  kConditionalRequestConflict,       // 409: a conditional write raced another write to the key
  kNoSuchCorsConfiguration,          // GetBucketCors on a bucket without CORS rules
  kCorsForbidden,                    // 403 AccessForbidden: a preflight no CORS rule allows
  kNoSuchPublicAccessBlockConfiguration,  // GetPublicAccessBlock on a bucket without one
  kOwnershipControlsNotFound,             // GetBucketOwnershipControls after a delete
  kMalformedPostRequest,                  // a POST upload body that is not multipart/form-data
  kMaxPostPreDataLengthExceeded,          // POST upload fields before the file over 20 KiB
  kInvalidPolicyDocument,                 // a POST upload policy that is not base64 JSON as AWS's
  kNoSuchLifecycleConfiguration,          // GetBucketLifecycleConfiguration on a bucket without one
};

// Returns `status` with `reason` attached (no-op for OK).
absl::Status WithReason(absl::Status status, ErrorReason reason);

// Builds a status of `code` with `message` and `reason` attached.
absl::Status MakeError(absl::StatusCode code, ErrorReason reason, std::string_view message);

// Returns the reason attached to `status`, or kNone.
ErrorReason GetReason(const absl::Status& status);

// Stable name of a reason ("NoSuchKey"), used in logs and tests.
std::string_view ReasonName(ErrorReason reason);

}  // namespace sb
