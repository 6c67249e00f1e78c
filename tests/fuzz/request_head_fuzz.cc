// Fuzzes what the gateway does with a request head once Beast has parsed it: request-target
// parsing (ParseS3Request: path-style bucket/key split, percent-decoding, query parameters)
// and routing to an Operation; agreement of the gateway's and SigV4's path decoders; the
// Range and x-amz-copy-source-range parsers; HTTP dates; the conditional headers (If-Match,
// If-None-Match, If-(Un)Modified-Since and their x-amz-copy-source-if-* forms, evaluated
// against a fixed object); the x-amz-tagging header; the SSE request headers
// (x-amz-server-side-encryption*, its base64 JSON context, the SSE-C triples). The input is
// the text form of fuzz_util.h; the object size for the range parsers comes from an
// "x-fuzz-size" header (default: several). Beast's own HTTP/1.1 parser (http_server.cc) has
// no seam of ours to fuzz: it is fuzzed upstream, and the server hands this code only the
// head it made.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/body_source.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/range.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/http_types.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/request_context.h"
#include "gateway/s3_request.h"
#include "gateway/s3_router.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::gateway {
namespace {

void CheckRange(std::string_view header, uint64_t size) {
  absl::StatusOr<std::optional<ByteRange>> r = ParseRange(header, size);
  if (!r.ok()) {
    SB_FUZZ_CHECK(GetReason(r.status()) == ErrorReason::kInvalidRange);
  } else if (r->has_value()) {
    const ByteRange& b = **r;
    SB_FUZZ_CHECK(b.length > 0);
    SB_FUZZ_CHECK(b.offset < size);
    SB_FUZZ_CHECK(b.length <= size - b.offset);  // offset + length <= size, without overflow
  }
  absl::StatusOr<ByteRange> c = ParseCopySourceRange(header, size);
  if (!c.ok()) {
    ErrorReason reason = GetReason(c.status());
    SB_FUZZ_CHECK(reason == ErrorReason::kInvalidRange || reason == ErrorReason::kInvalidArgument);
  } else {
    SB_FUZZ_CHECK(c->length > 0);
    SB_FUZZ_CHECK(c->offset < size);
    SB_FUZZ_CHECK(c->length <= size - c->offset);
  }
}

void CheckDate(std::string_view value) {
  std::optional<absl::Time> t = ParseHttpDate(value);
  if (!t) return;
  // What we write in Last-Modified parses back to the same second.
  std::string formatted = FormatHttpDate(*t);
  std::optional<absl::Time> again = ParseHttpDate(formatted);
  SB_FUZZ_CHECK(again.has_value());
  SB_FUZZ_CHECK(absl::ToUnixSeconds(*again) == absl::ToUnixSeconds(*t));
}

// The path SigV4 signs and the path the gateway serves must be the same bytes: both decoders
// accept and reject the same escapes and decode them identically.
void CheckDecodersAgree(std::string_view raw_path) {
  std::string served;
  std::string signed_path;
  bool served_ok = PercentDecode(raw_path, false, &served);
  bool signed_ok = internal::PercentDecode(raw_path, &signed_path).ok();
  SB_FUZZ_CHECK(served_ok == signed_ok);
  if (served_ok) SB_FUZZ_CHECK(served == signed_path);
}

void CheckRequest(const HttpRequestHead& head) {
  absl::StatusOr<S3Request> r = ParseS3Request(head, "fuzz-request-id");
  if (!r.ok()) {
    SB_FUZZ_CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  SB_FUZZ_CHECK(r->http == &head);
  // The key is only ever a metadata key; a bucket never contains the separator.
  SB_FUZZ_CHECK(r->bucket.find('/') == std::string::npos);
  // Without a bucket ("/", "//k", "/_strongbox/...") only a service-level or internal
  // operation may be chosen (the enum lists those before kCreateBucket); "GET //k" is
  // ListBuckets, its key ignored.
  if (r->bucket.empty()) {
    SB_FUZZ_CHECK(static_cast<int>(r->op) < static_cast<int>(Operation::kCreateBucket));
  }
  (void)r->Resource();
  (void)r->Query("versionId");
  // Routing is a pure function of the parsed request.
  SB_FUZZ_CHECK(r->op == ParseS3Request(head, "again")->op);
}

// A RequestContext over the head, with no body and no response (the checks below only read
// the head).
class NoBody : public BodySource {
 public:
  absl::StatusOr<size_t> Read(char*, size_t) override { return 0; }
};

class NoResponse : public ResponseWriter {
 public:
  absl::Status WriteHead(int, const HeaderList&, uint64_t) override { return absl::OkStatus(); }
  absl::Status WriteBody(std::string_view) override { return absl::OkStatus(); }
  bool head_written() const override { return false; }
  void SetCompletionGate(std::function<absl::Status()>) override {}
};

void CheckContextHeaders(const HttpRequestHead& head) {
  NoBody body;
  NoResponse out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  absl::StatusOr<std::map<std::string, std::string>> tags = TagsFromHeader(ctx);
  if (!tags.ok()) {
    SB_FUZZ_CHECK(tags.status().code() == absl::StatusCode::kInvalidArgument);
  } else {
    SB_FUZZ_CHECK(tags->size() <= kMaxObjectTags);
    for (const auto& [key, value] : *tags) {
      SB_FUZZ_CHECK(!key.empty() && !key.starts_with("aws:"));
    }
  }
  absl::StatusOr<EncryptionSpec> spec = EncryptionFromRequest(ctx);
  if (!spec.ok()) {
    SB_FUZZ_CHECK(spec.status().code() == absl::StatusCode::kInvalidArgument);
  } else {
    SB_FUZZ_CHECK(spec->customer_key.has_value() == (spec->mode == sse::SseMode::kCustomer));
    if (!spec->kms_context.empty() || !spec->kms_key_id.empty()) {
      SB_FUZZ_CHECK(spec->mode == sse::SseMode::kKms);
    }
    for (const auto& [key, value] : spec->kms_context) SB_FUZZ_CHECK(!key.starts_with("aws:"));
    if (spec->mode) SB_FUZZ_CHECK(HasEncryptionHeaders(ctx));
  }
  for (bool copy_source : {false, true}) {
    absl::StatusOr<std::optional<sse::SseCKey>> key = CustomerKeyFromRequest(ctx, copy_source);
    if (!key.ok()) SB_FUZZ_CHECK(key.status().code() == absl::StatusCode::kInvalidArgument);
  }
  metadata::ObjectRecord object;
  object.set_etag("a54357aff0632cce46d942af68356b38");
  object.set_last_modified_unix_nanos(784111777LL * 1000000000LL);  // 06 Nov 1994 08:49:37
  for (std::string_view prefix : {"", "x-amz-copy-source-"}) {
    absl::Status s = CheckConditions(ctx, object, prefix);
    if (s.ok()) continue;
    SB_FUZZ_CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    ErrorReason reason = GetReason(s);
    SB_FUZZ_CHECK(reason == ErrorReason::kPreconditionFailed ||
                  (reason == ErrorReason::kNotModified && prefix.empty()));
  }
}

}  // namespace
}  // namespace sb::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::gateway;
  if (size > 16384) return 0;
  sb::fuzz::TextRequest text =
      sb::fuzz::ParseTextRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  HttpRequestHead head;
  head.method = text.method;
  head.target = text.target;
  head.headers = text.headers;
  head.remote_ip = "192.0.2.1";
  if (sb::fuzz::Verbose()) {
    absl::StatusOr<S3Request> r = ParseS3Request(head, "");
    std::fprintf(stderr, "request_head: %s op=%d bucket=%s key=%s\n", r.status().ToString().c_str(),
                 r.ok() ? static_cast<int>(r->op) : -1, r.ok() ? r->bucket.c_str() : "",
                 r.ok() ? r->key.c_str() : "");
  }
  CheckRequest(head);
  CheckDecodersAgree(head.target.substr(0, head.target.find('?')));
  CheckContextHeaders(head);

  std::vector<uint64_t> sizes = {0, 1, 10, 1000, std::numeric_limits<uint64_t>::max()};
  if (const std::string* s = head.Header("x-fuzz-size")) {
    uint64_t v = 0;
    if (absl::SimpleAtoi(sb::AsAbsl(*s), &v)) sizes = {v};
  }
  for (const auto& [name, value] : head.headers) {
    if (name == "range" || name == "x-amz-copy-source-range") {
      for (uint64_t object_size : sizes) CheckRange(value, object_size);
    } else if (name.starts_with("if-") || name.starts_with("x-amz-copy-source-if-") ||
               name == "date") {
      CheckDate(value);
    }
  }
  return 0;
}
