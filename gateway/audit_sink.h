// AuditLogSink: the pipeline's Audit stage. Writes the JSON access-log line and appends the
// request's record to the tamper-evident, hash-chained audit log (policy/audit). In
// fail-closed mode Record() returns only once the record is durable, and its error
// withholds the response. Thread-safe (AuditLog group-commits concurrent appends).
#pragma once

#include "gateway/access_log.h"
#include "gateway/pipeline.h"
#include "policy/audit/audit_log.h"

namespace sb::gateway {

class AuditLogSink final : public AuditSink {
 public:
  explicit AuditLogSink(audit::AuditLog& log) : log_(log) {}
  absl::Status Record(const RequestContext& ctx) override;
  // Fail-closed: the log's Accepting(). Best-effort never refuses a request.
  absl::Status Accepting() const override;

 private:
  AccessLog access_log_;
  audit::AuditLog& log_;
};

// The audit record for a finished (or failed) request.
audit::AuditRecord MakeAuditRecord(const RequestContext& ctx);

}  // namespace sb::gateway
