// Admin API over the audit log: the signing public key, chain verification, and queries
// ("who touched this object, and which rule let them").
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/numbers.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/xml_builder.h"
#include "policy/audit/query.h"
#include "policy/audit/verify.h"

namespace sb::gateway {
namespace {

absl::Status Verify(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(audit::VerifyReport report,
                      audit::Verify(s.audit_dir, s.audit_public_key_pem));
  boost::json::object out;
  out["ok"] = report.ok;
  out["records_checked"] = report.records_checked;
  out["checkpoints_checked"] = report.checkpoints_checked;
  out["segments"] = report.segments;
  out["head_seq"] = report.head_seq;
  out["head_hash"] = report.head_hash;
  out["last_checkpoint_seq"] = report.last_checkpoint_seq;
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

absl::Status Query(RequestContext& ctx, Services& s) {
  audit::AuditFilter filter;
  if (const auto* v = ctx.req.Query("bucket")) filter.bucket = *v;
  if (const auto* v = ctx.req.Query("key")) filter.key = *v;
  if (const auto* v = ctx.req.Query("prefix")) {
    filter.key = *v;
    filter.key_is_prefix = true;
  }
  if (const auto* v = ctx.req.Query("user")) filter.user = *v;
  if (const auto* v = ctx.req.Query("access_key")) filter.access_key = *v;
  if (const auto* v = ctx.req.Query("operation")) filter.operation = *v;
  if (const auto* v = ctx.req.Query("limit")) {
    size_t limit = 0;
    if (absl::SimpleAtoi(AsAbsl(*v), &limit) && limit > 0)
      filter.limit = std::min<size_t>(limit, 10000);
  }
  SB_ASSIGN_OR_RETURN(audit::QueryResult result, audit::Query(s.audit_dir, filter));
  boost::json::array records;
  for (const auto& lr : result.records) {
    const auto& r = lr.record;
    records.push_back(boost::json::object{{"seq", lr.seq},
                                          {"time", xml::FormatS3Time(r.time_unix_nanos)},
                                          {"request_id", r.request_id},
                                          {"user", r.principal.user},
                                          {"access_key", r.principal.access_key},
                                          {"source_ip", r.principal.source_ip},
                                          {"operation", r.operation},
                                          {"bucket", r.bucket},
                                          {"key", r.key},
                                          {"status", r.http_status},
                                          {"error", r.error_code},
                                          {"allowed", r.decision.allowed},
                                          {"decided_by", r.decision.decided_by},
                                          {"etag", r.etag}});
  }
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
