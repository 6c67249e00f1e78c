// Fuzzes the bearer-token reader (policy/token/bearer_token.h), which sees the Authorization
// header of a metrics scrape before anything is authenticated: base64url, the JWT header and
// claims JSON, the HS256 signature check, audience and expiry. The input is the token. The
// secret and clock are fixed, so tokens in the corpus issued with the secret verify.
// Properties: errors are InvalidArgument (malformed) or PermissionDenied (signature,
// audience, expiry); a token that verifies is byte for byte the one Issue would write for its
// claims (no second encoding of a valid token exists); decoded claims re-issue and verify.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "policy/token/bearer_token.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::policy::token {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

void FuzzToken(std::string_view token) {
  absl::StatusOr<Claims> decoded = Decode(token);
  absl::StatusOr<Claims> verified = Verify(token, kSecret, kPrometheusAudience, kNow);
  if (fuzz::Verbose()) std::fprintf(stderr, "bearer: %s\n", verified.status().ToString().c_str());
  if (!decoded.ok()) {
    SB_FUZZ_CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument);
    SB_FUZZ_CHECK(!verified.ok() && verified.status() == decoded.status());
  }
  if (!verified.ok()) {
    absl::StatusCode code = verified.status().code();
    SB_FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                  code == absl::StatusCode::kPermissionDenied);
  } else {
    SB_FUZZ_CHECK(verified->audience == kPrometheusAudience);
    SB_FUZZ_CHECK(absl::FromUnixSeconds(verified->expires_at) > kNow);
    SB_FUZZ_CHECK(Issue(*verified, kSecret) == token);
  }
  if (decoded.ok()) {
    // Whatever claims a token carries, our own token for them reads back the same.
    std::string issued = Issue(*decoded, kSecret);
    absl::StatusOr<Claims> again = Decode(issued);
    SB_FUZZ_CHECK(again.ok());
    SB_FUZZ_CHECK(again->access_key == decoded->access_key);
    SB_FUZZ_CHECK(again->audience == decoded->audience);
    SB_FUZZ_CHECK(again->expires_at == decoded->expires_at);
    SB_FUZZ_CHECK(again->issued_at == decoded->issued_at);
    // ... and is refused under another secret.
    SB_FUZZ_CHECK(Verify(issued, "another secret", decoded->audience,
                         absl::FromUnixSeconds(decoded->expires_at) - absl::Seconds(1))
                      .status()
                      .code() == absl::StatusCode::kPermissionDenied);
  }
}

}  // namespace
}  // namespace sb::policy::token

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  sb::policy::token::FuzzToken(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
