// Admin API over the audit log: the signing public key, chain verification, and queries
// ("who touched this object, and which rule let them").
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/absl_compat.h"
#include "common/clock.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/xml_builder.h"
#include "policy/audit/query.h"
#include "policy/audit/verify.h"

namespace sb::gateway {
namespace {

absl::StatusOr<int64_t> ParseInstant(const std::string& name, const std::string& text);

// GET .../audit/verify[?from=T]: from the last signed checkpoint at or before T.
absl::Status Verify(RequestContext& ctx, Services& s) {
  audit::VerifyOptions options;
  if (const auto* v = ctx.req.Query("from")) {
    SB_ASSIGN_OR_RETURN(options.from_unix_nanos, ParseInstant("from", *v));
  }
  SB_ASSIGN_OR_RETURN(audit::VerifyReport report,
                      audit::Verify(s.audit_dir, s.audit_public_key_pem, options));
  boost::json::object out;
  out["ok"] = report.ok;
  out["records_checked"] = report.records_checked;
  out["checkpoints_checked"] = report.checkpoints_checked;
  out["segments"] = report.segments;
  out["head_seq"] = report.head_seq;
  out["head_hash"] = report.head_hash;
  out["last_checkpoint_seq"] = report.last_checkpoint_seq;
  out["anchored_at_seq"] = report.anchored_at_seq;
  if (report.failure.has_value()) {
    const auto& f = *report.failure;
    out["kind"] = std::string(audit::VerifyFailureKindName(f.kind));
    out["file"] = f.file;
    out["line"] = f.line;
    out["seq"] = f.seq;
    out["detail"] = f.detail;
  }
  return ctx.Respond(200, {}, boost::json::serialize(out), "application/json");
}

absl::Status BadQuery(std::string message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   std::move(message));
}

// RFC 3339 (2026-11-22T06:40:00Z) or unix seconds.
absl::StatusOr<int64_t> ParseInstant(const std::string& name, const std::string& text) {
  if (std::optional<int64_t> nanos = ParseInstantNanos(text)) return *nanos;
  return BadQuery(absl::StrCat("'", name, "' must be an RFC 3339 time or unix seconds"));
}

absl::StatusOr<audit::AuditFilter> FilterFromQuery(const RequestContext& ctx) {
  audit::AuditFilter filter;
  if (const auto* v = ctx.req.Query("bucket")) filter.bucket = *v;
  if (const auto* v = ctx.req.Query("key")) filter.key = *v;
  if (const auto* v = ctx.req.Query("prefix")) {
    filter.key = *v;
    filter.key_is_prefix = true;
  }
  if (const auto* v = ctx.req.Query("user")) filter.user = *v;
  if (const auto* v = ctx.req.Query("access_key")) filter.access_key = *v;
  if (const auto* v = ctx.req.Query("principal")) filter.principal = *v;
  if (const auto* v = ctx.req.Query("operation")) filter.operation = *v;
  if (const auto* v = ctx.req.Query("since")) {
    SB_ASSIGN_OR_RETURN(filter.from_unix_nanos, ParseInstant("since", *v));
  }
  if (const auto* v = ctx.req.Query("until")) {
    SB_ASSIGN_OR_RETURN(filter.to_unix_nanos, ParseInstant("until", *v));
  }
  if (const auto* v = ctx.req.Query("decision")) {
    if (*v != "allow" && *v != "deny") return BadQuery("'decision' must be allow or deny");
    filter.allowed = *v == "allow";
  }
  if (const auto* v = ctx.req.Query("after_seq")) {
    if (!absl::SimpleAtoi(AsAbsl(*v), &filter.after_seq)) return BadQuery("bad 'after_seq'");
  }
  if (const auto* v = ctx.req.Query("limit")) {
    size_t limit = 0;
    if (absl::SimpleAtoi(AsAbsl(*v), &limit) && limit > 0)
      filter.limit = std::min<size_t>(limit, 10000);
  }
  filter.newest = ctx.req.Query("newest") != nullptr;
  return filter;
}

boost::json::object RecordJson(const audit::LoggedRecord& lr) {
  const auto& r = lr.record;
  boost::json::array groups;
  for (const auto& g : r.principal.groups) groups.push_back(boost::json::string(g));
  return boost::json::object{{"seq", lr.seq},
                             {"time", xml::FormatS3Time(r.time_unix_nanos)},
                             {"request_id", r.request_id},
                             {"user", r.principal.user},
                             {"access_key", r.principal.access_key},
                             {"groups", std::move(groups)},
                             {"session", r.principal.session},
                             {"source_ip", r.principal.source_ip},
                             {"operation", r.operation},
                             {"bucket", r.bucket},
                             {"key", r.key},
                             {"version_id", r.version_id},
                             {"status", r.http_status},
                             {"error", r.error_code},
                             {"allowed", r.decision.allowed},
                             {"decided_by", r.decision.decided_by},
                             {"policy", r.decision.policy_id},
                             {"statement", r.decision.statement_id},
                             {"bytes_in", r.bytes_in},
                             {"bytes_out", r.bytes_out},
                             {"latency_us", r.latency_micros},
                             {"etag", r.etag}};
}

// GET .../audit/query?bucket=&key=|prefix=&principal=&user=&access_key=&operation=
//   &since=&until=&decision=allow|deny&after_seq=N&limit=N[&newest]
absl::Status Query(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(audit::AuditFilter filter, FilterFromQuery(ctx));
  SB_ASSIGN_OR_RETURN(audit::QueryResult result, audit::Query(s.audit_dir, filter));
  boost::json::array records;
  for (const auto& lr : result.records) records.push_back(RecordJson(lr));
  boost::json::object out{{"records", std::move(records)}, {"truncated", result.truncated}};
  return ctx.Respond(200, {}, boost::json::serialize(out), "application/json");
}

}  // namespace

absl::Status HandleAuditOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kAdminAuditPubkey:
      return ctx.Respond(200, {}, s.audit_public_key_pem, "application/x-pem-file");
    case Operation::kAdminAuditVerify:
      return Verify(ctx, s);
    case Operation::kAdminAuditQuery:
      return Query(ctx, s);
    default:
      return absl::InternalError("not an audit operation");
  }
}

}  // namespace sb::gateway
