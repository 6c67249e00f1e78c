// `sbctl user|accesskey|group|policy ...` run in-process through RunSbctl against a local
// HTTP server: the signed requests they send (methods, encoded paths, bodies) and how they
// render answers, usage mistakes and server errors.
#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/sbctl/cli.h"
#include "tests/server/sbctl_sigv4_check.h"
#include "tests/server/sbctl_test_http_server.h"
#include "tests/server/sbctl_test_util.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::CheckSigV4;
using ::sb::sbctl::testing::TempDir;
using ::sb::sbctl::testing::TestHttpServer;
using ::sb::sbctl::testing::WriteFileForTest;

constexpr char kSecret[] = "IamTestSecretKeyNeverPrinted";
constexpr char kIam[] = "/_strongbox/admin/v1/iam/";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class SbctlIamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run({"alias", "set", "local", server_.url(), "AK", kSecret}).code, 0);
  }
  Result Run(const std::vector<std::string>& args, const std::string& input = "") {
    std::istringstream in(input);
    std::ostringstream out, err;
    Environment env;
    env.sbctl_config_dir = tmp_.Sub("cfg");
    env.in = &in;
    Result r{RunSbctl(args, env, out, err), out.str(), err.str()};
    EXPECT_EQ(r.out.find(kSecret), std::string::npos);
    EXPECT_EQ(r.err.find(kSecret), std::string::npos);
    return r;
  }
  // The requests after the alias was set (which sends none).
  testing::RecordedRequest OnlyRequest() {
    auto reqs = server_.requests();
    EXPECT_EQ(reqs.size(), 1u);
    if (reqs.empty()) return {};
    EXPECT_EQ(CheckSigV4(reqs.back(), kSecret), "");
    return reqs.back();
  }

  TempDir tmp_;
  TestHttpServer server_;
};

constexpr char kAlice[] = R"({"name":"alice","user_id":"AIDAEXAMPLE","arn":
  "arn:aws:iam::000000000000:user/alice","enabled":true,"created":"2026-01-02T03:04:05Z",
  "policies":["read"],"groups":[],"access_keys":[{"access_key_id":"SBAK1","user":"alice",
  "status":"Active","created":"2026-01-02T03:04:05Z","last_used":null}]})";

TEST_F(SbctlIamTest, UserAddPutsTheEncodedName) {
  server_.SetResponse({200, "OK", {}, kAlice});
  Result r = Run({"user", "add", "local", "bob@example.com"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Added user 'alice' (AIDAEXAMPLE)"), std::string::npos) << r.out;
  auto req = OnlyRequest();
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.target, std::string(kIam) + "users/bob%40example.com");
}

TEST_F(SbctlIamTest, UserLsAndInfoRenderTables) {
  server_.SetResponse({200,
                       "OK",
                       {},
                       std::string(R"({"users":[)") + kAlice +
                           R"(,{"name":"bob","enabled":false,"policies":[],
      "groups":["devs","ops"],"created":"2026-02-03T00:00:00Z"}]})"});
  Result r = Run({"user", "ls", "local"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "NAME   STATUS    POLICIES  GROUPS    CREATED\n"
            "alice  enabled   read      -         2026-01-02T03:04:05Z\n"
            "bob    disabled  -         devs,ops  2026-02-03T00:00:00Z\n");
  server_.SetResponse({200, "OK", {}, kAlice});
  r = Run({"user", "info", "local", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ARN:      arn:aws:iam::000000000000:user/alice\n"), std::string::npos);
  EXPECT_NE(r.out.find("  SBAK1       -     Active"), std::string::npos) << r.out;
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].target, std::string(kIam) + "users");
  EXPECT_EQ(reqs[1].target, std::string(kIam) + "users/alice");
}

TEST_F(SbctlIamTest, AccessKeyCreatePrintsTheSecretOnce) {
  server_.SetResponse({200, "OK", {}, R"({"access_key_id":"SBAKNEW","user":"alice",
      "status":"Active","created":"2026-01-02T03:04:05Z","last_used":null,
      "secret_access_key":"s3cr3t/+abc"})"});
  Result r = Run({"accesskey", "create", "local", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  Access Key: SBAKNEW\n  Secret Key: s3cr3t/+abc\n"), std::string::npos);
  auto req = OnlyRequest();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, std::string(kIam) + "users/alice/access-keys");
}

TEST_F(SbctlIamTest, RestrictedAccessKeySendsThePolicy) {
  const std::string doc = R"({"Version":"2012-10-17","Statement":[]})";
  const std::string file = tmp_.Sub("key-policy.json");
  WriteFileForTest(file, doc);
  server_.SetResponse({200, "OK", {}, R"({"access_key_id":"SBAKR","user":"alice",
      "status":"Active","restricted":true,"secret_access_key":"x"})"});
  Result r = Run({"accesskey", "create", "local", "alice", "--policy", file, "--description",
                  "nightly backup"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Created an access key with its own policy for 'alice'"), std::string::npos)
      << r.out;
  auto body = boost::json::parse(OnlyRequest().body).as_object();
  EXPECT_EQ(body.at("policy").as_string(), doc);
  EXPECT_EQ(body.at("description").as_string(), "nightly backup");
  EXPECT_EQ(body.at("kind").as_string(), "access-key");
}

TEST_F(SbctlIamTest, KeyCreateJsonHasTheScriptedShape) {
  server_.SetResponse({200, "OK", {}, R"({"access_key_id":"SBAKNEW","user":"alice",
      "status":"Active","kind":"access-key","secret_access_key":"s3cr3t"})"});
  Result r = Run({"key", "create", "local", "alice", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto out = boost::json::parse(r.out).as_object();
  EXPECT_EQ(out.size(), 2u) << r.out;
  EXPECT_EQ(out.at("accessKey").as_string(), "SBAKNEW");
  EXPECT_EQ(out.at("secretKey").as_string(), "s3cr3t");
}

TEST_F(SbctlIamTest, SvcacctAddSendsKindPolicyAndExpiry) {
  const std::string file = tmp_.Sub("sa-policy.json");
  WriteFileForTest(file, R"({"Version":"2012-10-17","Statement":[]})");
  server_.SetResponse({200, "OK", {}, R"({"access_key_id":"SBSANEW","user":"alice",
      "status":"Active","kind":"service-account","expires":"2026-01-03T03:04:05Z",
      "secret_access_key":"x"})"});
  Result r = Run({"svcacct", "add", "local", "alice", "--policy", file, "--expiry", "1d"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Created a service account for 'alice', expiring"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("expiring 2026-01-03T03:04:05Z"), std::string::npos) << r.out;
  auto body = boost::json::parse(OnlyRequest().body).as_object();
  EXPECT_EQ(body.at("kind").as_string(), "service-account");
  EXPECT_EQ(body.at("expires_in_seconds").as_int64(), 86400);
  for (const char* bad : {"soon", "0", "-5m", "1ms"}) {
    EXPECT_NE(Run({"svcacct", "add", "local", "alice", "--expiry", bad}).code, 0) << bad;
  }
  EXPECT_EQ(Run({"svcacct", "add", "local", "alice", "--expiry", "90m"}).code, 0);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(boost::json::parse(reqs.back().body).as_object().at("expires_in_seconds").as_int64(),
            5400);
}

TEST_F(SbctlIamTest, SvcacctLsShowsOnlyServiceAccounts) {
  server_.SetResponse({200, "OK", {}, R"({"access_keys":[
      {"access_key_id":"SBAK1","kind":"access-key","status":"Active"},
      {"access_key_id":"SBSA1","kind":"service-account","status":"Active","expires":null}]})"});
  Result r = Run({"svcacct", "ls", "local", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("SBAK1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SBSA1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("never"), std::string::npos) << r.out;
  Result j = Run({"svcacct", "ls", "local", "alice", "--json"});
  auto accounts = boost::json::parse(j.out).as_object().at("service_accounts").as_array();
  ASSERT_EQ(accounts.size(), 1u);
}

TEST_F(SbctlIamTest, StatusVerbsAndDeletes) {
  server_.SetResponse({204, "No Content", {}, ""});
  EXPECT_EQ(Run({"accesskey", "disable", "local", "SBAK1"}).out, "Access key SBAK1 is inactive\n");
  EXPECT_EQ(Run({"accesskey", "rm", "local", "SBAK1"}).out, "Removed access key SBAK1\n");
  EXPECT_EQ(Run({"group", "addmember", "local", "devs", "alice"}).out,
            "Added 'alice' to group 'devs'\n");
  EXPECT_EQ(Run({"group", "rmmember", "local", "devs", "alice"}).out,
            "Removed 'alice' from group 'devs'\n");
  EXPECT_EQ(Run({"user", "rm", "local", "alice"}).code, 0);
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[0].method + " " + reqs[0].target,
            std::string("POST ") + kIam + "access-keys/SBAK1/disable");
  EXPECT_EQ(reqs[1].method + " " + reqs[1].target,
            std::string("DELETE ") + kIam + "access-keys/SBAK1");
  EXPECT_EQ(reqs[2].method + " " + reqs[2].target,
            std::string("PUT ") + kIam + "groups/devs/members/alice");
  EXPECT_EQ(reqs[3].method + " " + reqs[3].target,
            std::string("DELETE ") + kIam + "groups/devs/members/alice");
  EXPECT_EQ(reqs[4].method + " " + reqs[4].target, std::string("DELETE ") + kIam + "users/alice");
}

TEST_F(SbctlIamTest, PolicyCreateSendsTheFileOrStdin) {
  const std::string doc = R"({"Version":"2012-10-17","Statement":[]})";
  const std::string file = tmp_.Sub("p.json");
  WriteFileForTest(file, doc);
  server_.SetResponse({200, "OK", {}, R"({"name":"read","attachments":0})"});
  Result r = Run({"policy", "create", "local", "read", file});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Stored policy 'read' (attached to 0 users or groups)\n");
  r = Run({"policy", "create", "local", "read", "-"}, doc + "\n");
  ASSERT_EQ(r.code, 0) << r.err;
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].target, std::string(kIam) + "policies/read");
  EXPECT_EQ(reqs[0].body, doc);
  EXPECT_EQ(reqs[1].body, doc + "\n");
  EXPECT_EQ(Run({"policy", "create", "local", "read", tmp_.Sub("missing.json")}).code, 1);
}

TEST_F(SbctlIamTest, AttachNeedsExactlyOneOfUserAndGroup) {
  server_.SetResponse({204, "No Content", {}, ""});
  Result r = Run({"policy", "attach", "local", "read", "--group", "devs"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Attached policy 'read' to group 'devs'\n");
  r = Run({"policy", "detach", "local", "read", "--user", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method + " " + reqs[0].target,
            std::string("PUT ") + kIam + "groups/devs/policies/read");
  EXPECT_EQ(reqs[1].method + " " + reqs[1].target,
            std::string("DELETE ") + kIam + "users/alice/policies/read");
  EXPECT_EQ(Run({"policy", "attach", "local", "read"}).code, 1);
  EXPECT_EQ(Run({"policy", "attach", "local", "read", "--user", "a", "--group", "g"}).code, 1);
  EXPECT_EQ(server_.requests().size(), 2u);  // usage errors send nothing
}

TEST_F(SbctlIamTest, SimulateSendsTheRequestAndExplains) {
  server_.SetResponse({200, "OK", {}, R"({"allowed":false,"decided_by":"implicit-deny",
      "decision":{"summary":"implicit deny"},"identity_policies":["read"],"bucket_policy":null,
      "statements":[{"source":"identity","policy_index":0,"statement_index":0,"sid":"Read",
      "effect":"Allow","action_matched":false,"resource_matched":true,"principal":"n/a",
      "conditions":[{"operator":"IpAddress","key":"aws:SourceIp","key_present":true,
      "result":false}],"applies":false}]})"});
  Result r = Run({"policy", "simulate", "local", "--user", "alice", "--action", "s3:PutObject",
                  "--resource", "arn:aws:s3:::b/k", "--context", "aws:SourceIp=10.0.0.1",
                  "--context", "aws:TagKeys=a", "--context", "aws:TagKeys=b"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Decision:   DENIED\nDecided by: implicit-deny\n"), std::string::npos);
  EXPECT_NE(r.out.find("read    0     Read  Allow   no      yes       n/a        no       "
                       "IpAddress aws:SourceIp=no match"),
            std::string::npos)
      << r.out;
  auto req = OnlyRequest();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, std::string(kIam) + "simulate");
  auto body = boost::json::parse(req.body).as_object();
  EXPECT_EQ(body.at("user").as_string(), "alice");
  EXPECT_EQ(body.at("action").as_string(), "s3:PutObject");
  EXPECT_EQ(body.at("resource").as_string(), "arn:aws:s3:::b/k");
  EXPECT_EQ(boost::json::serialize(body.at("context")),
            R"({"aws:SourceIp":["10.0.0.1"],"aws:TagKeys":["a","b"]})");
  EXPECT_EQ(Run({"policy", "simulate", "local", "--action", "s3:GetObject", "--resource", "x",
                 "--context", "novalue"})
                .code,
            1);
}

TEST_F(SbctlIamTest, ServerErrorsAreOneLineWithTheIamCode) {
  server_.SetResponse({404,
                       "Not Found",
                       {{"Content-Type", "application/xml"}},
                       "<Error><Code>NoSuchEntity</Code><Message>The user with name nobody "
                       "cannot be found.</Message><RequestId>R1</RequestId></Error>"});
  Result r = Run({"user", "info", "local", "nobody"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("HTTP 404 NoSuchEntity: The user with name nobody cannot be found."),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace sb::sbctl
