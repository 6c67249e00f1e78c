// ACL compatibility under S3 Object Ownership "BucketOwnerEnforced" (the AWS default since
// 2023): ACLs are disabled, the owner has FULL_CONTROL, and only that ACL can be "set".
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/acl_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

// The owner of the bucket, which under BucketOwnerEnforced also owns every object in it,
// whoever wrote it (the writer stays on the record for the audit trail). A named key must
// exist (NoSuchKey otherwise).
absl::StatusOr<std::string> ResourceOwner(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto bucket, s.meta.GetBucket(ctx.req.bucket));
  if (!ctx.req.key.empty()) {
    SB_RETURN_IF_ERROR(s.meta.GetObject(ctx.req.bucket, ctx.req.key).status());
  }
  return bucket.owner();
}

absl::Status PutAcl(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string owner, ResourceOwner(ctx, s));
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx, s.meta));
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  if (!body.empty()) {
    if (IsPublicAcl(body)) SB_RETURN_IF_ERROR(CheckPublicAclsAllowed(s.meta, ctx.req.bucket));
    SB_ASSIGN_OR_RETURN(bool owner_only, xml::IsOwnerOnlyAcl(body, owner));
    if (!owner_only) {
      return MakeError(absl::StatusCode::kInvalidArgument,
                       ErrorReason::kAccessControlListNotSupported,
                       "The bucket does not allow ACLs");
    }
  }
  return ctx.Respond(200, {}, "");
}

}  // namespace

absl::Status HandleAclOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kGetBucketAcl:
    case Operation::kGetObjectAcl: {
      SB_ASSIGN_OR_RETURN(std::string owner, ResourceOwner(ctx, s));
      return ctx.Respond(200, {}, xml::OwnerOnlyAclXml(owner));
    }
    case Operation::kPutBucketAcl:
    case Operation::kPutObjectAcl:
      return PutAcl(ctx, s);
    default:
      return absl::InternalError("not an ACL operation");
  }
}

}  // namespace sb::gateway
