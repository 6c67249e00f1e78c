#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/sbctl/config_store.h"
#include "server/sbctl/secure_file.h"
#include "tests/server/sbctl_test_util.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::ModeOf;
using ::sb::sbctl::testing::ReadFileForTest;
using ::sb::sbctl::testing::TempDir;
using ::sb::sbctl::testing::WriteFileForTest;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

Alias MakeAlias(std::string name, std::string url = "http://127.0.0.1:9000") {
  return Alias{std::move(name), std::move(url), "AKIAIOSFODNN7EXAMPLE", kSecret};
}

std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ConfigStoreTest, MissingFileMeansNoAliases) {
  TempDir tmp;
  ConfigStore store(tmp.Sub("does/not/exist"));
  absl::StatusOr<std::vector<Alias>> list = store.List();
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(store.Get("local").status().code(), absl::StatusCode::kNotFound);
}

TEST(ConfigStoreTest, RoundTripThroughANewStore) {
  TempDir tmp;
  {
    ConfigStore store(tmp.Sub("cfg"));
    ASSERT_TRUE(store.Set(MakeAlias("zeta", "https://s3.example.com:8443/")).ok());
    Alias tricky{"alpha", "http://[::1]:9000", "AK\"quote\\", "secret with \"json\" chars \\ é"};
    ASSERT_TRUE(store.Set(tricky).ok());
  }
  ConfigStore reopened(tmp.Sub("cfg"));
  absl::StatusOr<std::vector<Alias>> list = reopened.List();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alpha");  // sorted by name
  EXPECT_EQ((*list)[0].url, "http://[::1]:9000");
  EXPECT_EQ((*list)[0].access_key, "AK\"quote\\");
  EXPECT_EQ((*list)[0].secret_key, "secret with \"json\" chars \\ é");
  EXPECT_EQ((*list)[1].name, "zeta");
  EXPECT_EQ((*list)[1].url, "https://s3.example.com:8443");  // trailing '/' stripped
  EXPECT_EQ((*list)[1].secret_key, kSecret);

  absl::StatusOr<Alias> zeta = reopened.Get("zeta");
  ASSERT_TRUE(zeta.ok()) << zeta.status();
  EXPECT_EQ(zeta->access_key, "AKIAIOSFODNN7EXAMPLE");
}

TEST(ConfigStoreTest, SetReplacesAndRemoveDeletes) {
  TempDir tmp;
  ConfigStore store(tmp.path());
  ASSERT_TRUE(store.Set(MakeAlias("a")).ok());
  ASSERT_TRUE(store.Set(MakeAlias("b")).ok());
  Alias replaced = MakeAlias("a", "http://10.0.0.1:9000");
  replaced.secret_key = "another-secret-value";
  ASSERT_TRUE(store.Set(replaced).ok());
  absl::StatusOr<Alias> a = store.Get("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->url, "http://10.0.0.1:9000");
  EXPECT_EQ(a->secret_key, "another-secret-value");

  ASSERT_TRUE(store.Remove("a").ok());
  EXPECT_EQ(store.Get("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store.Get("b").ok());
  EXPECT_EQ(store.Remove("a").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ConfigStore(tmp.Sub("empty")).Remove("a").code(), absl::StatusCode::kNotFound);
}

TEST(ConfigStoreTest, CreatesPrivateDirectoriesAndFileEvenWithPermissiveUmask) {
  TempDir tmp;
  const mode_t old_umask = ::umask(0);
  ConfigStore store(tmp.Sub("home/.config/sbctl"));
  absl::Status s = store.Set(MakeAlias("local"));
  ::umask(old_umask);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ModeOf(tmp.Sub("home")), 0700);
  EXPECT_EQ(ModeOf(tmp.Sub("home/.config")), 0700);
  EXPECT_EQ(ModeOf(tmp.Sub("home/.config/sbctl")), 0700);
  EXPECT_EQ(ModeOf(store.path()), 0600);
}

TEST(ConfigStoreTest, RewriteRestoresMode0600) {
  TempDir tmp;
  ConfigStore store(tmp.path());
  ASSERT_TRUE(store.Set(MakeAlias("a")).ok());
  ASSERT_EQ(::chmod(store.path().c_str(), 0644), 0);
  ASSERT_TRUE(store.Set(MakeAlias("b")).ok());
  EXPECT_EQ(ModeOf(store.path()), 0600);
}

TEST(ConfigStoreTest, RewriteReplacesTheFileAtomically) {
  TempDir tmp;
  ConfigStore store(tmp.path());
  ASSERT_TRUE(store.Set(MakeAlias("first")).ok());
  const std::string before = ReadFileForTest(store.path());
  struct stat st_before {};
  ASSERT_EQ(::stat(store.path().c_str(), &st_before), 0);
  // A reader that opened the old file keeps seeing it whole: the new one is renamed in.
  const int reader = ::open(store.path().c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);

  ASSERT_TRUE(store.Set(MakeAlias("second")).ok());

  struct stat st_after {};
  ASSERT_EQ(::stat(store.path().c_str(), &st_after), 0);
  EXPECT_NE(st_before.st_ino, st_after.st_ino);
  std::string old_view(before.size() + 100, '\0');
  const ssize_t n = ::pread(reader, old_view.data(), old_view.size(), 0);
  ::close(reader);
  ASSERT_GE(n, 0);
  old_view.resize(static_cast<size_t>(n));
  EXPECT_EQ(old_view, before);
  EXPECT_NE(ReadFileForTest(store.path()), before);
  // No temp files are left behind.
  EXPECT_EQ(DirEntries(tmp.path()), (std::vector<std::string>{".config.json.lock", "config.json"}));
}

TEST(ConfigStoreTest, FailedWriteLeavesOldFileIntact) {
  TempDir tmp;
  const std::string path = tmp.Sub("file.json");
  ASSERT_TRUE(WriteFileAtomically(path, "old content", 0600).ok());
  // Make the write itself fail (EFBIG) through the file size limit.
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct sigaction ignore {};
  struct sigaction saved_action {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &saved_action), 0);
  struct rlimit small = saved;
  small.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  absl::Status s = WriteFileAtomically(path, std::string(4096, 'x'), 0600);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::sigaction(SIGXFSZ, &saved_action, nullptr);

  EXPECT_FALSE(s.ok());
  EXPECT_EQ(ReadFileForTest(path), "old content");
  EXPECT_EQ(DirEntries(tmp.path()), std::vector<std::string>{"file.json"});
}

TEST(ConfigStoreTest, ConcurrentWritersLoseNoUpdates) {
  TempDir tmp;
  constexpr int kWriters = 8;
  std::vector<std::thread> threads;
  threads.reserve(kWriters);
  std::vector<absl::Status> results(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      ConfigStore store(tmp.path());
      results[i] = store.Set(MakeAlias("alias" + std::to_string(i)));
    });
  }
  for (auto& t : threads) t.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
  absl::StatusOr<std::vector<Alias>> list = ConfigStore(tmp.path()).List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), static_cast<size_t>(kWriters));
}

TEST(ConfigStoreTest, BadJsonIsAnErrorAndIsNotOverwritten) {
  TempDir tmp;
  ConfigStore store(tmp.path());
  WriteFileForTest(store.path(),
                   "{\"aliases\": {\"x\": {\"url\": \"http://a\", \"secret_key\": \"");
  absl::StatusOr<std::vector<Alias>> list = store.List();
  EXPECT_EQ(list.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(list.status().message().find(store.path()), absl::string_view::npos);
  EXPECT_NE(list.status().message().find("not valid JSON"), absl::string_view::npos);
  const std::string before = ReadFileForTest(store.path());
  EXPECT_EQ(store.Set(MakeAlias("local")).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.Remove("x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadFileForTest(store.path()), before);
}

TEST(ConfigStoreTest, WrongShapesAreErrorsThatDoNotLeakSecrets) {
  TempDir tmp;
  ConfigStore store(tmp.path());
  const char* cases[] = {
      "[]",
      "{\"version\": 2, \"aliases\": {}}",
      "{\"aliases\": []}",
      "{\"aliases\": {\"a\": \"http://x\"}}",
      R"({"aliases": {"bad name": {"url": "u", "access_key": "k", "secret_key": "TOPSECRET-1"}}})",
      "{\"aliases\": {\"a\": {\"access_key\": \"k\", \"secret_key\": \"TOPSECRET-1234567890\"}}}",
      "{\"aliases\": {\"a\": {\"url\": \"u\", \"access_key\": \"k\", \"secret_key\": 5}}}",
  };
  for (const char* text : cases) {
    WriteFileForTest(store.path(), text);
    absl::StatusOr<std::vector<Alias>> list = store.List();
    EXPECT_EQ(list.status().code(), absl::StatusCode::kFailedPrecondition) << text;
    EXPECT_EQ(list.status().message().find("TOPSECRET"), absl::string_view::npos) << text;
  }
  // Unknown fields are tolerated, and a missing "version" means version 1.
  WriteFileForTest(store.path(),
                   "{\"extra\": true, \"aliases\": {\"a\": {\"url\": \"http://x\", "
                   "\"access_key\": \"k\", \"secret_key\": \"s\", \"region\": \"r\"}}}");
  absl::StatusOr<std::vector<Alias>> list = store.List();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].secret_key, "s");
}

TEST(ConfigStoreTest, SetValidatesItsInputAndWritesNothing) {
  TempDir tmp;
  ConfigStore store(tmp.Sub("cfg"));
  std::vector<Alias> bad = {
      MakeAlias("bad name"),
      MakeAlias("a", "ftp://host"),
      MakeAlias("a", "127.0.0.1:9000"),
      MakeAlias("a", "http://user:pass@host:9000"),
      MakeAlias("a", "http://host:9000/?x=1"),
      MakeAlias("a", "http://host:9000/#frag"),
      MakeAlias("a", "http://"),
      Alias{"a", "http://h", "", "s"},
      Alias{"a", "http://h", "k", ""},
      Alias{"a", "http://h", "k", "line\nbreak"},
  };
  for (const Alias& alias : bad) {
    absl::Status s = store.Set(alias);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << alias.name << " " << alias.url;
    EXPECT_EQ(s.message().find("pass@"), absl::string_view::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(store.path()));
}

TEST(ConfigStoreTest, MaskSecretNeverRevealsMoreThanFourCharsOrTheLength) {
  EXPECT_EQ(MaskSecret(kSecret), "wJal********");
  EXPECT_EQ(MaskSecret("abcdefghijkl"), "abcd********");
  EXPECT_EQ(MaskSecret("short"), "********");
  EXPECT_EQ(MaskSecret(""), "********");
  EXPECT_EQ(MaskSecret(std::string(200, 'z')).size(), MaskSecret(std::string(12, 'z')).size());
  EXPECT_EQ(MaskSecret(kSecret).find("KEY"), std::string::npos);
}

TEST(ConfigStoreTest, ResolveConfigDirPrecedence) {
  EXPECT_EQ(*ResolveConfigDir("/flag", "/env", "/home/u"), "/flag");
  EXPECT_EQ(*ResolveConfigDir("", "/env", "/home/u"), "/env");
  EXPECT_EQ(*ResolveConfigDir("", "", "/home/u"), "/home/u/.config/sbctl");
  EXPECT_EQ(ResolveConfigDir("", "", "").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ConfigStoreTest, NormalizeServerUrl) {
  EXPECT_EQ(*NormalizeServerUrl("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
  EXPECT_EQ(*NormalizeServerUrl("https://host//"), "https://host");
  EXPECT_EQ(*NormalizeServerUrl("http://host:80/base/"), "http://host:80/base");
  EXPECT_FALSE(NormalizeServerUrl("host:9000").ok());
  EXPECT_FALSE(NormalizeServerUrl("").ok());
}

}  // namespace
}  // namespace sb::sbctl
