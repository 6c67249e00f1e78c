// Maps method + bucket/key presence + query subresources to an S3 Operation. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::gateway {

enum class Operation {
  kUnknown,
  kNotImplemented,  // a real S3 operation this server does not support yet
  // Service and internal endpoints.
  kListBuckets,
  kHealthLive,
  kHealthReady,
  kMetrics,  // GET /_strongbox/metrics (Prometheus)
  kAdminInfo,
  kAdminListBuckets,  // /_strongbox/admin/v1/buckets[/NAME]
  kAdminGetBucket,
  kAdminCreateBucket,
  kAdminDeleteBucket,
  kAdminAuditPubkey,
  kAdminAuditVerify,
  kAdminAuditQuery,
  kAdminBucketRestore,  // POST /_strongbox/admin/v1/restore (point-in-time restore)
  // IAM admin API (gateway/iam_routes.h).
  kAdminIamListUsers,
  kAdminIamCreateUser,
  kAdminIamGetUser,
  kAdminIamDeleteUser,
  kAdminIamSetUserStatus,
  kAdminIamListAccessKeys,
  kAdminIamCreateAccessKey,
  kAdminIamDeleteAccessKey,
  kAdminIamSetAccessKeyStatus,
  kAdminIamListGroups,
  kAdminIamCreateGroup,
  kAdminIamGetGroup,
  kAdminIamDeleteGroup,
  kAdminIamAddGroupMember,
  kAdminIamRemoveGroupMember,
  kAdminIamListPolicies,
  kAdminIamGetPolicy,
  kAdminIamPutPolicy,
  kAdminIamDeletePolicy,
  kAdminIamAttachPolicy,
  kAdminIamDetachPolicy,
  kAdminIamSimulate,
  kAdminKmsListKeys,
  kAdminKmsCreateKey,
  kAdminKmsRotateKey,
  kAdminKmsDisableKey,
  kAdminKmsEnableKey,
  kSts,  // the STS query API at the root (Action=AssumeRole)
  // Bucket operations.
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kGetBucketVersioning,
  kPutBucketVersioning,
  kGetObjectLockConfiguration,  // ?object-lock
  kPutObjectLockConfiguration,
  kListObjects,
  kListObjectsV2,
  kListObjectVersions,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kListMultipartUploads,
  kDeleteObjects,
  kGetBucketPolicy,
  kPutBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kGetBucketEncryption,
  kPutBucketEncryption,
  kDeleteBucketEncryption,
  kGetBucketTagging,
  kPutBucketTagging,
  kDeleteBucketTagging,
  kGetBucketCors,  // ?cors
  kPutBucketCors,
  kDeleteBucketCors,
  kCorsPreflight,         // OPTIONS on a bucket or object: unauthenticated, as S3
  kGetPublicAccessBlock,  // ?publicAccessBlock
  kPutPublicAccessBlock,
  kDeletePublicAccessBlock,
  kGetBucketOwnershipControls,  // ?ownershipControls
  kPutBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  kGetBucketLifecycle,  // ?lifecycle
  kPutBucketLifecycle,
  kDeleteBucketLifecycle,
  // Object operations.
  kPutObject,
  kPostObject,  // POST /bucket with multipart/form-data (browser uploads)
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kGetObjectRetention,  // ?retention
  kPutObjectRetention,
  kGetObjectLegalHold,  // ?legal-hold
  kPutObjectLegalHold,
  kGetObjectAttributes,  // ?attributes
};

struct RouteInput {
  std::string_view method;
  std::string_view raw_path;  // to recognise /_strongbox/ endpoints
  bool has_bucket = false;
  bool has_key = false;
  const std::vector<std::pair<std::string, std::string>>* query = nullptr;
  bool has_copy_source = false;  // x-amz-copy-source header present
};

Operation Route(const RouteInput& in);

// Stable name ("PutObject"), used for logs, metrics and the audit record; also the
// s3:<Action> suffix for policy evaluation where they coincide.
std::string_view OperationName(Operation op);

}  // namespace sb::gateway
