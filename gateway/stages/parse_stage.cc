#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/stages/stages.h"

namespace sb::gateway {

absl::Status ParseStage::Run(RequestContext& ctx) {
  std::string request_id = ctx.req.request_id;
  auto parsed = ParseS3Request(ctx.http, std::move(request_id));
  if (!parsed.ok()) {
    // Keep the raw path for the error body and the audit record.
    ctx.req.raw_path = ctx.http.target.substr(0, ctx.http.target.find('?'));
    return parsed.status();
  }
  ctx.req = std::move(parsed).value();
  if (ctx.req.op == Operation::kUnknown) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                     "The specified method is not allowed against this resource.");
  }
  return absl::OkStatus();
}

}  // namespace sb::gateway
