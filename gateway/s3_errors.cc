#include "gateway/s3_errors.h"

#include "common/absl_compat.h"
#include "common/error_reason.h"

namespace sb::gateway {
namespace {

struct Entry {
  int http_status;
  std::string_view code;
  std::string_view default_message;
};

// Codes and statuses as documented in the S3 API reference, "Error responses".
Entry ReasonEntry(ErrorReason reason) {
  switch (reason) {
    case ErrorReason::kNoSuchBucket:
      return {404, "NoSuchBucket", "The specified bucket does not exist"};
    case ErrorReason::kNoSuchKey:
      return {404, "NoSuchKey", "The specified key does not exist."};
    case ErrorReason::kNoSuchUpload:
      return {404, "NoSuchUpload", "The specified multipart upload does not exist."};
    case ErrorReason::kNoSuchVersion:
      return {404, "NoSuchVersion", "The specified version does not exist."};
    case ErrorReason::kBucketNotEmpty:
      return {409, "BucketNotEmpty", "The bucket you tried to delete is not empty"};
    case ErrorReason::kBucketAlreadyOwnedByYou:
      return {409, "BucketAlreadyOwnedByYou",
              "Your previous request to create the named bucket succeeded and you already own it."};
    case ErrorReason::kBucketAlreadyExists:
      return {409, "BucketAlreadyExists", "The requested bucket name is not available."};
    case ErrorReason::kInvalidBucketName:
      return {400, "InvalidBucketName", "The specified bucket is not valid."};
    case ErrorReason::kInvalidPart:
      return {400, "InvalidPart", "One or more of the specified parts could not be found."};
    case ErrorReason::kInvalidPartOrder:
      return {400, "InvalidPartOrder", "The list of parts was not in ascending order."};
    case ErrorReason::kEntityTooSmall:
      return {400, "EntityTooSmall",
              "Your proposed upload is smaller than the minimum allowed object size."};
    case ErrorReason::kEntityTooLarge:
      return {400, "EntityTooLarge",
              "Your proposed upload exceeds the maximum allowed object size."};
    case ErrorReason::kBadDigest:
      return {400, "BadDigest", "The Content-MD5 you specified did not match what we received."};
    case ErrorReason::kInvalidDigest:
      return {400, "InvalidDigest", "The Content-MD5 you specified is not valid."};
    case ErrorReason::kIncompleteBody:
      return {
          400, "IncompleteBody",
          "You did not provide the number of bytes specified by the Content-Length HTTP header."};
    case ErrorReason::kInvalidRange:
      return {416, "InvalidRange", "The requested range is not satisfiable"};
    case ErrorReason::kPreconditionFailed:
      return {412, "PreconditionFailed",
              "At least one of the pre-conditions you specified did not hold"};
    case ErrorReason::kNotModified:
      return {304, "NotModified", "Not Modified"};
    case ErrorReason::kMalformedXml:
      return {400, "MalformedXML",
              "The XML you provided was not well-formed or did not validate against our published "
              "schema."};
    case ErrorReason::kInvalidArgument:
      return {400, "InvalidArgument", "Invalid Argument"};
    case ErrorReason::kInvalidRequest:
      return {400, "InvalidRequest", "Invalid Request"};
    case ErrorReason::kAccessDenied:
      return {403, "AccessDenied", "Access Denied"};
    case ErrorReason::kInvalidAccessKeyId:
      return {403, "InvalidAccessKeyId",
              "The AWS Access Key Id you provided does not exist in our records."};
    case ErrorReason::kSignatureDoesNotMatch:
      return {403, "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided. "
              "Check your key and signing method."};
    case ErrorReason::kRequestTimeTooSkewed:
      return {403, "RequestTimeTooSkewed",
              "The difference between the request time and the server's time is too large."};
    case ErrorReason::kAuthorizationHeaderMalformed:
      return {400, "AuthorizationHeaderMalformed", "The authorization header is malformed."};
    case ErrorReason::kExpiredToken:
      return {400, "ExpiredToken", "The provided token has expired."};
    case ErrorReason::kMissingSecurityHeader:
      return {400, "MissingSecurityHeader", "Your request is missing a required header."};
    case ErrorReason::kXAmzContentSha256Mismatch:
      return {400, "XAmzContentSHA256Mismatch",
              "The provided 'x-amz-content-sha256' header does not match what was computed."};
    case ErrorReason::kMissingContentLength:
      return {411, "MissingContentLength", "You must provide the Content-Length HTTP header."};
    case ErrorReason::kMethodNotAllowed:
      return {405, "MethodNotAllowed",
              "The specified method is not allowed against this resource."};
    case ErrorReason::kNotImplemented:
      return {501, "NotImplemented",
              "A header or query you provided implies functionality that is not implemented."};
    case ErrorReason::kKeyTooLong:
      return {400, "KeyTooLongError", "Your key is too long."};
    case ErrorReason::kMetadataTooLarge:
      return {400, "MetadataTooLarge",
              "Your metadata headers exceed the maximum allowed metadata size."};
    case ErrorReason::kInvalidStorageClass:
      return {400, "InvalidStorageClass", "The storage class you specified is not valid."};
    case ErrorReason::kSlowDown:
      return {503, "SlowDown", "Please reduce your request rate."};
    case ErrorReason::kQuorumLost:
      return {503, "SlowDown",
              "Not enough drives are available to store the object durably; please retry."};
    case ErrorReason::kDataCorrupted:
      return {500, "InternalError", "The object data could not be read intact."};
    case ErrorReason::kInvalidObjectState:
      return {403, "InvalidObjectState",
              "The operation is not valid for the current state of the object."};
    case ErrorReason::kTooManyParts:
      return {400, "InvalidArgument",
              "Part number must be an integer between 1 and 10000, inclusive."};
    case ErrorReason::kInvalidEncoding:
      return {400, "InvalidEncoding", "Invalid encoding."};
    case ErrorReason::kInvalidCopySource:
      return {400, "InvalidArgument",
              "Copy Source must mention the source bucket and key: sourcebucket/sourcekey"};
    case ErrorReason::kAuthorizationQueryParametersError:
      return {400, "AuthorizationQueryParametersError",
              "Error parsing the X-Amz-Credential parameter."};
    case ErrorReason::kKmsKeyDisabled:
      // AWS answers SSE-KMS requests whose key is disabled with KMS's own error name.
      return {400, "KMS.DisabledException", "The KMS key used for this object is disabled."};
    case ErrorReason::kServerSideEncryptionConfigurationNotFound:
      return {404, "ServerSideEncryptionConfigurationNotFoundError",
              "The server side encryption configuration was not found"};
    case ErrorReason::kInvalidToken:
      return {400, "InvalidToken", "The provided token is malformed or otherwise invalid."};
    case ErrorReason::kInvalidAction:
      return {400, "InvalidAction", "The action or operation requested is invalid."};
    case ErrorReason::kValidationError:
      return {400, "ValidationError", "A parameter is not valid."};
    case ErrorReason::kInvalidTag:
      return {400, "InvalidTag", "The tag provided was not a valid tag."};
    case ErrorReason::kNoSuchTagSet:
      return {404, "NoSuchTagSet", "The TagSet does not exist"};
    case ErrorReason::kInvalidBucketState:
      return {409, "InvalidBucketState",
              "The request is not valid with the current state of the bucket."};
    case ErrorReason::kObjectLockConfigurationNotFound:
      return {404, "ObjectLockConfigurationNotFoundError",
              "Object Lock configuration does not exist for this bucket"};
    case ErrorReason::kNoSuchObjectLockConfiguration:
      return {404, "NoSuchObjectLockConfiguration",
              "The specified object does not have a ObjectLock configuration"};
    case ErrorReason::kInvalidRetentionPeriod:
      return {400, "InvalidRetentionPeriod",
              "Default retention period must be a positive integer value."};
    case ErrorReason::kConditionalRequestConflict:
      return {409, "ConditionalRequestConflict",
              "A conflicting operation occurred. If using PutObject you can retry the request. "
              "If using multipart upload you should initiate another CreateMultipartUpload "
              "request and re-upload each part."};
    case ErrorReason::kNoSuchCorsConfiguration:
      return {404, "NoSuchCORSConfiguration", "The CORS configuration does not exist"};
    case ErrorReason::kCorsForbidden:
      return {403, "AccessForbidden", "CORSResponse: This CORS request is not allowed."};
    case ErrorReason::kNoSuchPublicAccessBlockConfiguration:
      return {404, "NoSuchPublicAccessBlockConfiguration",
              "The public access block configuration was not found"};
    case ErrorReason::kOwnershipControlsNotFound:
      return {404, "OwnershipControlsNotFoundError",
              "The bucket ownership controls were not found"};
    case ErrorReason::kMalformedPostRequest:
      return {400, "MalformedPOSTRequest",
              "The body of your POST request is not well-formed multipart/form-data."};
    case ErrorReason::kMaxPostPreDataLengthExceeded:
      return {400, "MaxPostPreDataLengthExceededError",
              "Your POST request fields preceding the upload file were too large."};
    case ErrorReason::kNoSuchLifecycleConfiguration:
      return {404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"};
    case ErrorReason::kInvalidPolicyDocument:
      return {400, "InvalidPolicyDocument",
              "The content of the form does not meet the conditions specified in the policy "
              "document."};
    case ErrorReason::kAccessControlListNotSupported:
      return {400, "AccessControlListNotSupported", "The bucket does not allow ACLs"};
    case ErrorReason::kMalformedPolicy:
      return {400, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'"};
    case ErrorReason::kNoSuchBucketPolicy:
      return {404, "NoSuchBucketPolicy", "The bucket policy does not exist"};
    // IAM entity errors (admin API), named as AWS IAM names them.
    case ErrorReason::kNoSuchEntity:
      return {404, "NoSuchEntity", "The requested entity does not exist."};
    case ErrorReason::kEntityAlreadyExists:
      return {409, "EntityAlreadyExists", "The entity already exists."};
    case ErrorReason::kDeleteConflict:
      return {409, "DeleteConflict", "The entity is still in use."};
    case ErrorReason::kLimitExceeded:
      return {409, "LimitExceeded", "A limit on the number of entities was exceeded."};
    case ErrorReason::kNone:
      break;
  }
  return {0, "", ""};
}

Entry CodeEntry(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return {400, "InvalidArgument", "Invalid Argument"};
    case absl::StatusCode::kPermissionDenied:
      return {403, "AccessDenied", "Access Denied"};
    case absl::StatusCode::kUnauthenticated:
      return {403, "AccessDenied", "Access Denied"};
    case absl::StatusCode::kNotFound:
      return {404, "NoSuchKey", "The specified key does not exist."};
    case absl::StatusCode::kUnimplemented:
      return {501, "NotImplemented", "Not implemented"};
    case absl::StatusCode::kUnavailable:
      return {503, "ServiceUnavailable", "Please reduce your request rate."};
    case absl::StatusCode::kResourceExhausted:
      return {503, "SlowDown", "Please reduce your request rate."};
    default:
      return {500, "InternalError", "We encountered an internal error. Please try again."};
  }
}

}  // namespace

S3Error MapStatus(const absl::Status& status) {
  Entry e = ReasonEntry(GetReason(status));
  if (e.http_status == 0) e = CodeEntry(status.code());
  S3Error out;
  out.http_status = e.http_status;
  out.code = e.code;
  // Internal errors never leak internal detail to clients; the log has it.
  if (e.http_status >= 500 || status.message().empty()) {
    out.message = std::string(e.default_message);
  } else {
    out.message = std::string(status.message());
  }
  return out;
}

}  // namespace sb::gateway
