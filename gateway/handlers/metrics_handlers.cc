// GET /_strongbox/metrics: the Prometheus text exposition of the server's registry.
// Authorization (admin:Prometheus, by SigV4 or bearer token) happened in the pipeline.
#include "common/error_reason.h"
#include "gateway/handlers/handlers.h"

namespace sb::gateway {

absl::Status HandleMetricsOperation(RequestContext& ctx, Services& s) {
  if (s.metrics == nullptr) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNotImplemented,
                     "metrics are not enabled");
  }
  return ctx.Respond(200, {}, s.metrics->Render(), metrics::kContentType);
}

}  // namespace sb::gateway
