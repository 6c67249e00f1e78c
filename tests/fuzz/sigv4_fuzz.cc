// Fuzzes SigV4 verification (gateway/sigv4.h) over a request head written in the text form
// of fuzz_util.h: Authorization-header and presigned-query parsing, credential scope and
// SignedHeaders parsing, canonical URI/query/header building and the signature comparison,
// with a fixed secret lookup and a fixed clock (AWS's example date, so the AWS examples in the
// corpus verify). Also checks canonicalization properties on the same path and query.
// Pseudo-headers x-fuzz-service and x-fuzz-body-sha256 set the STS fields of SigV4Request.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/error_reason.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/sigv4.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::gateway {
namespace {

constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

absl::StatusOr<std::string> Lookup(std::string_view access_key) {
  if (access_key == kAccessKey) return std::string(kSecret);
  if (access_key == "AKIDFAILINGLOOKUP") return absl::UnavailableError("store down");
  return absl::NotFoundError("no such key");
}

// Decoding the canonical URI once must give the same bytes as decoding the raw path once
// (S3 encodes exactly once), and encoding is pure A-Za-z0-9-._~/ plus %XY.
void CheckCanonicalUri(std::string_view raw_path) {
  std::string canonical;
  if (!internal::AppendCanonicalUri(raw_path, &canonical).ok()) return;
  SB_FUZZ_CHECK(!canonical.empty());
  for (char c : canonical) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '%';
    SB_FUZZ_CHECK(plain);
  }
  std::string from_raw;
  std::string from_canonical;
  SB_FUZZ_CHECK(internal::PercentDecode(raw_path, &from_raw).ok());
  SB_FUZZ_CHECK(internal::PercentDecode(canonical, &from_canonical).ok());
  SB_FUZZ_CHECK(from_raw.empty() ? from_canonical == "/" : from_raw == from_canonical);
}

// The canonical query is sorted and re-parses to the same multiset of parameters.
void CheckCanonicalQuery(std::string_view raw_query) {
  absl::StatusOr<std::vector<internal::QueryParam>> params = internal::ParseQuery(raw_query);
  if (!params.ok()) return;
  std::string canonical;
  internal::AppendCanonicalQuery(*params, "", &canonical);
  absl::StatusOr<std::vector<internal::QueryParam>> again = internal::ParseQuery(canonical);
  SB_FUZZ_CHECK(again.ok());
  // Empty names are dropped by neither side; only empty segments ("&&") vanish.
  SB_FUZZ_CHECK(again->size() <= params->size());
}

void CheckResult(const absl::StatusOr<SigV4Result>& r) {
  if (!r.ok()) {
    // Every refusal is a classified client error or the lookup's own failure.
    absl::StatusCode code = r.status().code();
    SB_FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                  code == absl::StatusCode::kPermissionDenied ||
                  code == absl::StatusCode::kUnavailable);
    if (code != absl::StatusCode::kUnavailable) {
      SB_FUZZ_CHECK(GetReason(r.status()) != ErrorReason::kNone);
    }
    return;
  }
  if (r->anonymous) {
    SB_FUZZ_CHECK(r->access_key.empty() && r->signing_key.empty());
    return;
  }
  // Only the one known key can ever verify.
  SB_FUZZ_CHECK(r->access_key == kAccessKey);
  SB_FUZZ_CHECK(r->signing_key.size() == 32);
  SB_FUZZ_CHECK(r->seed_signature.size() == 64);
  SB_FUZZ_CHECK(r->amz_date.size() == 16);
}

}  // namespace
}  // namespace sb::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::gateway;
  if (size > 16384) return 0;
  sb::fuzz::TextRequest text =
      sb::fuzz::ParseTextRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  SigV4Request req;
  req.method = text.method;
  req.raw_path = text.path();
  req.raw_query = text.query();
  // Two pseudo-headers select the STS variant: the scope's service, and the hash of a body
  // that was read before verification (STS signs it without x-amz-content-sha256).
  for (auto& [name, value] : text.headers) {
    if (name == "x-fuzz-service") {
      req.service = value;
    } else if (name == "x-fuzz-body-sha256") {
      req.body_sha256_hex = value;
    } else {
      req.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  static const absl::Time kNow =
      absl::FromCivil(absl::CivilSecond(2013, 5, 24, 0, 0, 0), absl::UTCTimeZone());
  absl::StatusOr<SigV4Result> first = VerifySigV4(req, Lookup, kNow);
  if (sb::fuzz::Verbose()) {
    std::fprintf(stderr, "sigv4: %s\n",
                 first.ok() ? (first->anonymous ? "anonymous" : "verified")
                            : first.status().ToString().c_str());
  }
  CheckResult(first);
  // Deterministic, whatever the signing-key cache holds by now.
  absl::StatusOr<SigV4Result> second = VerifySigV4(req, Lookup, kNow);
  SB_FUZZ_CHECK(first.ok() == second.ok());
  SB_FUZZ_CHECK(first.status() == second.status());
  CheckCanonicalUri(req.raw_path);
  CheckCanonicalQuery(req.raw_query);
  return 0;
}
