// `sbctl prometheus config`: the scrape config it prints, and that its bearer token is one
// the server's verifier (policy/token) accepts for the alias's key and no other.
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "policy/token/bearer_token.h"
#include "server/sbctl/cli.h"
#include "server/sbctl/prometheus_cmd.h"
#include "tests/server/sbctl_test_util.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::TempDir;

constexpr char kSecret[] = "PromTestSecretKeyNeverPrinted";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class SbctlPrometheusTest : public ::testing::Test {
 protected:
  Result Run(const std::vector<std::string>& args) {
    std::istringstream in;
    std::ostringstream out, err;
    Environment env;
    env.sbctl_config_dir = tmp_.Sub("cfg");
    env.in = &in;
    return {RunSbctl(args, env, out, err), out.str(), err.str()};
  }

  // The value after "bearer_token: " in `yaml`.
  static std::string Token(const std::string& yaml) {
    const std::string key = "bearer_token: ";
    const size_t at = yaml.find(key);
    if (at == std::string::npos) return "";
    return yaml.substr(at + key.size(), yaml.find('\n', at) - at - key.size());
  }

  TempDir tmp_;
};

TEST_F(SbctlPrometheusTest, PrintsAScrapeConfigWithAVerifiableToken) {
  ASSERT_EQ(Run({"alias", "set", "local", "http://127.0.0.1:9123", "AKPROM", kSecret}).code, 0);
  Result r = Run({"prometheus", "config", "local"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string token = Token(r.out);
  ASSERT_FALSE(token.empty()) << r.out;
  EXPECT_EQ(r.out,
            "scrape_configs:\n"
            "  - job_name: strongbox\n"
            "    bearer_token: " +
                token +
                "\n"
                "    metrics_path: /_strongbox/metrics\n"
                "    scheme: http\n"
                "    static_configs:\n"
                "      - targets: ['127.0.0.1:9123']\n");
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  auto claims = policy::token::Verify(token, kSecret, policy::token::kPrometheusAudience,
                                      absl::Now() + absl::Hours(24 * 365));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->access_key, "AKPROM");
  EXPECT_FALSE(
      policy::token::Verify(token, "other", policy::token::kPrometheusAudience, absl::Now()).ok());
}

TEST_F(SbctlPrometheusTest, ExpiryJobAndBasePath) {
  ASSERT_EQ(Run({"alias", "set", "s", "https://store.example:8443/s3", "AK", kSecret}).code, 0);
  Result r = Run({"prometheus", "config", "s", "--expiry", "1h", "--job", "sb-prod"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  - job_name: sb-prod\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    metrics_path: /s3/_strongbox/metrics\n"), std::string::npos);
  EXPECT_NE(r.out.find("    scheme: https\n"), std::string::npos);
  EXPECT_NE(r.out.find("['store.example:8443']"), std::string::npos);
  auto claims = policy::token::Decode(Token(r.out));
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->expires_at - claims->issued_at, 3600);
}

TEST_F(SbctlPrometheusTest, UsageErrors) {
  ASSERT_EQ(Run({"alias", "set", "local", "http://127.0.0.1:9123", "AK", kSecret}).code, 0);
  EXPECT_EQ(Run({"prometheus", "config", "local", "--expiry", "soon"}).code, kExitUsage);
  EXPECT_EQ(Run({"prometheus", "config", "local", "--job", "a b"}).code, kExitUsage);
  EXPECT_EQ(Run({"prometheus", "config", "local/bucket"}).code, kExitUsage);
  EXPECT_NE(Run({"prometheus", "config", "nope"}).code, kExitOk);
}

}  // namespace
}  // namespace sb::sbctl
