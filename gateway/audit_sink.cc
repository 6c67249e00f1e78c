#include "gateway/audit_sink.h"

#include "absl/time/clock.h"

namespace sb::gateway {

audit::AuditRecord MakeAuditRecord(const RequestContext& ctx) {
  audit::AuditRecord r;
  r.time_unix_nanos = absl::ToUnixNanos(ctx.start);
  r.request_id = ctx.req.request_id;
  const auto& p = ctx.auth.principal;
  r.principal.access_key = p.access_key;
  r.principal.user = p.anonymous ? "anonymous" : p.user;
  r.principal.groups = p.groups;
  r.principal.source_ip = ctx.http.remote_ip;
  // An STS session is named by its temporary access key id (the user is the one who assumed).
  if (p.key_kind == policy::iam::KeyKind::kSession) r.principal.session = p.access_key;
  r.principal.tls = ctx.http.tls;
  r.operation = std::string(OperationName(ctx.req.op));
  r.bucket = ctx.req.bucket;
  r.key = ctx.req.key;
  if (ctx.req.op == Operation::kAdminBucketRestore) {  // the bucket and prefix it restores
    if (const std::string* v = ctx.req.Query("bucket")) r.bucket = *v;
    if (const std::string* v = ctx.req.Query("prefix")) r.key = *v;
  }
  if (const std::string* v = ctx.req.Query("versionId")) r.version_id = *v;
  r.decision.allowed = ctx.decision.allowed;
  r.decision.decided_by = ctx.decision.decided_by;
  r.decision.policy_id = ctx.decision.policy_id;
  r.decision.statement_id = ctx.decision.statement_id;
  r.http_status = ctx.audit.http_status;
  r.error_code = ctx.audit.error_code;
  r.bytes_in = ctx.audit.bytes_in;
  r.bytes_out = ctx.audit.bytes_out;
  r.latency_micros = static_cast<uint64_t>(absl::ToInt64Microseconds(absl::Now() - ctx.start));
  r.etag = ctx.audit.etag;
  return r;
}

absl::Status AuditLogSink::Accepting() const {
  if (log_.mode() == audit::AuditMode::kBestEffort) return absl::OkStatus();
  return log_.Accepting();
}

absl::Status AuditLogSink::Record(const RequestContext& ctx) {
  access_log_.Record(ctx).IgnoreError();
  return log_.Append(MakeAuditRecord(ctx));
}

}  // namespace sb::gateway
