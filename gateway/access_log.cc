#include "gateway/access_log.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging.h"

namespace sb::gateway {

absl::Status AccessLog::Record(const RequestContext& ctx) {
  const auto& p = ctx.auth.principal;
  std::string status = absl::StrCat(ctx.audit.http_status);
  std::string bytes_in = absl::StrCat(ctx.audit.bytes_in);
  std::string bytes_out = absl::StrCat(ctx.audit.bytes_out);
  std::string latency_ms = absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - ctx.start));
  Log(LogLevel::kInfo, "request",
      {{"request_id", ctx.req.request_id},
       {"op", OperationName(ctx.req.op)},
       {"method", ctx.http.method},
       {"bucket", ctx.req.bucket},
       {"key", ctx.req.key},
       {"principal", p.anonymous ? "anonymous" : p.user},
       {"access_key", p.access_key},
       {"source_ip", ctx.http.remote_ip},
       {"decision", ctx.decision.decided_by},
       {"status", status},
       {"error", ctx.audit.error_code},
       {"bytes_in", bytes_in},
       {"bytes_out", bytes_out},
       {"etag", ctx.audit.etag},
       {"latency_ms", latency_ms}});
  return absl::OkStatus();
}

}  // namespace sb::gateway
