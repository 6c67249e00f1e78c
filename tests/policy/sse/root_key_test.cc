#include "policy/sse/root_key.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

class RootKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "sse_root_XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
    ::unsetenv(kRootKeyEnvVar);
  }
  void TearDown() override {
    ::unsetenv(kRootKeyEnvVar);
    std::filesystem::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& content, mode_t mode) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

std::string B64(const std::string& raw) { return absl::Base64Escape(raw); }

TEST_F(RootKeyTest, GenerateWritesA0600FileThatLoadsBack) {
  const std::string path = dir_ + "/kms.key";
  auto key = GenerateRootKeyFile(path);
  ASSERT_TRUE(key.ok()) << key.status();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = LoadRootKey(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->Equals(*key));
  // Never overwrites an existing root key.
  EXPECT_EQ(GenerateRootKeyFile(path).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(LoadRootKey(path)->Equals(*key));
  // Two generated keys differ.
  auto other = GenerateRootKeyFile(dir_ + "/kms2.key");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->Equals(*key));
}

TEST_F(RootKeyTest, ParseAcceptsOnlyBase64Of32Bytes) {
  const std::string raw(32, '\x5a');
  auto ok = ParseRootKey("  " + B64(raw) + "\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->view(), raw);
  for (const std::string& bad :
       {std::string(), std::string("\n"), B64(std::string(31, 'a')), B64(std::string(33, 'a')),
        std::string("not base64 !!!"), B64(raw).substr(1)}) {
    auto s = ParseRootKey(bad).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(std::string(s.message()).find(bad.empty() ? "\x01" : bad), std::string::npos)
        << "the message echoes the key";
  }
}

TEST_F(RootKeyTest, LoadFromEnvironmentWhenNoFileIsGiven) {
  EXPECT_EQ(LoadRootKey("").status().code(), absl::StatusCode::kNotFound);
  const std::string raw(32, '\x07');
  ::setenv(kRootKeyEnvVar, B64(raw).c_str(), 1);
  auto key = LoadRootKey("");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->view(), raw);
  // An explicit file wins over the environment.
  const std::string file_raw(32, '\x08');
  auto from_file = LoadRootKey(Write("k", B64(file_raw), 0600));
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->view(), file_raw);
  ::setenv(kRootKeyEnvVar, "garbage", 1);
  EXPECT_EQ(LoadRootKey("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RootKeyTest, FileProblems) {
  EXPECT_EQ(LoadRootKey(dir_ + "/missing").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadRootKey(Write("short", B64("short"), 0600)).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string good = B64(std::string(32, 'k'));
  EXPECT_EQ(LoadRootKey(Write("gw", good, 0620)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LoadRootKey(Write("ow", good, 0602)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Readable by others (e.g. a mounted secret) loads, with a warning.
  EXPECT_TRUE(LoadRootKey(Write("or", good, 0644)).ok());
}

}  // namespace
}  // namespace sb::sse
