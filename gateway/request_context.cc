#include "gateway/request_context.h"

#include "absl/time/clock.h"

namespace sb::gateway {
namespace {

// Counts request body bytes for the audit record.
class CountingSource final : public BodySource {
 public:
  CountingSource(BodySource& inner, uint64_t& count) : inner_(inner), count_(count) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    auto n = inner_.Read(buf, max);
    if (n.ok()) count_ += *n;
    return n;
  }

 private:
  BodySource& inner_;
  uint64_t& count_;
};

std::string HttpDate(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
}

}  // namespace

RequestContext::RequestContext(const HttpRequestHead& http_head, BodySource& raw_body,
                               ResponseWriter& out, absl::Time start_time)
    : http(http_head), start(start_time), out_(out), body_(&raw_body) {
  WrapBody(std::make_unique<CountingSource>(raw_body, audit.bytes_in));
}

void RequestContext::WrapBody(std::unique_ptr<BodySource> wrapper) {
  body_ = wrapper.get();
  wrappers_.push_back(std::move(wrapper));
}

absl::Status RequestContext::StartResponse(int status, HeaderList headers, uint64_t length) {
  audit.http_status = status;
  headers.insert(headers.end(), response_headers.begin(), response_headers.end());
  headers.emplace_back("x-amz-request-id", req.request_id);
  headers.emplace_back("x-amz-id-2", req.request_id);
  headers.emplace_back("Date", HttpDate(absl::Now()));
  headers.emplace_back("Server", "Strongbox");
  return out_.WriteHead(status, headers, length);
}

absl::Status RequestContext::SendBody(std::string_view data) {
  audit.bytes_out += data.size();
  return out_.WriteBody(data);
}

absl::Status RequestContext::Respond(int status, HeaderList headers, std::string_view body,
                                     std::string_view content_type) {
  if (!body.empty() && !content_type.empty()) {
    headers.emplace_back("Content-Type", std::string(content_type));
  }
  absl::Status s = StartResponse(status, std::move(headers), body.size());
  if (!s.ok() || body.empty() || http.method == "HEAD") return s;
  return SendBody(body);
}

}  // namespace sb::gateway
