// The request pipeline: Parse -> Authenticate -> Authorize -> Handle, then Audit always
// (also for requests the HTTP server refused before parsing: Refused).
// Stages are assembled once (server wiring); no handler can skip one. An error from any
// stage ends the chain and is rendered exactly once, through gateway/s3_errors.
// Thread-safe: stages must be.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gateway/http_server.h"
#include "gateway/request_context.h"
#include "gateway/request_metrics.h"

namespace sb::gateway {

class Stage {
 public:
  virtual ~Stage() = default;
  // OK continues the chain; an error stops it and is rendered by the runner.
  virtual absl::Status Run(RequestContext& ctx) = 0;
  virtual std::string_view name() const = 0;
};

// Receives every request exactly once, just before its response completes (or at the end
// if no response could be sent). An error means the record is not durable: in fail-closed
// mode the response is then never completed.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual absl::Status Record(const RequestContext& ctx) = 0;
  // OK while records can be taken. An error (the log failed and, in fail-closed mode, refuses
  // appends until restart) makes the pipeline refuse requests with 503 up front instead of
  // running them. Must be cheap: asked once per request.
  virtual absl::Status Accepting() const { return absl::OkStatus(); }
};

class Pipeline final : public HttpHandler {
 public:
  // `metrics` (optional, not owned) observes every request after its audit record.
  Pipeline(std::vector<std::unique_ptr<Stage>> stages, AuditSink* audit,
           RequestMetrics* metrics = nullptr);
  void Handle(const HttpRequestHead& head, BodySource& body, ResponseWriter& out) override;
  // Audits a request the HTTP server refused before it could be parsed.
  void Refused(const std::string& remote_ip, int status, std::string_view code) override;

 private:
  void RenderError(RequestContext& ctx, const absl::Status& status);

  std::vector<std::unique_ptr<Stage>> stages_;
  AuditSink* audit_;
  RequestMetrics* metrics_;
};

}  // namespace sb::gateway
