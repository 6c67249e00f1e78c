// RequestContext: everything one request carries through the pipeline. Each slice is
// written by exactly one stage (req: Parse, auth: Authenticate, decision: Authorize,
// audit: the runner and handlers) and read by later ones. Not thread-safe (one request).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "gateway/body_source.h"
#include "gateway/http_types.h"
#include "gateway/post_policy.h"
#include "gateway/s3_request.h"
#include "gateway/sigv4.h"
#include "policy/authorizer.h"
#include "policy/identity.h"

namespace sb::gateway {

class ChecksumCheckSource;

// A POST Object upload: its form fields (read before the file) and, when signed, its policy.
struct PostUpload {
  PostForm form;
  std::optional<PostPolicy> policy;  // absent for an anonymous upload
  bool signature_v2 = false;         // the POST-only V2 form (AWSAccessKeyId + signature)
};

struct AuthSlice {
  policy::Principal principal;
  SigV4Result sigv4;
  // POST Object only: read by the Authenticate stage, which authenticates from the form.
  std::optional<PostUpload> post{};
  // STS only: the form-encoded body, read (and hashed) before the signature check because
  // STS clients sign the body's hash without sending x-amz-content-sha256.
  std::string sts_form{};
};

struct AuditSlice {
  int http_status = 0;
  std::string error_code;
  std::string error_message;  // internal detail for the log, never sent for 5xx
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::string etag;
};

class RequestContext {
 public:
  RequestContext(const HttpRequestHead& http, BodySource& raw_body, ResponseWriter& out,
                 absl::Time start);

  const HttpRequestHead& http;
  S3Request req;
  AuthSlice auth;
  policy::Decision decision;
  AuditSlice audit;
  const absl::Time start;
  // Added to every response of this request (the CORS headers of a matched rule).
  HeaderList response_headers;
  // The body's S3 additional checksum (x-amz-checksum-* header or trailer), verified when
  // the body ends; null when the request carries none. Owned by the body wrappers.
  const ChecksumCheckSource* checksum = nullptr;

  // The request body after transport decoding and verification (aws-chunked, SHA-256).
  BodySource& body() { return *body_; }
  // Installs a wrapper around the current body; the context owns it.
  void WrapBody(std::unique_ptr<BodySource> wrapper);
  BodySource& current_body() { return *body_; }

  // Writes a complete response with standard S3 headers (request id, date, server).
  absl::Status Respond(int status, HeaderList headers, std::string_view body,
                       std::string_view content_type = "application/xml");
  // Starts a streamed response of `length` bytes; follow with SendBody calls.
  absl::Status StartResponse(int status, HeaderList headers, uint64_t length);
  absl::Status SendBody(std::string_view data);
  bool response_started() const { return out_.head_written(); }

 private:
  ResponseWriter& out_;
  BodySource* body_;
  std::vector<std::unique_ptr<BodySource>> wrappers_;
};

}  // namespace sb::gateway
