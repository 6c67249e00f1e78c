// SigV4 verification of one request (AWS's "GET Object" example), the server's per-request
// authentication cost. The signing key is cached per (secret, date, region) process-wide,
// so the steady state is two SHA-256s and one HMAC over the canonical request.
#include <benchmark/benchmark.h>

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/sigv4.h"

namespace sb::gateway {
namespace {

constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Request GetObjectExample() {
  SigV4Request req;
  req.method = "GET";
  req.raw_path = "/test.txt";
  req.headers = {
      {"host", "examplebucket.s3.amazonaws.com"},
      {"range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmptySha},
      {"x-amz-date", "20130524T000000Z"},
      {"authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
  };
  return req;
}

void BM_VerifySigV4(benchmark::State& state) {
  const SigV4Request req = GetObjectExample();
  const SecretLookup lookup = [](std::string_view ak) -> absl::StatusOr<std::string> {
    if (ak == kAccessKey) return std::string(kSecret);
    return absl::NotFoundError("no such key");
  };
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2013, 5, 24, 0, 0, 0), absl::UTCTimeZone());
  for (auto _ : state) {
    absl::StatusOr<SigV4Result> r = VerifySigV4(req, lookup, now);
    if (!r.ok()) {
      state.SkipWithError("verification failed");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_VerifySigV4);

// A wrong signature: the same work plus the constant-time compare failing.
void BM_VerifySigV4Mismatch(benchmark::State& state) {
  SigV4Request req = GetObjectExample();
  req.headers.back().second.back() = '0';
  const SecretLookup lookup = [](std::string_view) -> absl::StatusOr<std::string> {
    return std::string(kSecret);
  };
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2013, 5, 24, 0, 0, 0), absl::UTCTimeZone());
  for (auto _ : state) {
    absl::StatusOr<SigV4Result> r = VerifySigV4(req, lookup, now);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_VerifySigV4Mismatch);

}  // namespace
}  // namespace sb::gateway

BENCHMARK_MAIN();
