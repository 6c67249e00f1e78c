// Whole sbctl command lines run in-process through RunSbctl, against a local HTTP server.
#include <sys/stat.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/sbctl/cli.h"
#include "server/sbctl/config_store.h"
#include "tests/server/sbctl_sigv4_check.h"
#include "tests/server/sbctl_test_http_server.h"
#include "tests/server/sbctl_test_util.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::CannedResponse;
using ::sb::sbctl::testing::CheckSigV4;
using ::sb::sbctl::testing::TempDir;
using ::sb::sbctl::testing::TestHttpServer;

constexpr char kSecret[] = "Sup3rSecretKeyThatMustNeverBePrinted";
constexpr char kInfoJson[] = R"({"version":"0.1.0","uptime_seconds":123,
  "deployment_id":"5f0c2a9e-1b7d-4c3e-9a51-7d2e8f6b1c04",
  "drives":[{"path":"/data/d1","state":"ok"},{"path":"/data/d2","state":"ok"},
            {"path":"/data/d3","state":"offline"},{"path":"/data/d4","state":"ok"}],
  "data_shards":2,"parity_shards":2,"buckets":3,"objects":10})";

struct Result {
  int code;
  std::string out;
  std::string err;
};

class SbctlCliTest : public ::testing::Test {
 protected:
  Result Run(const std::vector<std::string>& args, const std::string& input = "") {
    std::istringstream in(input);
    std::ostringstream out, err;
    Environment env;
    env.sbctl_config_dir = tmp_.Sub("cfg");
    env.home = tmp_.Sub("home");
    env.in = &in;
    Result r{RunSbctl(args, env, out, err), out.str(), err.str()};
    // No command may ever print the secret key.
    EXPECT_EQ(r.out.find(kSecret), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
    return r;
  }

  void AddAlias(const std::string& name, const std::string& url) {
    Result r = Run({"alias", "set", name, url, "AK", kSecret});
    ASSERT_EQ(r.code, 0) << r.err;
  }

  static int Lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  }

  TempDir tmp_;
};

TEST_F(SbctlCliTest, AliasSetLsRm) {
  Result set = Run({"alias", "set", "local", "http://127.0.0.1:9000/", "AK", kSecret});
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_NE(set.out.find("Added alias 'local'"), std::string::npos);
  AddAlias("backup", "https://backup.example.com");

  Result ls = Run({"alias", "ls"});
  ASSERT_EQ(ls.code, 0) << ls.err;
  EXPECT_EQ(ls.out,
            "NAME    URL                         ACCESS KEY  SECRET KEY\n"
            "backup  https://backup.example.com  AK          Sup3********\n"
            "local   http://127.0.0.1:9000       AK          Sup3********\n");

  Result one = Run({"alias", "ls", "local", "--json"});
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out,
            "[{\"name\":\"local\",\"url\":\"http://127.0.0.1:9000\",\"access_key\":\"AK\","
            "\"secret_key\":\"Sup3********\"}]\n");

  Result rm = Run({"alias", "rm", "backup"});
  ASSERT_EQ(rm.code, 0) << rm.err;
  Result again = Run({"alias", "rm", "backup"});
  EXPECT_EQ(again.code, 2);
  EXPECT_EQ(again.err, "sbctl: unknown alias 'backup'\n");
  EXPECT_EQ(Run({"alias", "ls", "backup"}).code, 2);
  EXPECT_NE(Run({"alias", "ls"}).out.find("local"), std::string::npos);
}

TEST_F(SbctlCliTest, AliasSetReadsSecretFromInput) {
  Result r = Run({"alias", "set", "local", "http://h:1", "AK"}, std::string(kSecret) + "\n");
  ASSERT_EQ(r.code, 0) << r.err;
  absl::StatusOr<Alias> alias = ConfigStore(tmp_.Sub("cfg")).Get("local");
  ASSERT_TRUE(alias.ok());
  EXPECT_EQ(alias->secret_key, kSecret);
  EXPECT_EQ(Run({"alias", "set", "x", "http://h:1", "AK"}, "").code, 1);  // no input
}

TEST_F(SbctlCliTest, ConfigDirFallsBackToHome) {
  std::istringstream in;
  std::ostringstream out, err;
  Environment env;
  env.home = tmp_.Sub("home");
  env.in = &in;
  ASSERT_EQ(RunSbctl({"alias", "set", "a", "http://h:1", "AK", kSecret}, env, out, err), 0)
      << err.str();
  EXPECT_TRUE(ConfigStore(tmp_.Sub("home/.config/sbctl")).Get("a").ok());
  // --config-dir beats both.
  ASSERT_EQ(
      RunSbctl({"--config-dir", tmp_.Sub("flag"), "alias", "set", "b", "http://h:1", "AK", kSecret},
               env, out, err),
      0);
  EXPECT_TRUE(ConfigStore(tmp_.Sub("flag")).Get("b").ok());
}

TEST_F(SbctlCliTest, InfoPrintsSignedRequestResultAsTable) {
  TestHttpServer server;
  server.SetResponse({200, "OK", {{"Content-Type", "application/json"}}, kInfoJson});
  AddAlias("local", server.url());
  Result r = Run({"info", "local"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  for (const char* want :
       {"Server:", "local (http://127.0.0.1:", "Version:", "0.1.0", "Uptime:", "2m 3s",
        "Deployment ID:", "5f0c2a9e-1b7d-4c3e-9a51-7d2e8f6b1c04", "2 data + 2 parity shards",
        "Buckets:", "Objects:", "Drives: 4 (1 offline, 3 ok)", "PATH", "STATE", "/data/d3",
        "offline"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << " missing from:\n" << r.out;
  }
  EXPECT_NE(r.out.find("Buckets:         3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Objects:         10\n"), std::string::npos) << r.out;

  ASSERT_EQ(server.requests().size(), 1u);
  const testing::RecordedRequest req = server.requests()[0];
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/_strongbox/admin/v1/info");
  EXPECT_EQ(req.Header("authorization").value_or("").rfind("AWS4-HMAC-SHA256 Credential=AK/", 0),
            0u);
  EXPECT_EQ(CheckSigV4(req, kSecret), "");
}

TEST_F(SbctlCliTest, InfoJsonPrintsRawDocument) {
  TestHttpServer server;
  server.SetResponse({200, "OK", {}, std::string(kInfoJson) + "\n\n"});
  AddAlias("local", server.url());
  Result r = Run({"info", "local", "--json"});  // global flag after the command
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kInfoJson) + "\n");
  EXPECT_EQ(Run({"--json", "info", "local"}).out, r.out);
}

TEST_F(SbctlCliTest, InfoReportsServerErrorCodeAndMessageOnOneLine) {
  TestHttpServer server;
  server.SetResponse({403,
                      "Forbidden",
                      {},
                      "<Error><Code>AccessDenied</Code><Message>admin API requires the root\n"
                      "user</Message></Error>"});
  AddAlias("local", server.url());
  Result r = Run({"info", "local"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sbctl: HTTP 403 AccessDenied: admin API requires the root user\n");
}

TEST_F(SbctlCliTest, InfoRejectsNonJsonDocument) {
  TestHttpServer server;
  server.SetResponse({200, "OK", {}, "<html>not json</html>"});
  AddAlias("local", server.url());
  Result r = Run({"info", "local"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("invalid info document"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(r.err), 1);
}

TEST_F(SbctlCliTest, InfoUnreachableServer) {
  AddAlias("down", "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()));
  Result r = Run({"info", "down"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("sbctl: cannot GET http://127.0.0.1:", 0), 0u) << r.err;
  EXPECT_EQ(Lines(r.err), 1);
}

TEST_F(SbctlCliTest, RuntimeErrorsExitWith2) {
  Result unknown = Run({"info", "nope"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown alias 'nope'"), std::string::npos);
  EXPECT_EQ(Lines(unknown.err), 1);

  ASSERT_EQ(::mkdir(tmp_.Sub("cfg").c_str(), 0700), 0);
  testing::WriteFileForTest(tmp_.Sub("cfg/config.json"), "{oops");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"info", "local"}, std::vector<std::string>{"alias", "ls"}}) {
    Result bad = Run(args);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("bad config file"), std::string::npos) << bad.err;
    EXPECT_EQ(Lines(bad.err), 1);
  }
}

TEST_F(SbctlCliTest, UsageErrorsExitWith1) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"bogus"},
      {"info"},
      {"info", "a", "b"},
      {"info", "bad name"},
      {"info", "local/bucket"},
      {"alias"},
      {"alias", "set", "local"},
      {"alias", "set", "bad/name", "http://h", "AK", kSecret},
      {"alias", "set", "local", "ftp://h", "AK", kSecret},
      {"--timeout", "0", "info", "local"},
      {"--timeout", "abc", "info", "local"},
  };
  for (const auto& args : cases) {
    Result r = Run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 1) << joined << ": " << r.err;
    EXPECT_EQ(Lines(r.err), 1) << joined << ": " << r.err;
    EXPECT_EQ(r.err.rfind("sbctl: ", 0), 0u) << r.err;
  }
}

TEST_F(SbctlCliTest, HelpAndVersionSucceed) {
  Result help = Run({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("alias"), std::string::npos);
  EXPECT_NE(help.out.find("info"), std::string::npos);
  Result sub = Run({"alias", "set", "--help"});
  EXPECT_EQ(sub.code, 0);
  EXPECT_NE(sub.out.find("ACCESS_KEY"), std::string::npos);
  Result version = Run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("sbctl ", 0), 0u) << version.out;
}

}  // namespace
}  // namespace sb::sbctl
