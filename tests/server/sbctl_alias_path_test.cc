#include <string>

#include "gtest/gtest.h"
#include "server/sbctl/alias_path.h"

namespace sb::sbctl {
namespace {

TEST(AliasPathTest, AliasOnly) {
  absl::StatusOr<AliasPath> p = ParseAliasPath("local");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->alias, "local");
  EXPECT_EQ(p->bucket, "");
  EXPECT_EQ(p->prefix, "");
  EXPECT_EQ(p->ToString(), "local");
}

TEST(AliasPathTest, TrailingSlashAfterAliasIsAccepted) {
  absl::StatusOr<AliasPath> p = ParseAliasPath("local/");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->alias, "local");
  EXPECT_EQ(p->bucket, "");
  EXPECT_EQ(p->prefix, "");
}

TEST(AliasPathTest, AliasAndBucket) {
  absl::StatusOr<AliasPath> p = ParseAliasPath("prod-1/photos");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->alias, "prod-1");
  EXPECT_EQ(p->bucket, "photos");
  EXPECT_EQ(p->prefix, "");
  EXPECT_EQ(p->ToString(), "prod-1/photos");

  absl::StatusOr<AliasPath> slash = ParseAliasPath("prod-1/photos/");
  ASSERT_TRUE(slash.ok()) << slash.status();
  EXPECT_EQ(slash->bucket, "photos");
  EXPECT_EQ(slash->prefix, "");
}

TEST(AliasPathTest, AliasBucketAndPrefixKeepsPrefixVerbatim) {
  absl::StatusOr<AliasPath> p = ParseAliasPath("local/my.bucket/a/b/");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->alias, "local");
  EXPECT_EQ(p->bucket, "my.bucket");
  EXPECT_EQ(p->prefix, "a/b/");
  EXPECT_EQ(p->ToString(), "local/my.bucket/a/b/");

  absl::StatusOr<AliasPath> key = ParseAliasPath("local/b/dir/file name.txt");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->prefix, "dir/file name.txt");
}

TEST(AliasPathTest, RejectsMalformedTargets) {
  for (const char* bad :
       {"", "/bucket", "bad name", "-local", "loc@l/b", "local//x", "local/bu cket", "local/b*"}) {
    absl::StatusOr<AliasPath> p = ParseAliasPath(bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << "'" << bad << "'";
  }
}

TEST(AliasPathTest, AliasNameRules) {
  EXPECT_TRUE(ValidateAliasName("a").ok());
  EXPECT_TRUE(ValidateAliasName("Local_2.test-x").ok());
  EXPECT_TRUE(ValidateAliasName(std::string(64, 'a')).ok());
  EXPECT_FALSE(ValidateAliasName(std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateAliasName("").ok());
  EXPECT_FALSE(ValidateAliasName(".hidden").ok());
  EXPECT_FALSE(ValidateAliasName("a/b").ok());
  EXPECT_FALSE(ValidateAliasName("tab\there").ok());
}

}  // namespace
}  // namespace sb::sbctl
