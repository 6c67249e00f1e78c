// `sbctl kms key ...` run in-process through RunSbctl against a local HTTP server: the
// requests it signs and sends, and how it renders answers and errors.
#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/sbctl/cli.h"
#include "server/sbctl/kms_cmd.h"
#include "tests/server/sbctl_sigv4_check.h"
#include "tests/server/sbctl_test_http_server.h"
#include "tests/server/sbctl_test_util.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::CheckSigV4;
using ::sb::sbctl::testing::TempDir;
using ::sb::sbctl::testing::TestHttpServer;

constexpr char kSecret[] = "KmsTestSecretKeyNeverPrinted";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class SbctlKmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run({"alias", "set", "local", server_.url(), "AK", kSecret}).code, 0);
  }
  Result Run(const std::vector<std::string>& args) {
    std::istringstream in;
    std::ostringstream out, err;
    Environment env;
    env.sbctl_config_dir = tmp_.Sub("cfg");
    env.in = &in;
    return {RunSbctl(args, env, out, err), out.str(), err.str()};
  }

  TempDir tmp_;
  TestHttpServer server_;
};

TEST_F(SbctlKmsTest, CreateSendsTheIdAsJson) {
  server_.SetResponse({200, "OK", {}, R"({"id":"app-key","state":"enabled","latest_version":1})"});
  Result r = Run({"kms", "key", "create", "local", "app-key"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Created KMS key app-key (version 1)\n");
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/_strongbox/admin/v1/kms/keys");
  auto body = boost::json::parse(reqs[0].body);
  EXPECT_EQ(body.at("id").as_string(), "app-key");
  EXPECT_EQ(CheckSigV4(reqs[0], kSecret), "");
}

TEST_F(SbctlKmsTest, KeyActionsPostToTheKeysPath) {
  server_.SetResponse({200, "OK", {}, R"({"id":"a/b","state":"disabled","latest_version":3})"});
  Result r = Run({"kms", "key", "disable", "local", "a/b"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "KMS key a/b is now disabled\n");
  server_.SetResponse({200, "OK", {}, R"({"id":"a/b","state":"enabled","latest_version":3,
      "rewrapped_data_keys":12,"rewrap_failures":0})"});
  r = Run({"kms", "key", "rotate", "local", "a/b"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Rotated KMS key a/b: now at version 3; re-wrapped 12 data keys (object data "
            "unchanged)\n");
  server_.SetResponse({200, "OK", {}, R"({"id":"a/b","state":"disabled","latest_version":3})"});
  r = Run({"kms", "key", "enable", "local", "a/b", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"({"id":"a/b","state":"disabled","latest_version":3})"
                   "\n");
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].target, "/_strongbox/admin/v1/kms/keys/a/b/disable");
  EXPECT_EQ(reqs[1].target, "/_strongbox/admin/v1/kms/keys/a/b/rotate");
  EXPECT_EQ(reqs[2].target, "/_strongbox/admin/v1/kms/keys/a/b/enable");
  for (const auto& req : reqs) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(CheckSigV4(req, kSecret), "");
  }
}

TEST_F(SbctlKmsTest, ListPrintsATable) {
  server_.SetResponse({200,
                       "OK",
                       {},
                       R"({"keys":[{"id":"app","state":"enabled","latest_version":2},
                                   {"id":"sse-s3","state":"enabled","latest_version":1}]})"});
  Result r = Run({"kms", "key", "ls", "local"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("app     enabled  2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sse-s3  enabled  1"), std::string::npos) << r.out;
  EXPECT_EQ(server_.requests().at(0).method, "GET");
}

TEST_F(SbctlKmsTest, ErrorsAndUsage) {
  server_.SetResponse({404,
                       "Not Found",
                       {},
                       "<Error><Code>NoSuchKey</Code><Message>KMS key not found: x</Message>"
                       "</Error>"});
  Result r = Run({"kms", "key", "disable", "local", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "sbctl: HTTP 404 NoSuchKey: KMS key not found: x\n");
  EXPECT_EQ(Run({"kms", "key", "create", "local"}).code, 1);  // KEYID missing
  EXPECT_EQ(Run({"kms", "key"}).code, 1);
  EXPECT_EQ(Run({"kms", "key", "ls", "local/bucket"}).code, 1);
  server_.SetResponse({200, "OK", {}, "not json"});
  r = Run({"kms", "key", "ls", "local"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("invalid JSON"), std::string::npos) << r.err;
}

TEST(PrintKmsKeysTest, ToleratesOddDocuments) {
  std::ostringstream out;
  PrintKmsKeys(boost::json::object{}, out);
  EXPECT_EQ(out.str(), "No KMS keys.\n");
  out.str("");
  PrintKmsKeys(boost::json::parse(R"({"keys":[7,{"id":"k","latest_version":[1]}]})").as_object(),
               out);
  EXPECT_NE(out.str().find("k"), std::string::npos);
  EXPECT_NE(out.str().find("[1]"), std::string::npos);
}

}  // namespace
}  // namespace sb::sbctl
