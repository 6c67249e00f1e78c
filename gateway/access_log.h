// AccessLog: the pipeline's audit sink for now. Writes one structured JSON log line per
// request (who, what, decision, outcome, bytes, latency) with the request id that also
// appears in S3 error bodies. The tamper-evident, hash-chained audit log (issue 6)
// replaces this sink behind the same AuditSink interface. Thread-safe.
#pragma once

#include "gateway/pipeline.h"

namespace sb::gateway {

class AccessLog final : public AuditSink {
 public:
  absl::Status Record(const RequestContext& ctx) override;
};

}  // namespace sb::gateway
