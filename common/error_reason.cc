#include "common/error_reason.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "common/absl_compat.h"

namespace sb {
namespace {
constexpr std::string_view kPayloadUrl = "strongbox/error_reason";
}  // namespace

absl::Status WithReason(absl::Status status, ErrorReason reason) {
  if (status.ok()) return status;
  status.SetPayload(AsAbsl(kPayloadUrl), absl::Cord(std::to_string(static_cast<int>(reason))));
  return status;
}

absl::Status MakeError(absl::StatusCode code, ErrorReason reason, std::string_view message) {
  return WithReason(absl::Status(code, AsAbsl(message)), reason);
}

ErrorReason GetReason(const absl::Status& status) {
  auto payload = status.GetPayload(AsAbsl(kPayloadUrl));
  if (!payload.has_value()) return ErrorReason::kNone;
  int value = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &value)) return ErrorReason::kNone;
  return static_cast<ErrorReason>(value);
}

std::string_view ReasonName(ErrorReason reason) {
  switch (reason) {
#define SB_REASON_CASE(name) \
  case ErrorReason::k##name: \
    return #name;
    SB_REASON_CASE(None)
    SB_REASON_CASE(NoSuchBucket)
    SB_REASON_CASE(NoSuchKey)
    SB_REASON_CASE(NoSuchUpload)
    SB_REASON_CASE(NoSuchVersion)
    SB_REASON_CASE(BucketNotEmpty)
    SB_REASON_CASE(BucketAlreadyOwnedByYou)
    SB_REASON_CASE(BucketAlreadyExists)
    SB_REASON_CASE(InvalidBucketName)
    SB_REASON_CASE(InvalidPart)
    SB_REASON_CASE(InvalidPartOrder)
    SB_REASON_CASE(EntityTooSmall)
    SB_REASON_CASE(EntityTooLarge)
    SB_REASON_CASE(BadDigest)
    SB_REASON_CASE(InvalidDigest)
    SB_REASON_CASE(IncompleteBody)
    SB_REASON_CASE(InvalidRange)
    SB_REASON_CASE(PreconditionFailed)
    SB_REASON_CASE(NotModified)
    SB_REASON_CASE(MalformedXml)
    SB_REASON_CASE(InvalidArgument)
    SB_REASON_CASE(InvalidRequest)
    SB_REASON_CASE(AccessDenied)
    SB_REASON_CASE(InvalidAccessKeyId)
    SB_REASON_CASE(SignatureDoesNotMatch)
    SB_REASON_CASE(RequestTimeTooSkewed)
    SB_REASON_CASE(AuthorizationHeaderMalformed)
    SB_REASON_CASE(ExpiredToken)
    SB_REASON_CASE(MissingSecurityHeader)
    SB_REASON_CASE(XAmzContentSha256Mismatch)
    SB_REASON_CASE(MissingContentLength)
    SB_REASON_CASE(MethodNotAllowed)
    SB_REASON_CASE(NotImplemented)
    SB_REASON_CASE(KeyTooLong)
    SB_REASON_CASE(MetadataTooLarge)
    SB_REASON_CASE(InvalidStorageClass)
    SB_REASON_CASE(SlowDown)
    SB_REASON_CASE(QuorumLost)
    SB_REASON_CASE(DataCorrupted)
    SB_REASON_CASE(InvalidObjectState)
    SB_REASON_CASE(TooManyParts)
    SB_REASON_CASE(InvalidEncoding)
    SB_REASON_CASE(InvalidCopySource)
    SB_REASON_CASE(AuthorizationQueryParametersError)
    SB_REASON_CASE(AccessControlListNotSupported)
    SB_REASON_CASE(KmsKeyDisabled)
    SB_REASON_CASE(MalformedPolicy)
    SB_REASON_CASE(NoSuchBucketPolicy)
    SB_REASON_CASE(NoSuchEntity)
    SB_REASON_CASE(EntityAlreadyExists)
    SB_REASON_CASE(DeleteConflict)
    SB_REASON_CASE(LimitExceeded)
    SB_REASON_CASE(ServerSideEncryptionConfigurationNotFound)
    SB_REASON_CASE(InvalidToken)
    SB_REASON_CASE(InvalidAction)
    SB_REASON_CASE(ValidationError)
    SB_REASON_CASE(InvalidTag)
    SB_REASON_CASE(NoSuchTagSet)
    SB_REASON_CASE(InvalidBucketState)
    SB_REASON_CASE(ObjectLockConfigurationNotFound)
    SB_REASON_CASE(NoSuchObjectLockConfiguration)
    SB_REASON_CASE(InvalidRetentionPeriod)
    SB_REASON_CASE(ConditionalRequestConflict)
    SB_REASON_CASE(NoSuchCorsConfiguration)
    SB_REASON_CASE(CorsForbidden)
    SB_REASON_CASE(NoSuchPublicAccessBlockConfiguration)
    SB_REASON_CASE(OwnershipControlsNotFound)
    SB_REASON_CASE(MalformedPostRequest)
    SB_REASON_CASE(MaxPostPreDataLengthExceeded)
    SB_REASON_CASE(InvalidPolicyDocument)
    SB_REASON_CASE(NoSuchLifecycleConfiguration)
#undef SB_REASON_CASE
  }
  return "Unknown";
}

}  // namespace sb
