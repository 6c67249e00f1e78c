// Bucket CORS: Put/Get/DeleteBucketCors, the OPTIONS preflight, and the CORS headers of
// ordinary requests that carry an Origin (gateway/xml/cors_xml.h matches the rules).
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/cors_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

absl::Status NoCors() {
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchCorsConfiguration,
                   "The CORS configuration does not exist");
}

absl::Status Forbidden() {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kCorsForbidden,
                   "CORSResponse: This CORS request is not allowed. This is usually because the "
                   "evalution of Origin, request method / Access-Control-Request-Method or "
                   "Access-Control-Request-Headers are not whitelisted by the resource's CORS "
                   "spec.");
}

absl::StatusOr<std::vector<xml::CorsRule>> BucketRules(Services& s, std::string_view bucket) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(bucket));
  if (record.cors().empty()) return std::vector<xml::CorsRule>{};
  return xml::ParseCorsConfiguration(record.cors());
}

// The response headers of a matched rule (S3: the request's origin is echoed unless the
// rule allows any origin; with a specific origin, credentials are allowed).
HeaderList CorsHeaders(const xml::CorsRule& rule, std::string_view origin,
                       const std::vector<std::string>& request_headers) {
  const bool any = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(), "*") !=
                   rule.allowed_origins.end();
  HeaderList h;
  h.emplace_back("Access-Control-Allow-Origin", any ? std::string("*") : std::string(origin));
  h.emplace_back("Access-Control-Allow-Methods", absl::StrJoin(rule.allowed_methods, ", "));
  if (!request_headers.empty()) {
    h.emplace_back("Access-Control-Allow-Headers", absl::StrJoin(request_headers, ", "));
  }
  if (!rule.expose_headers.empty()) {
    h.emplace_back("Access-Control-Expose-Headers", absl::StrJoin(rule.expose_headers, ", "));
  }
  if (rule.max_age_seconds.has_value()) {
    h.emplace_back("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
  }
  if (!any) h.emplace_back("Access-Control-Allow-Credentials", "true");
  h.emplace_back("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  return h;
}

absl::Status PutBucketCors(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(std::vector<xml::CorsRule> rules, xml::ParseCorsConfiguration(body));
  const std::string stored = xml::CorsConfigurationXml(rules);
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [&](metadata::BucketRecord& record) {
                                         record.set_cors(stored);
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(200, {}, "");
}

absl::Status GetBucketCors(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.cors().empty()) return NoCors();
  return ctx.Respond(200, {}, record.cors());
}

absl::Status DeleteBucketCors(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [](metadata::BucketRecord& record) {
                                         record.clear_cors();
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

std::vector<std::string> RequestedHeaders(const RequestContext& ctx) {
  std::vector<std::string> out;
  if (const std::string* v = ctx.http.Header("access-control-request-headers")) {
    for (absl::string_view h : absl::StrSplit(AsAbsl(*v), ',', absl::SkipWhitespace())) {
      out.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(h)));
    }
  }
  return out;
}

absl::Status Preflight(RequestContext& ctx, Services& s) {
  const std::string* origin = ctx.http.Header("origin");
  if (origin == nullptr || origin->empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Insufficient information. Origin request header needed.");
  }
  const std::string* method = ctx.http.Header("access-control-request-method");
  if (method == nullptr || method->empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Invalid Access-Control-Request-Method: ");
  }
  SB_ASSIGN_OR_RETURN(std::vector<xml::CorsRule> rules, BucketRules(s, ctx.req.bucket));
  const std::vector<std::string> headers = RequestedHeaders(ctx);
  const xml::CorsRule* rule = xml::MatchCorsRule(rules, *origin, *method, headers);
  if (rule == nullptr) return Forbidden();
  return ctx.Respond(200, CorsHeaders(*rule, *origin, headers), "");
}

}  // namespace

void AddCorsResponseHeaders(RequestContext& ctx, Services& s) {
  const std::string* origin = ctx.http.Header("origin");
  if (origin == nullptr || origin->empty() || ctx.req.bucket.empty() ||
      ctx.req.op == Operation::kCorsPreflight) {
    return;
  }
  absl::StatusOr<std::vector<xml::CorsRule>> rules = BucketRules(s, ctx.req.bucket);
  if (!rules.ok() || rules->empty()) return;
  const xml::CorsRule* rule = xml::MatchCorsRule(*rules, *origin, ctx.http.method, {});
  if (rule != nullptr) ctx.response_headers = CorsHeaders(*rule, *origin, {});
}

absl::Status HandleCorsOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutBucketCors:
      return PutBucketCors(ctx, s);
    case Operation::kGetBucketCors:
      return GetBucketCors(ctx, s);
    case Operation::kDeleteBucketCors:
      return DeleteBucketCors(ctx, s);
    case Operation::kCorsPreflight:
      return Preflight(ctx, s);
    default:
      return absl::InternalError("not a CORS operation");
  }
}

}  // namespace sb::gateway
