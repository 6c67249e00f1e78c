#include "policy/token/bearer_token.h"

#include <algorithm>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace sb::policy::token {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

Claims PrometheusClaims() {
  Claims c;
  c.access_key = "AKIAEXAMPLE";
  c.audience = kPrometheusAudience;
  c.issued_at = 1'800'000'000;
  c.expires_at = 1'800'000'000 + 3600;
  return c;
}

TEST(BearerToken, RoundTrip) {
  const std::string t = Issue(PrometheusClaims(), kSecret);
  EXPECT_EQ(std::count(t.begin(), t.end(), '.'), 2);
  EXPECT_EQ(t.find('='), std::string::npos);  // base64url without padding
  absl::StatusOr<Claims> c = Verify(t, kSecret, kPrometheusAudience, kNow);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->access_key, "AKIAEXAMPLE");
  EXPECT_EQ(c->expires_at, 1'800'003'600);
  EXPECT_EQ(c->issued_at, 1'800'000'000);
  EXPECT_EQ(Decode(t)->access_key, "AKIAEXAMPLE");
}

TEST(BearerToken, IsDeterministic) {
  EXPECT_EQ(Issue(PrometheusClaims(), kSecret), Issue(PrometheusClaims(), kSecret));
}

TEST(BearerToken, WrongSecretIsRefused) {
  const std::string t = Issue(PrometheusClaims(), kSecret);
  EXPECT_EQ(Verify(t, "another secret", kPrometheusAudience, kNow).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(BearerToken, ExpiredIsRefused) {
  const std::string t = Issue(PrometheusClaims(), kSecret);
  EXPECT_TRUE(Verify(t, kSecret, kPrometheusAudience, kNow + absl::Minutes(59)).ok());
  EXPECT_EQ(Verify(t, kSecret, kPrometheusAudience, kNow + absl::Hours(1)).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(BearerToken, OtherAudienceIsRefused) {
  Claims c = PrometheusClaims();
  c.audience = "something-else";
  EXPECT_EQ(Verify(Issue(c, kSecret), kSecret, kPrometheusAudience, kNow).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(BearerToken, TamperedClaimsAreRefused) {
  const std::string t = Issue(PrometheusClaims(), kSecret);
  Claims other = PrometheusClaims();
  other.expires_at += 1'000'000;
  const std::string forged = Issue(other, "attacker");
  // Original signature on the forged claims.
  const std::string spliced = forged.substr(0, forged.rfind('.')) + t.substr(t.rfind('.'));
  EXPECT_EQ(Verify(spliced, kSecret, kPrometheusAudience, kNow).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(BearerToken, MalformedTokens) {
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.xx"}) {
    EXPECT_EQ(Decode(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // alg "none" is never accepted.
  const std::string none = absl::WebSafeBase64Escape(R"({"alg":"none"})") + "." +
                           absl::WebSafeBase64Escape(R"({"sub":"k","aud":"a","exp":9})") + ".";
  EXPECT_EQ(Decode(none).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sb::policy::token
