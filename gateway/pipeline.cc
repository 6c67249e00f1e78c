#include "gateway/pipeline.h"

#include "absl/strings/str_cat.h"
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
  // Fail-closed: a log that cannot take records refuses the request (503) instead of running
  // it. That refusal cannot be recorded either, so it is not held by the completion gate.
  absl::Status status = audit_ != nullptr ? audit_->Accepting() : absl::OkStatus();
  if (status.ok()) {
    out.SetCompletionGate(audit);
    for (auto& stage : stages_) {
      status = stage->Run(ctx);
      if (!status.ok()) break;
    }
  } else {
    status =
        absl::UnavailableError(absl::StrCat("audit log not accepting records: ", status.message()));
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

namespace {

// The body and response of a request refused before parsing: already answered by the server.
class NoBody final : public BodySource {
 public:
  absl::StatusOr<size_t> Read(char*, size_t) override { return size_t{0}; }
};

class AnsweredResponse final : public ResponseWriter {
 public:
  absl::Status WriteHead(int, const HeaderList&, uint64_t) override {
    return absl::FailedPreconditionError("already answered");
  }
  absl::Status WriteBody(std::string_view) override {
    return absl::FailedPreconditionError("already answered");
  }
  bool head_written() const override { return true; }
  void SetCompletionGate(std::function<absl::Status()>) override {}
};

}  // namespace

void Pipeline::Refused(const std::string& remote_ip, int status, std::string_view code) {
  HttpRequestHead head;
  head.remote_ip = remote_ip;
  NoBody body;
  AnsweredResponse out;
  RequestContext ctx(head, body, out, absl::Now());
  ctx.req.http = &head;
  ctx.req.request_id = NewRequestId();
  ctx.decision.decided_by = "not-parsed";
  ctx.audit.http_status = status;
  ctx.audit.error_code = std::string(code);
  if (audit_ != nullptr) {
    absl::Status s = audit_->Record(ctx);
    if (!s.ok()) {
      Log(LogLevel::kError, "audit record of a refused request not durable",
          {{"request_id", ctx.req.request_id}, {"error", s.ToString()}});
    }
  }
  if (metrics_ != nullptr) {
    metrics_->Observe(ctx.req.op, status, absl::Now() - ctx.start, 0, 0);
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
