#include "gateway/s3_router.h"

#include <array>

#include "gateway/iam_routes.h"

namespace sb::gateway {
namespace {

bool Has(const RouteInput& in, std::string_view name) {
  if (in.query == nullptr) return false;
  for (const auto& [k, v] : *in.query) {
    if (k == name) return true;
  }
  return false;
}

// Subresources of real S3 operations that are not implemented yet: answering
// NotImplemented is honest, while ignoring them would silently run the wrong operation.
constexpr std::array<std::string_view, 26> kUnsupportedSubresources = {"ownershipControls",
                                                                       "publicAccessBlock",
                                                                       "acl",
                                                                       "policy",
                                                                       "cors",
                                                                       "lifecycle",
                                                                       "tagging",
                                                                       "object-lock",
                                                                       "website",
                                                                       "logging",
                                                                       "notification",
                                                                       "replication",
                                                                       "accelerate",
                                                                       "requestPayment",
                                                                       "versions",
                                                                       "retention",
                                                                       "legal-hold",
                                                                       "torrent",
                                                                       "restore",
                                                                       "select",
                                                                       "analytics",
                                                                       "inventory",
                                                                       "metrics",
                                                                       "intelligent-tiering",
                                                                       "attributes",
                                                                       "policyStatus"};

bool HasUnsupported(const RouteInput& in) {
  for (auto name : kUnsupportedSubresources) {
    if (Has(in, name)) return true;
  }
  return false;
}

// ?policy: implemented for buckets only, and never together with an unsupported subresource.
Operation RouteBucketPolicy(const RouteInput& in) {
  for (auto name : kUnsupportedSubresources) {
    if (name != "policy" && Has(in, name)) return Operation::kNotImplemented;
  }
  if (in.method == "GET") return Operation::kGetBucketPolicy;
  if (in.method == "PUT") return Operation::kPutBucketPolicy;
  if (in.method == "DELETE") return Operation::kDeleteBucketPolicy;
  return Operation::kNotImplemented;
}

// ?tagging on a bucket or an object: GET/PUT/DELETE, never together with an unsupported
// subresource.
Operation RouteTagging(const RouteInput& in) {
  for (auto name : kUnsupportedSubresources) {
    if (name != "tagging" && Has(in, name)) return Operation::kNotImplemented;
  }
  // ?tagging on a copy or a multipart request is no S3 operation.
  if (in.has_copy_source || Has(in, "uploadId") || Has(in, "uploads")) {
    return Operation::kNotImplemented;
  }
  const bool object = in.has_key;
  if (in.method == "GET") {
    return object ? Operation::kGetObjectTagging : Operation::kGetBucketTagging;
  }
  if (in.method == "PUT") {
    return object ? Operation::kPutObjectTagging : Operation::kPutBucketTagging;
  }
  if (in.method == "DELETE") {
    return object ? Operation::kDeleteObjectTagging : Operation::kDeleteBucketTagging;
  }
  return Operation::kNotImplemented;
}

// Object Lock subresources: ?object-lock on a bucket, ?retention / ?legal-hold on an object;
// GET and PUT only, never together with another unsupported subresource.
Operation RouteObjectLock(const RouteInput& in) {
  std::string_view name =
      in.has_key ? (Has(in, "retention") ? "retention" : "legal-hold") : "object-lock";
  for (auto other : kUnsupportedSubresources) {
    if (other != name && Has(in, other)) return Operation::kNotImplemented;
  }
  if (in.has_copy_source || Has(in, "uploadId") || Has(in, "uploads")) {
    return Operation::kNotImplemented;
  }
  const bool get = in.method == "GET";
  if (!get && in.method != "PUT") return Operation::kNotImplemented;
  if (name == "object-lock") {
    return get ? Operation::kGetObjectLockConfiguration : Operation::kPutObjectLockConfiguration;
  }
  if (name == "retention") {
    return get ? Operation::kGetObjectRetention : Operation::kPutObjectRetention;
  }
  return get ? Operation::kGetObjectLegalHold : Operation::kPutObjectLegalHold;
}

// /_strongbox/admin/v1/kms/keys[/ID/(rotate|disable|enable)]; key ids may contain '/'.
Operation RouteKms(const RouteInput& in) {
  constexpr std::string_view kKeys = "/_strongbox/admin/v1/kms/keys";
  std::string_view path = in.raw_path;
  if (!path.starts_with(kKeys)) return Operation::kUnknown;
  path.remove_prefix(kKeys.size());
  if (path.empty()) {
    if (in.method == "GET") return Operation::kAdminKmsListKeys;
    if (in.method == "POST") return Operation::kAdminKmsCreateKey;
    return Operation::kUnknown;
  }
  if (in.method != "POST" || !path.starts_with("/")) return Operation::kUnknown;
  if (path.ends_with("/rotate")) return Operation::kAdminKmsRotateKey;
  if (path.ends_with("/disable")) return Operation::kAdminKmsDisableKey;
  if (path.ends_with("/enable")) return Operation::kAdminKmsEnableKey;
  return Operation::kUnknown;
}

// /_strongbox/admin/v1/buckets[/NAME]: GET lists or describes, PUT creates, DELETE removes.
Operation RouteAdminBuckets(const RouteInput& in) {
  constexpr std::string_view kBuckets = "/_strongbox/admin/v1/buckets";
  std::string_view path = in.raw_path;
  if (!path.starts_with(kBuckets)) return Operation::kUnknown;
  path.remove_prefix(kBuckets.size());
  if (path.empty()) return in.method == "GET" ? Operation::kAdminListBuckets : Operation::kUnknown;
  if (path.size() < 2 || path[0] != '/' || path.find('/', 1) != std::string_view::npos) {
    return Operation::kUnknown;
  }
  if (in.method == "GET") return Operation::kAdminGetBucket;
  if (in.method == "PUT") return Operation::kAdminCreateBucket;
  if (in.method == "DELETE") return Operation::kAdminDeleteBucket;
  return Operation::kUnknown;
}

Operation RouteInternal(const RouteInput& in) {
  if (in.raw_path == "/_strongbox/health/live") return Operation::kHealthLive;
  if (in.raw_path == "/_strongbox/health/ready") return Operation::kHealthReady;
  if (in.raw_path == "/_strongbox/metrics") {
    return in.method == "GET" ? Operation::kMetrics : Operation::kUnknown;
  }
  if (in.raw_path.starts_with(kIamAdminPrefix)) return RouteIam(in.method, in.raw_path);
  if (Operation kms = RouteKms(in); kms != Operation::kUnknown) return kms;
  if (Operation buckets = RouteAdminBuckets(in); buckets != Operation::kUnknown) return buckets;
  if (in.raw_path == "/_strongbox/admin/v1/restore") {
    return in.method == "POST" ? Operation::kAdminBucketRestore : Operation::kUnknown;
  }
  if (in.method != "GET") return Operation::kUnknown;
  if (in.raw_path == "/_strongbox/admin/v1/info") return Operation::kAdminInfo;
  if (in.raw_path == "/_strongbox/admin/v1/audit/pubkey") return Operation::kAdminAuditPubkey;
  if (in.raw_path == "/_strongbox/admin/v1/audit/verify") return Operation::kAdminAuditVerify;
  if (in.raw_path == "/_strongbox/admin/v1/audit/query") return Operation::kAdminAuditQuery;
  return Operation::kUnknown;
}

// A bucket settings subresource `name` with GET/PUT/DELETE (?cors, ?publicAccessBlock,
// ?ownershipControls), never combined with another subresource.
Operation RouteBucketSetting(const RouteInput& in, std::string_view name, Operation get,
                             Operation put, Operation del) {
  for (auto other : kUnsupportedSubresources) {
    if (other != name && Has(in, other)) return Operation::kNotImplemented;
  }
  for (auto other : {"encryption", "versioning", "location", "uploads", "delete"}) {
    if (Has(in, other)) return Operation::kNotImplemented;
  }
  if (in.method == "GET") return get;
  if (in.method == "PUT") return put;
  if (in.method == "DELETE") return del;
  return Operation::kNotImplemented;
}

Operation RouteBucket(const RouteInput& in) {
  const auto& m = in.method;
  if (Has(in, "policy")) return RouteBucketPolicy(in);
  if (Has(in, "policyStatus")) {
    for (auto name : kUnsupportedSubresources) {
      if (name != "policyStatus" && Has(in, name)) return Operation::kNotImplemented;
    }
    return m == "GET" ? Operation::kGetBucketPolicyStatus : Operation::kNotImplemented;
  }
  if (Has(in, "tagging")) return RouteTagging(in);
  if (Has(in, "object-lock")) return RouteObjectLock(in);
  if (Has(in, "cors")) {
    return RouteBucketSetting(in, "cors", Operation::kGetBucketCors, Operation::kPutBucketCors,
                              Operation::kDeleteBucketCors);
  }
  if (Has(in, "lifecycle")) {
    return RouteBucketSetting(in, "lifecycle", Operation::kGetBucketLifecycle,
                              Operation::kPutBucketLifecycle, Operation::kDeleteBucketLifecycle);
  }
  if (Has(in, "publicAccessBlock")) {
    return RouteBucketSetting(in, "publicAccessBlock", Operation::kGetPublicAccessBlock,
                              Operation::kPutPublicAccessBlock,
                              Operation::kDeletePublicAccessBlock);
  }
  if (Has(in, "ownershipControls")) {
    return RouteBucketSetting(in, "ownershipControls", Operation::kGetBucketOwnershipControls,
                              Operation::kPutBucketOwnershipControls,
                              Operation::kDeleteBucketOwnershipControls);
  }
  if (m == "GET") {
    if (Has(in, "location")) return Operation::kGetBucketLocation;
    if (Has(in, "versioning")) return Operation::kGetBucketVersioning;
    if (Has(in, "uploads")) return Operation::kListMultipartUploads;
    if (Has(in, "versions")) return Operation::kListObjectVersions;
    if (Has(in, "acl")) return Operation::kGetBucketAcl;
    if (Has(in, "encryption")) return Operation::kGetBucketEncryption;
    if (HasUnsupported(in)) return Operation::kNotImplemented;
    if (Has(in, "list-type")) return Operation::kListObjectsV2;
    return Operation::kListObjects;
  }
  if (m == "PUT" && Has(in, "acl")) return Operation::kPutBucketAcl;
  if (Has(in, "encryption") && !HasUnsupported(in)) {
    if (m == "PUT") return Operation::kPutBucketEncryption;
    if (m == "DELETE") return Operation::kDeleteBucketEncryption;
    return Operation::kNotImplemented;
  }
  if (m == "PUT" && Has(in, "versioning") && !HasUnsupported(in)) {
    return Operation::kPutBucketVersioning;
  }
  if (HasUnsupported(in) || Has(in, "versioning")) return Operation::kNotImplemented;
  if (m == "PUT") return Operation::kCreateBucket;
  if (m == "HEAD") return Operation::kHeadBucket;
  if (m == "DELETE") return Operation::kDeleteBucket;
  if (m == "POST" && Has(in, "delete")) return Operation::kDeleteObjects;
  if (m == "POST") return Operation::kPostObject;  // browser form uploads
  return Operation::kUnknown;
}

Operation RouteObject(const RouteInput& in) {
  const auto& m = in.method;
  if (Has(in, "attributes")) {
    for (auto name : kUnsupportedSubresources) {
      if (name != "attributes" && Has(in, name)) return Operation::kNotImplemented;
    }
    return m == "GET" && !Has(in, "uploadId") ? Operation::kGetObjectAttributes
                                              : Operation::kNotImplemented;
  }
  if (Has(in, "tagging")) return RouteTagging(in);
  if (Has(in, "retention") || Has(in, "legal-hold")) return RouteObjectLock(in);
  if (Has(in, "acl") && m == "GET") return Operation::kGetObjectAcl;
  if (Has(in, "acl") && m == "PUT") return Operation::kPutObjectAcl;
  // Encryption configuration is a bucket subresource only.
  if (HasUnsupported(in) || Has(in, "encryption")) return Operation::kNotImplemented;
  if (m == "GET") {
    if (Has(in, "uploadId")) return Operation::kListParts;
    return Operation::kGetObject;
  }
  if (m == "HEAD") return Operation::kHeadObject;
  if (m == "PUT") {
    if (Has(in, "partNumber") && Has(in, "uploadId")) {
      return in.has_copy_source ? Operation::kUploadPartCopy : Operation::kUploadPart;
    }
    return in.has_copy_source ? Operation::kCopyObject : Operation::kPutObject;
  }
  if (m == "POST") {
    if (Has(in, "uploads")) return Operation::kCreateMultipartUpload;
    if (Has(in, "uploadId")) return Operation::kCompleteMultipartUpload;
    return Operation::kNotImplemented;
  }
  if (m == "DELETE") {
    if (Has(in, "uploadId")) return Operation::kAbortMultipartUpload;
    return Operation::kDeleteObject;
  }
  return Operation::kUnknown;
}

}  // namespace

Operation Route(const RouteInput& in) {
  if (in.raw_path.starts_with("/_strongbox/")) return RouteInternal(in);
  if (!in.has_bucket) {
    // STS (AWS's query protocol) shares the root: a form-encoded POST, or ?Action= on a GET.
    if (in.method == "POST" || (in.method == "GET" && Has(in, "Action"))) return Operation::kSts;
    if (in.method == "GET") return Operation::kListBuckets;
    return Operation::kUnknown;
  }
  if (in.method == "OPTIONS") return Operation::kCorsPreflight;
  if (!in.has_key) return RouteBucket(in);
  return RouteObject(in);
}

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kUnknown:
      return "Unknown";
    case Operation::kNotImplemented:
      return "NotImplemented";
    case Operation::kListBuckets:
      return "ListBuckets";
    case Operation::kSts:
      return "STS";
    case Operation::kHealthLive:
      return "HealthLive";
    case Operation::kHealthReady:
      return "HealthReady";
    case Operation::kMetrics:
      return "Metrics";
    case Operation::kAdminInfo:
      return "AdminInfo";
    case Operation::kAdminAuditPubkey:
      return "AdminAuditPubkey";
    case Operation::kAdminAuditVerify:
      return "AdminAuditVerify";
    case Operation::kAdminAuditQuery:
      return "AdminAuditQuery";
    case Operation::kAdminBucketRestore:
      return "AdminRestoreBucket";
    case Operation::kAdminIamListUsers:
      return "AdminIamListUsers";
    case Operation::kAdminIamCreateUser:
      return "AdminIamCreateUser";
    case Operation::kAdminIamGetUser:
      return "AdminIamGetUser";
    case Operation::kAdminIamDeleteUser:
      return "AdminIamDeleteUser";
    case Operation::kAdminIamSetUserStatus:
      return "AdminIamSetUserStatus";
    case Operation::kAdminIamListAccessKeys:
      return "AdminIamListAccessKeys";
    case Operation::kAdminIamCreateAccessKey:
      return "AdminIamCreateAccessKey";
    case Operation::kAdminIamDeleteAccessKey:
      return "AdminIamDeleteAccessKey";
    case Operation::kAdminIamSetAccessKeyStatus:
      return "AdminIamSetAccessKeyStatus";
    case Operation::kAdminIamListGroups:
      return "AdminIamListGroups";
    case Operation::kAdminIamCreateGroup:
      return "AdminIamCreateGroup";
    case Operation::kAdminIamGetGroup:
      return "AdminIamGetGroup";
    case Operation::kAdminIamDeleteGroup:
      return "AdminIamDeleteGroup";
    case Operation::kAdminIamAddGroupMember:
      return "AdminIamAddGroupMember";
    case Operation::kAdminIamRemoveGroupMember:
      return "AdminIamRemoveGroupMember";
    case Operation::kAdminIamListPolicies:
      return "AdminIamListPolicies";
    case Operation::kAdminIamGetPolicy:
      return "AdminIamGetPolicy";
    case Operation::kAdminIamPutPolicy:
      return "AdminIamPutPolicy";
    case Operation::kAdminIamDeletePolicy:
      return "AdminIamDeletePolicy";
    case Operation::kAdminIamAttachPolicy:
      return "AdminIamAttachPolicy";
    case Operation::kAdminIamDetachPolicy:
      return "AdminIamDetachPolicy";
    case Operation::kAdminIamSimulate:
      return "AdminIamSimulate";
    case Operation::kGetBucketPolicy:
      return "GetBucketPolicy";
    case Operation::kPutBucketPolicy:
      return "PutBucketPolicy";
    case Operation::kDeleteBucketPolicy:
      return "DeleteBucketPolicy";
    case Operation::kGetBucketPolicyStatus:
      return "GetBucketPolicyStatus";
    case Operation::kGetObjectAttributes:
      return "GetObjectAttributes";
    case Operation::kGetBucketLifecycle:
      return "GetBucketLifecycleConfiguration";
    case Operation::kPutBucketLifecycle:
      return "PutBucketLifecycleConfiguration";
    case Operation::kDeleteBucketLifecycle:
      return "DeleteBucketLifecycle";
    case Operation::kGetPublicAccessBlock:
      return "GetPublicAccessBlock";
    case Operation::kPutPublicAccessBlock:
      return "PutPublicAccessBlock";
    case Operation::kDeletePublicAccessBlock:
      return "DeletePublicAccessBlock";
    case Operation::kGetBucketOwnershipControls:
      return "GetBucketOwnershipControls";
    case Operation::kPutBucketOwnershipControls:
      return "PutBucketOwnershipControls";
    case Operation::kDeleteBucketOwnershipControls:
      return "DeleteBucketOwnershipControls";
    case Operation::kAdminListBuckets:
      return "AdminListBuckets";
    case Operation::kAdminGetBucket:
      return "AdminGetBucket";
    case Operation::kAdminCreateBucket:
      return "AdminCreateBucket";
    case Operation::kAdminDeleteBucket:
      return "AdminDeleteBucket";
    case Operation::kAdminKmsListKeys:
      return "AdminKmsListKeys";
    case Operation::kAdminKmsCreateKey:
      return "AdminKmsCreateKey";
    case Operation::kAdminKmsRotateKey:
      return "AdminKmsRotateKey";
    case Operation::kAdminKmsDisableKey:
      return "AdminKmsDisableKey";
    case Operation::kAdminKmsEnableKey:
      return "AdminKmsEnableKey";
    case Operation::kGetBucketCors:
      return "GetBucketCors";
    case Operation::kPutBucketCors:
      return "PutBucketCors";
    case Operation::kDeleteBucketCors:
      return "DeleteBucketCors";
    case Operation::kCorsPreflight:
      return "CorsPreflight";
    case Operation::kGetBucketEncryption:
      return "GetBucketEncryption";
    case Operation::kPutBucketEncryption:
      return "PutBucketEncryption";
    case Operation::kDeleteBucketEncryption:
      return "DeleteBucketEncryption";
    case Operation::kCreateBucket:
      return "CreateBucket";
    case Operation::kHeadBucket:
      return "HeadBucket";
    case Operation::kDeleteBucket:
      return "DeleteBucket";
    case Operation::kGetBucketLocation:
      return "GetBucketLocation";
    case Operation::kGetBucketVersioning:
      return "GetBucketVersioning";
    case Operation::kPutBucketVersioning:
      return "PutBucketVersioning";
    case Operation::kGetObjectLockConfiguration:
      return "GetObjectLockConfiguration";
    case Operation::kPutObjectLockConfiguration:
      return "PutObjectLockConfiguration";
    case Operation::kGetObjectRetention:
      return "GetObjectRetention";
    case Operation::kPutObjectRetention:
      return "PutObjectRetention";
    case Operation::kGetObjectLegalHold:
      return "GetObjectLegalHold";
    case Operation::kPutObjectLegalHold:
      return "PutObjectLegalHold";
    case Operation::kListObjects:
      return "ListObjects";
    case Operation::kListObjectsV2:
      return "ListObjectsV2";
    case Operation::kListObjectVersions:
      return "ListObjectVersions";
    case Operation::kGetBucketAcl:
      return "GetBucketAcl";
    case Operation::kPutBucketAcl:
      return "PutBucketAcl";
    case Operation::kGetObjectAcl:
      return "GetObjectAcl";
    case Operation::kPutObjectAcl:
      return "PutObjectAcl";
    case Operation::kListMultipartUploads:
      return "ListMultipartUploads";
    case Operation::kDeleteObjects:
      return "DeleteObjects";
    case Operation::kPutObject:
      return "PutObject";
    case Operation::kCopyObject:
      return "CopyObject";
    case Operation::kPostObject:
      return "PostObject";
    case Operation::kGetObject:
      return "GetObject";
    case Operation::kHeadObject:
      return "HeadObject";
    case Operation::kDeleteObject:
      return "DeleteObject";
    case Operation::kCreateMultipartUpload:
      return "CreateMultipartUpload";
    case Operation::kUploadPart:
      return "UploadPart";
    case Operation::kUploadPartCopy:
      return "UploadPartCopy";
    case Operation::kCompleteMultipartUpload:
      return "CompleteMultipartUpload";
    case Operation::kAbortMultipartUpload:
      return "AbortMultipartUpload";
    case Operation::kListParts:
      return "ListParts";
    case Operation::kGetObjectTagging:
      return "GetObjectTagging";
    case Operation::kPutObjectTagging:
      return "PutObjectTagging";
    case Operation::kDeleteObjectTagging:
      return "DeleteObjectTagging";
    case Operation::kGetBucketTagging:
      return "GetBucketTagging";
    case Operation::kPutBucketTagging:
      return "PutBucketTagging";
    case Operation::kDeleteBucketTagging:
      return "DeleteBucketTagging";
  }
  return "Unknown";
}

}  // namespace sb::gateway
