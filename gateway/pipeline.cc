#include "gateway/pipeline.h"

#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/logging.h"
#include "gateway/s3_errors.h"
#include "gateway/xml/error_xml.h"
#include "gateway/xml/sts_xml.h"

namespace sb::gateway {

Pipeline::Pipeline(std::vector<std::unique_ptr<Stage>> stages, AuditSink* audit,
                   RequestMetrics* metrics)
    : stages_(std::move(stages)), audit_(audit), metrics_(metrics) {}

void Pipeline::Handle(const HttpRequestHead& head, BodySource& body, ResponseWriter& out) {
  RequestContext ctx(head, body, out, absl::Now());
  ctx.req.http = &head;
  ctx.req.request_id = NewRequestId();
  bool audited = false;
  auto audit = [this, &ctx, &audited]() -> absl::Status {
    if (audited || audit_ == nullptr) return absl::OkStatus();
    audited = true;
    absl::Status s = audit_->Record(ctx);
    if (!s.ok()) {
      Log(LogLevel::kError, "audit record not durable; response withheld",
          {{"request_id", ctx.req.request_id}, {"error", s.ToString()}});
    }
    return s;
  };
  out.SetCompletionGate(audit);
  absl::Status status;
  for (auto& stage : stages_) {
    status = stage->Run(ctx);
    if (!status.ok()) break;
  }
  if (!status.ok()) RenderError(ctx, status);
  // Finally slot: a request whose response never completed (connection lost, stream
  // failed) is still recorded.
  audit().IgnoreError();
  if (metrics_ != nullptr) {
    metrics_->Observe(ctx.req.op, ctx.audit.http_status, absl::Now() - ctx.start,
                      ctx.audit.bytes_in, ctx.audit.bytes_out);
  }
}

void Pipeline::RenderError(RequestContext& ctx, const absl::Status& status) {
  S3Error err = MapStatus(status);
  ctx.audit.error_code = std::string(err.code);
  ctx.audit.error_message = std::string(status.message());
  if (ctx.response_started()) {
    // Too late for an error document: the status line is gone. The connection is closed
    // (short body), so the client sees a failed transfer rather than wrong bytes.
    ctx.audit.http_status = 500;
    return;
  }
  if (err.http_status >= 500) {
    Log(LogLevel::kError, "request failed",
        {{"request_id", ctx.req.request_id}, {"error", status.ToString()}});
  }
  if (err.http_status == 304) {
    ctx.Respond(304, {}, "").IgnoreError();
    return;
  }
  if (ctx.req.op == Operation::kSts) {  // STS clients parse the query protocol's error
    ctx.Respond(err.http_status, {},
                xml::StsErrorXml(err.http_status, err.code, err.message, ctx.req.request_id))
        .IgnoreError();
    return;
  }
  xml::ErrorDocument doc;
  doc.code = std::string(err.code);
  doc.message = err.message;
  doc.resource = ctx.req.raw_path.empty() ? ctx.req.Resource() : ctx.req.raw_path;
  doc.request_id = ctx.req.request_id;
  doc.host_id = ctx.req.request_id;
  if (err.code == "NoSuchBucket" || err.code == "BucketNotEmpty" ||
      err.code == "BucketAlreadyOwnedByYou" || err.code == "BucketAlreadyExists") {
    doc.extra.emplace_back("BucketName", ctx.req.bucket);
  } else if (err.code == "NoSuchKey") {
    doc.extra.emplace_back("Key", ctx.req.key);
  }
  HeaderList headers;
  if (err.http_status == 405) headers.emplace_back("Allow", "GET, PUT, POST, DELETE, HEAD");
  ctx.Respond(err.http_status, std::move(headers), xml::ErrorXml(doc)).IgnoreError();
}

}  // namespace sb::gateway
