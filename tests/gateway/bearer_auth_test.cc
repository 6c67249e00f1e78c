// AuthenticateBearer (the bearer-token half of the Authenticate stage): no header or another
// scheme falls through to SigV4; a token authenticates as the key that issued it, only for
// the metrics endpoint, and only while it verifies.
#include "gateway/stages/bearer_auth.h"

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "policy/token/bearer_token.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::RecordingWriter;
using core_testing::StringBody;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

policy::Credential Root() {
  policy::Credential c;
  c.access_key = "ROOTKEY";
  c.secret_key = "root-secret";
  c.user = "root";
  c.is_root = true;
  return c;
}

std::string TokenFor(const std::string& key, const std::string& secret, absl::Time expires) {
  policy::token::Claims claims;
  claims.access_key = key;
  claims.audience = policy::token::kPrometheusAudience;
  claims.issued_at = absl::ToUnixSeconds(kNow);
  claims.expires_at = absl::ToUnixSeconds(expires);
  return policy::token::Issue(claims, secret);
}

class BearerAuthTest : public ::testing::Test {
 protected:
  absl::StatusOr<bool> Run(const std::string& authorization, Operation op = Operation::kMetrics) {
    head_.method = "GET";
    head_.target = "/_strongbox/metrics";
    head_.headers.clear();
    if (!authorization.empty()) head_.headers.emplace_back("authorization", authorization);
    ctx_ = std::make_unique<RequestContext>(head_, body_, out_, kNow);
    ctx_->req.op = op;
    return AuthenticateBearer(*ctx_, identities_, kNow);
  }
  static void ExpectDenied(const absl::StatusOr<bool>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(GetReason(r.status()), ErrorReason::kAccessDenied);
  }

  policy::IdentityStore identities_{Root()};
  HttpRequestHead head_;
  StringBody body_{""};
  RecordingWriter out_;
  std::unique_ptr<RequestContext> ctx_;
};

TEST_F(BearerAuthTest, OtherSchemesFallThrough) {
  for (const char* header : {"", "AWS4-HMAC-SHA256 Credential=...", "Bearerx abc"}) {
    absl::StatusOr<bool> r = Run(header);
    ASSERT_TRUE(r.ok()) << header << ": " << r.status();
    EXPECT_FALSE(*r) << header;
    EXPECT_TRUE(ctx_->auth.principal.anonymous);
  }
}

TEST_F(BearerAuthTest, ValidTokenAuthenticatesAsItsKey) {
  const std::string token = TokenFor("ROOTKEY", "root-secret", kNow + absl::Hours(1));
  absl::StatusOr<bool> r = Run("Bearer " + token);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(*r);
  EXPECT_FALSE(ctx_->auth.principal.anonymous);
  EXPECT_TRUE(ctx_->auth.principal.is_root);
  EXPECT_EQ(ctx_->auth.principal.access_key, "ROOTKEY");
  r = Run("bearer  " + token);  // the scheme is case-insensitive
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(*r);
}

TEST_F(BearerAuthTest, OnlyForTheMetricsEndpoint) {
  const std::string token = TokenFor("ROOTKEY", "root-secret", kNow + absl::Hours(1));
  ExpectDenied(Run("Bearer " + token, Operation::kAdminInfo));
  ExpectDenied(Run("Bearer " + token, Operation::kListBuckets));
}

TEST_F(BearerAuthTest, TokensThatDoNotVerifyAreDenied) {
  ExpectDenied(Run("Bearer"));
  ExpectDenied(Run("Bearer not-a-token"));
  ExpectDenied(Run("Bearer " + TokenFor("ROOTKEY", "wrong", kNow + absl::Hours(1))));
  ExpectDenied(Run("Bearer " + TokenFor("ROOTKEY", "root-secret", kNow)));  // expired
  ExpectDenied(Run("Bearer " + TokenFor("NOSUCHKEY", "root-secret", kNow + absl::Hours(1))));
}

}  // namespace
}  // namespace sb::gateway
