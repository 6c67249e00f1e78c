#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/range.h"
#include "gateway/stages/request_conditions.h"
#include "gateway/stages/stages.h"

namespace sb::gateway {

std::string_view ActionFor(Operation op) {
  switch (op) {
    case Operation::kListBuckets:
      return "s3:ListAllMyBuckets";
    case Operation::kCreateBucket:
      return "s3:CreateBucket";
    case Operation::kHeadBucket:
    case Operation::kListObjects:
    case Operation::kListObjectsV2:
      return "s3:ListBucket";
    case Operation::kDeleteBucket:
      return "s3:DeleteBucket";
    case Operation::kGetBucketLocation:
      return "s3:GetBucketLocation";
    case Operation::kGetBucketVersioning:
      return "s3:GetBucketVersioning";
    case Operation::kPutBucketVersioning:
      return "s3:PutBucketVersioning";
    case Operation::kGetObjectLockConfiguration:
      return "s3:GetBucketObjectLockConfiguration";
    case Operation::kPutObjectLockConfiguration:
      return "s3:PutBucketObjectLockConfiguration";
    case Operation::kGetObjectRetention:
      return "s3:GetObjectRetention";
    case Operation::kPutObjectRetention:
      return "s3:PutObjectRetention";
    case Operation::kGetObjectLegalHold:
      return "s3:GetObjectLegalHold";
    case Operation::kPutObjectLegalHold:
      return "s3:PutObjectLegalHold";
    case Operation::kListObjectVersions:
      return "s3:ListBucketVersions";
    case Operation::kGetBucketAcl:
      return "s3:GetBucketAcl";
    case Operation::kPutBucketAcl:
      return "s3:PutBucketAcl";
    case Operation::kGetObjectAcl:
      return "s3:GetObjectAcl";
    case Operation::kPutObjectAcl:
      return "s3:PutObjectAcl";
    case Operation::kListMultipartUploads:
      return "s3:ListBucketMultipartUploads";
    case Operation::kDeleteObjects:
    case Operation::kDeleteObject:
      return "s3:DeleteObject";
    case Operation::kPutObject:
    case Operation::kPostObject:
    case Operation::kCopyObject:
    case Operation::kCreateMultipartUpload:
    case Operation::kUploadPart:
    case Operation::kUploadPartCopy:
    case Operation::kCompleteMultipartUpload:
      return "s3:PutObject";
    case Operation::kGetObject:
    case Operation::kHeadObject:
      return "s3:GetObject";
    case Operation::kGetObjectAttributes:
      return "s3:GetObjectAttributes";
    case Operation::kAbortMultipartUpload:
      return "s3:AbortMultipartUpload";
    case Operation::kListParts:
      return "s3:ListMultipartUploadParts";
    case Operation::kGetObjectTagging:
      return "s3:GetObjectTagging";
    case Operation::kPutObjectTagging:
      return "s3:PutObjectTagging";
    case Operation::kDeleteObjectTagging:
      return "s3:DeleteObjectTagging";
    case Operation::kGetBucketTagging:
      return "s3:GetBucketTagging";
    case Operation::kPutBucketTagging:
    case Operation::kDeleteBucketTagging:  // AWS checks the Put permission for deletes
      return "s3:PutBucketTagging";
    case Operation::kAdminInfo:
      return "admin:ServerInfo";
    case Operation::kAdminListBuckets:
    case Operation::kAdminGetBucket:
      return "admin:ListBuckets";
    case Operation::kAdminCreateBucket:
      return "admin:CreateBucket";
    case Operation::kAdminDeleteBucket:
      return "admin:DeleteBucket";
    case Operation::kAdminAuditPubkey:
    case Operation::kAdminAuditVerify:
    case Operation::kAdminAuditQuery:
      return "admin:AuditRead";
    case Operation::kAdminBucketRestore:
      return "admin:RestoreBucket";
    case Operation::kAdminIamListUsers:
      return "admin:ListUsers";
    case Operation::kAdminIamCreateUser:
      return "admin:CreateUser";
    case Operation::kAdminIamGetUser:
      return "admin:GetUser";
    case Operation::kAdminIamDeleteUser:
      return "admin:DeleteUser";
    case Operation::kAdminIamSetUserStatus:
      return "admin:UpdateUser";
    case Operation::kAdminIamListAccessKeys:
      return "admin:ListAccessKeys";
    case Operation::kAdminIamCreateAccessKey:
      return "admin:CreateAccessKey";
    case Operation::kAdminIamDeleteAccessKey:
      return "admin:DeleteAccessKey";
    case Operation::kAdminIamSetAccessKeyStatus:
      return "admin:UpdateAccessKey";
    case Operation::kAdminIamListGroups:
      return "admin:ListGroups";
    case Operation::kAdminIamCreateGroup:
      return "admin:CreateGroup";
    case Operation::kAdminIamGetGroup:
      return "admin:GetGroup";
    case Operation::kAdminIamDeleteGroup:
      return "admin:DeleteGroup";
    case Operation::kAdminIamAddGroupMember:
      return "admin:AddUserToGroup";
    case Operation::kAdminIamRemoveGroupMember:
      return "admin:RemoveUserFromGroup";
    case Operation::kAdminIamListPolicies:
      return "admin:ListPolicies";
    case Operation::kAdminIamGetPolicy:
      return "admin:GetPolicy";
    case Operation::kAdminIamPutPolicy:
      return "admin:PutPolicy";
    case Operation::kAdminIamDeletePolicy:
      return "admin:DeletePolicy";
    case Operation::kAdminIamAttachPolicy:
      return "admin:AttachPolicy";
    case Operation::kAdminIamDetachPolicy:
      return "admin:DetachPolicy";
    case Operation::kAdminIamSimulate:
      return "admin:SimulatePolicy";
    case Operation::kGetBucketPolicy:
      return "s3:GetBucketPolicy";
    case Operation::kPutBucketPolicy:
      return "s3:PutBucketPolicy";
    case Operation::kDeleteBucketPolicy:
      return "s3:DeleteBucketPolicy";
    case Operation::kGetBucketPolicyStatus:
      return "s3:GetBucketPolicyStatus";
    case Operation::kGetBucketCors:
      return "s3:GetBucketCORS";
    case Operation::kPutBucketCors:
    case Operation::kDeleteBucketCors:  // AWS checks the Put permission for deletes
      return "s3:PutBucketCORS";
    case Operation::kGetBucketLifecycle:
      return "s3:GetLifecycleConfiguration";
    case Operation::kPutBucketLifecycle:
    case Operation::kDeleteBucketLifecycle:  // AWS checks the Put permission for deletes
      return "s3:PutLifecycleConfiguration";
    case Operation::kGetPublicAccessBlock:
      return "s3:GetBucketPublicAccessBlock";
    case Operation::kPutPublicAccessBlock:
    case Operation::kDeletePublicAccessBlock:  // AWS checks the Put permission for deletes
      return "s3:PutBucketPublicAccessBlock";
    case Operation::kGetBucketOwnershipControls:
      return "s3:GetBucketOwnershipControls";
    case Operation::kPutBucketOwnershipControls:
    case Operation::kDeleteBucketOwnershipControls:
      return "s3:PutBucketOwnershipControls";
    case Operation::kGetBucketEncryption:
      return "s3:GetEncryptionConfiguration";
    case Operation::kPutBucketEncryption:
    case Operation::kDeleteBucketEncryption:  // AWS checks the Put permission for deletes
      return "s3:PutEncryptionConfiguration";
    case Operation::kAdminKmsListKeys:
      return "admin:KMSListKeys";
    case Operation::kAdminKmsCreateKey:
      return "admin:KMSCreateKey";
    case Operation::kAdminKmsRotateKey:
      return "admin:KMSRotateKey";
    case Operation::kAdminKmsDisableKey:
      return "admin:KMSDisableKey";
    case Operation::kAdminKmsEnableKey:
      return "admin:KMSEnableKey";
    case Operation::kMetrics:
      return policy::kPrometheusAction;
    case Operation::kSts:
      return "sts:AssumeRole";
    case Operation::kNotImplemented:
      return "s3:Unsupported";
    case Operation::kCorsPreflight:  // browsers send it without credentials; the bucket's
                                     // CORS rules decide
    case Operation::kHealthLive:
    case Operation::kHealthReady:
    case Operation::kUnknown:
      return "";
  }
  return "";
}

// A request naming a version needs the *Version action (AWS: GetObject?versionId= is
// s3:GetObjectVersion, DeleteObject?versionId= is s3:DeleteObjectVersion).
std::string_view VersionedActionFor(const RequestContext& ctx) {
  if (ctx.req.Query("versionId") != nullptr) {
    switch (ctx.req.op) {
      case Operation::kGetObject:
      case Operation::kHeadObject:
        return "s3:GetObjectVersion";
      case Operation::kDeleteObject:
        return "s3:DeleteObjectVersion";
      case Operation::kGetObjectAttributes:
        return "s3:GetObjectVersionAttributes";
      case Operation::kGetObjectTagging:
        return "s3:GetObjectVersionTagging";
      case Operation::kPutObjectTagging:
        return "s3:PutObjectVersionTagging";
      case Operation::kDeleteObjectTagging:
        return "s3:DeleteObjectVersionTagging";
      default:
        break;
    }
  }
  return ActionFor(ctx.req.op);
}

std::string S3Arn(std::string_view bucket, std::string_view key) {
  if (bucket.empty()) return "arn:aws:s3:::*";
  if (key.empty()) return absl::StrCat("arn:aws:s3:::", AsAbsl(bucket));
  return absl::StrCat("arn:aws:s3:::", AsAbsl(bucket), "/", AsAbsl(key));
}

absl::StatusOr<policy::Decision> AuthorizeOn(const policy::Authorizer& authorizer,
                                             const RequestContext& ctx, std::string_view action,
                                             std::string_view resource, std::string_view bucket,
                                             const policy::eval::ContextMap& conditions,
                                             ObjectTagsFn existing_object_tags) {
  policy::AuthzRequest request;
  request.principal = &ctx.auth.principal;
  request.action = action;
  request.resource = resource;
  request.bucket = bucket;
  request.context = conditions;
  request.existing_object_tags = std::move(existing_object_tags);
  return authorizer.Authorize(request);
}

absl::Status AuthorizeWithBody(RequestContext& ctx, const policy::Authorizer* authorizer,
                               metadata::MetadataStore& meta,
                               const policy::eval::ContextMap& conditions) {
  if (authorizer == nullptr) {
    ctx.decision = {ctx.auth.principal.is_root, "root", "", ""};
  } else {
    absl::StatusOr<policy::Decision> decision =
        AuthorizeOn(*authorizer, ctx, VersionedActionFor(ctx), S3Arn(ctx.req.bucket, ctx.req.key),
                    ctx.req.bucket, conditions, ExistingObjectTags(meta, ctx));
    if (!decision.ok()) {
      ctx.decision = {false, "error", "", ""};
      return decision.status();
    }
    ctx.decision = *std::move(decision);
  }
  if (!ctx.decision.allowed) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "Access Denied");
  }
  return absl::OkStatus();
}

ObjectTagsFn ExistingObjectTags(metadata::MetadataStore& meta, const RequestContext& ctx) {
  switch (ctx.req.op) {
    case Operation::kGetObject:
    case Operation::kHeadObject:
    case Operation::kGetObjectTagging:
    case Operation::kPutObjectTagging:
    case Operation::kDeleteObjectTagging:
    case Operation::kGetObjectAcl:
    case Operation::kPutObjectAcl:
      break;
    default:
      return {};
  }
  if (ctx.req.key.empty()) return {};
  const std::string* version = ctx.req.Query("versionId");
  return [&meta, bucket = ctx.req.bucket, key = ctx.req.key,
          version_id = version == nullptr ? std::string() : *version]()
             -> absl::StatusOr<std::vector<std::pair<std::string, std::string>>> {
    SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                        version_id.empty() ? meta.GetObject(bucket, key)
                                           : meta.GetObjectVersion(bucket, key, version_id));
    std::vector<std::pair<std::string, std::string>> tags;
    if (record.delete_marker()) return tags;
    tags.assign(record.tags().begin(), record.tags().end());
    return tags;
  };
}

namespace {

// Copies also read their source: AWS requires s3:GetObject (s3:GetObjectVersion with a
// versionId) on it, under the source bucket's policy.
absl::StatusOr<policy::Decision> AuthorizeCopySource(const policy::Authorizer& authorizer,
                                                     const RequestContext& ctx,
                                                     const policy::eval::ContextMap& conditions) {
  SB_ASSIGN_OR_RETURN(CopySource src, ParseCopySource(ctx));
  return AuthorizeOn(authorizer, ctx,
                     src.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion",
                     S3Arn(src.bucket, src.key), src.bucket, conditions);
}

}  // namespace

bool AuthorizeStage::MayListMissingKey(const RequestContext& ctx,
                                       const policy::eval::ContextMap& conditions) const {
  if ((ctx.req.op != Operation::kGetObject && ctx.req.op != Operation::kHeadObject) ||
      meta_ == nullptr || ctx.req.key.empty() || ctx.req.HasQuery("versionId")) {
    return false;
  }
  absl::StatusOr<metadata::ObjectRecord> current = meta_->GetObject(ctx.req.bucket, ctx.req.key);
  if (GetReason(current.status()) != ErrorReason::kNoSuchKey) return false;
  policy::eval::ContextMap listing = conditions;
  listing["s3:prefix"] = {ctx.req.key};
  absl::StatusOr<policy::Decision> list = AuthorizeOn(
      authorizer_, ctx, "s3:ListBucket", S3Arn(ctx.req.bucket, ""), ctx.req.bucket, listing);
  return list.ok() && list->allowed;
}

absl::Status AuthorizeStage::Run(RequestContext& ctx) {
  std::string_view action = VersionedActionFor(ctx);
  if (action.empty()) {
    // Health probes are public by design: they reveal only liveness.
    ctx.decision = {true, "public-endpoint", "", ""};
    return absl::OkStatus();
  }
  if (ctx.req.op == Operation::kDeleteObjects) {
    // Decided per key by the handler (s3:DeleteObject on each object), as AWS does.
    ctx.decision = {true, "per-key", "", ""};
    return absl::OkStatus();
  }
  if (ctx.req.op == Operation::kPutObjectTagging || ctx.req.op == Operation::kPutObjectRetention ||
      ctx.req.op == Operation::kPutObjectLegalHold) {
    // Decided by the handler once the body is parsed (s3:RequestObjectTag/<key>,
    // s3:object-lock-*), through AuthorizeWithBody.
    ctx.decision = {true, "per-body", "", ""};
    return absl::OkStatus();
  }
  const std::string resource =
      ctx.req.op == Operation::kSts ? "*" : S3Arn(ctx.req.bucket, ctx.req.key);
  const policy::eval::ContextMap conditions = RequestConditions(ctx);
  absl::StatusOr<policy::Decision> decision =
      AuthorizeOn(authorizer_, ctx, action, resource, ctx.req.bucket, conditions,
                  meta_ != nullptr ? ExistingObjectTags(*meta_, ctx) : ObjectTagsFn());
  if (!decision.ok()) {
    ctx.decision = {false, "error", "", ""};  // fail closed (e.g. unreadable bucket policy)
    return decision.status();
  }
  ctx.decision = *std::move(decision);
  if (ctx.req.op == Operation::kSts && !ctx.auth.principal.anonymous &&
      ctx.decision.decided_by == "implicit-deny") {
    // Self-service, as MinIO: a session narrows its own user's permissions, so a user may
    // start one unless a policy explicitly denies sts:AssumeRole.
    ctx.decision = {true, "sts-self-service", "", ""};
  }
  if (ctx.req.op == Operation::kSts && ctx.auth.principal.anonymous &&
      !ctx.http.tls_client_cn.empty() && ctx.decision.decided_by == "implicit-deny") {
    // AssumeRoleWithCertificate: the verified client certificate is the credential; the
    // STS handler maps it to a service account (and refuses every other unsigned action).
    ctx.decision = {true, "sts-client-certificate", "", ""};
  }
  if (ctx.decision.allowed &&
      (ctx.req.op == Operation::kCopyObject || ctx.req.op == Operation::kUploadPartCopy)) {
    absl::StatusOr<policy::Decision> source = AuthorizeCopySource(authorizer_, ctx, conditions);
    if (!source.ok()) {
      if (GetReason(source.status()) == ErrorReason::kNone) ctx.decision = {false, "error", "", ""};
      return source.status();  // a malformed x-amz-copy-source, or an unreadable policy
    }
    if (!source->allowed) ctx.decision = *std::move(source);  // the audit names the source's rule
  }
  if (!ctx.decision.allowed && MayListMissingKey(ctx, conditions)) {
    // S3: a caller who may list the key's name learns it is missing (404), not 403.
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                     "The specified key does not exist.");
  }
  if (!ctx.decision.allowed) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "Access Denied");
  }
  return absl::OkStatus();
}

}  // namespace sb::gateway
