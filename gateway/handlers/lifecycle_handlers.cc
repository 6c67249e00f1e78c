// Put/Get/DeleteBucketLifecycleConfiguration (?lifecycle). The normalized configuration is
// stored in BucketRecord.lifecycle; server/lifecycle_worker carries the rules out.
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/lifecycle_xml.h"

namespace sb::gateway {
namespace {

absl::Status SetLifecycle(RequestContext& ctx, Services& s, const std::string& xml) {
  return s.meta
      .UpdateBucket(ctx.req.bucket,
                    [&](metadata::BucketRecord& record) {
                      record.set_lifecycle(xml);
                      return absl::OkStatus();
                    })
      .status();
}

absl::Status PutLifecycle(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(std::vector<xml::LifecycleRule> rules,
                      xml::ParseLifecycleConfiguration(body));
  SB_RETURN_IF_ERROR(SetLifecycle(ctx, s, xml::LifecycleConfigurationXml(rules)));
  return ctx.Respond(200, {}, "");
}

absl::Status GetLifecycle(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.lifecycle().empty()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchLifecycleConfiguration,
                     "The lifecycle configuration does not exist");
  }
  return ctx.Respond(200, {}, record.lifecycle());
}

}  // namespace

absl::Status HandleLifecycleOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutBucketLifecycle:
      return PutLifecycle(ctx, s);
    case Operation::kGetBucketLifecycle:
      return GetLifecycle(ctx, s);
    case Operation::kDeleteBucketLifecycle:  // 204 whether or not one existed, as S3
      SB_RETURN_IF_ERROR(SetLifecycle(ctx, s, ""));
      return ctx.Respond(204, {}, "");
    default:
      return absl::InternalError("not a lifecycle operation");
  }
}

}  // namespace sb::gateway
