// Block Public Access (?publicAccessBlock) and Object Ownership (?ownershipControls) of a
// bucket. The public access block is enforced where it bites: BlockPublicAcls in
// CheckAclHeaders and PutAcl, BlockPublicPolicy in PutBucketPolicy, RestrictPublicBuckets in
// policy::BucketPolicyCache (anonymous callers lose a public policy's grants). IgnorePublicAcls
// is stored and returned only: no ACL ever grants anything here (BucketOwnerEnforced).
// Ownership is always BucketOwnerEnforced; the other two settings are refused.
#include <functional>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/bucket_config_xml.h"

namespace sb::gateway {
namespace {

constexpr std::string_view kEnforced = "BucketOwnerEnforced";

absl::Status Update(RequestContext& ctx, Services& s,
                    const std::function<void(metadata::BucketRecord&)>& change) {
  return s.meta
      .UpdateBucket(ctx.req.bucket,
                    [&](metadata::BucketRecord& record) {
                      change(record);
                      return absl::OkStatus();
                    })
      .status();
}

absl::Status PutPublicAccessBlock(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(metadata::PublicAccessBlockConfig config,
                      xml::ParsePublicAccessBlockConfiguration(body));
  SB_RETURN_IF_ERROR(Update(ctx, s, [&](metadata::BucketRecord& record) {
    *record.mutable_public_access_block() = config;
  }));
  return ctx.Respond(200, {}, "");
}

absl::Status GetPublicAccessBlock(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (!record.has_public_access_block()) {
    return MakeError(absl::StatusCode::kNotFound,
                     ErrorReason::kNoSuchPublicAccessBlockConfiguration,
                     "The public access block configuration was not found");
  }
  return ctx.Respond(200, {}, xml::PublicAccessBlockConfigurationXml(record.public_access_block()));
}

absl::Status PutOwnershipControls(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(std::string ownership, xml::ParseOwnershipControls(body));
  if (ownership != kEnforced) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     absl::StrCat("Object Ownership ", ownership,
                                  " is not supported: Strongbox buckets are always "
                                  "BucketOwnerEnforced (ACLs disabled)"));
  }
  SB_RETURN_IF_ERROR(Update(ctx, s, [](metadata::BucketRecord& record) {
    record.set_ownership_controls_deleted(false);
  }));
  return ctx.Respond(200, {}, "");
}

absl::Status GetOwnershipControls(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.ownership_controls_deleted()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kOwnershipControlsNotFound,
                     "The bucket ownership controls were not found");
  }
  return ctx.Respond(200, {}, xml::OwnershipControlsXml(kEnforced));
}

}  // namespace

absl::Status HandlePublicAccessOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutPublicAccessBlock:
      return PutPublicAccessBlock(ctx, s);
    case Operation::kGetPublicAccessBlock:
      return GetPublicAccessBlock(ctx, s);
    case Operation::kDeletePublicAccessBlock:
      SB_RETURN_IF_ERROR(Update(
          ctx, s, [](metadata::BucketRecord& record) { record.clear_public_access_block(); }));
      return ctx.Respond(204, {}, "");
    case Operation::kPutBucketOwnershipControls:
      return PutOwnershipControls(ctx, s);
    case Operation::kGetBucketOwnershipControls:
      return GetOwnershipControls(ctx, s);
    case Operation::kDeleteBucketOwnershipControls:
      SB_RETURN_IF_ERROR(Update(ctx, s, [](metadata::BucketRecord& record) {
        record.set_ownership_controls_deleted(true);
      }));
      return ctx.Respond(204, {}, "");
    default:
      return absl::InternalError("not a public access operation");
  }
}

}  // namespace sb::gateway
