#include "absl/strings/match.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/stages/stages.h"

namespace sb::gateway {
namespace {

// SSE-C keys travel in headers, so (as AWS) they are refused on plain HTTP, for the object
// itself and for a copy source alike.
bool HasCustomerKeyHeaders(const HttpRequestHead& http) {
  for (const auto& [name, value] : http.headers) {
    if (absl::StartsWith(name, "x-amz-server-side-encryption-customer-") ||
        absl::StartsWith(name, "x-amz-copy-source-server-side-encryption-customer-")) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status ParseStage::Run(RequestContext& ctx) {
  std::string request_id = ctx.req.request_id;
  auto parsed = ParseS3Request(ctx.http, std::move(request_id), domains_);
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
  if (!ctx.http.tls && HasCustomerKeyHeaders(ctx.http)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Requests specifying Server Side Encryption with Customer provided keys "
                     "must be made over a secure connection.");
  }
  return absl::OkStatus();
}

}  // namespace sb::gateway
