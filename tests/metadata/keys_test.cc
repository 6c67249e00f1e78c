#include "metadata/keys.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace sb::metadata {
namespace {

using namespace std::string_literals;

std::string Encode2(std::string_view a, std::string_view b) {
  std::string out;
  AppendComponent(&out, a);
  AppendComponent(&out, b);
  return out;
}

TEST(KeysTest, ComponentRoundTripsAnyBytes) {
  for (std::string value : {""s, "a"s, "\0"s, "a\0b"s, "\0\0\x01\xff"s, "\xff\xff"s, "x/y"s}) {
    std::string encoded;
    AppendComponent(&encoded, value);
    encoded += "rest";
    std::string_view in = encoded;
    std::optional<std::string> decoded = ConsumeComponent(&in);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, value);
    EXPECT_EQ(in, "rest");
  }
}

TEST(KeysTest, ConsumeComponentRejectsMalformed) {
  for (std::string bad : {"abc"s, "a\0"s, "a\0\x02"s, ""s}) {
    std::string_view in = bad;
    EXPECT_FALSE(ConsumeComponent(&in).has_value()) << bad;
  }
}

// Tuples of components must sort like the tuples themselves (first component, then second),
// for strings that are prefixes of each other and strings holding '\0' and 0xff.
TEST(KeysTest, TupleEncodingPreservesOrder) {
  std::vector<std::string> atoms = {""s,    "a"s,  "a\0"s,  "a\0b"s, "a\x01"s, "a/"s,
                                    "a/b"s, "ab"s, "\xff"s, "b"s,    "\0"s,    "a\xff"s};
  std::vector<std::pair<std::string, std::string>> tuples;
  for (const auto& x : atoms) {
    for (const auto& y : atoms) tuples.emplace_back(x, y);
  }
  std::vector<std::pair<std::string, std::string>> by_encoding = tuples;
  std::sort(tuples.begin(), tuples.end());
  std::sort(by_encoding.begin(), by_encoding.end(), [](const auto& l, const auto& r) {
    return Encode2(l.first, l.second) < Encode2(r.first, r.second);
  });
  EXPECT_EQ(tuples, by_encoding);
}

TEST(KeysTest, RandomTuplesPreserveOrder) {
  std::mt19937 rng(42);  // fixed seed: deterministic
  auto random_string = [&rng] {
    std::string s(rng() % 5, '\0');
    constexpr char kAlphabet[] = {'\0', '\x01', 'a', '/', '\xff'};
    for (char& c : s) c = kAlphabet[rng() % 5];
    return s;
  };
  for (int i = 0; i < 5000; ++i) {
    std::string a1 = random_string(), b1 = random_string();
    std::string a2 = random_string(), b2 = random_string();
    EXPECT_EQ(std::make_pair(a1, b1) < std::make_pair(a2, b2), Encode2(a1, b1) < Encode2(a2, b2));
  }
}

TEST(KeysTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("a/"), "a0");
  EXPECT_EQ(PrefixSuccessor("a\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
  // Greater than everything starting with the prefix, and no larger than needed.
  EXPECT_GT(PrefixSuccessor("a/"), "a/\xff\xff\xff");
  EXPECT_LT(PrefixSuccessor("a/"), "a1");
}

TEST(KeysTest, ObjectKeysOfDifferentBucketsDoNotInterleave) {
  // Bucket "a" keys must all sort before bucket "ab" keys, even for key "b...".
  EXPECT_LT(ObjectKey("a", "\xff\xff"), ObjectKey("ab", ""));
  EXPECT_TRUE(ObjectKey("a", "x").starts_with(ObjectBucketPrefix("a")));
  EXPECT_FALSE(ObjectKey("ab", "x").starts_with(ObjectBucketPrefix("a")));
  EXPECT_LT(ObjectKey("b", "a"), ObjectKey("b", "a/"));
}

TEST(KeysTest, UploadKeyDecodes) {
  std::string key = UploadKey("bkt", "dir/\0file"s, "0001abc");
  std::string_view suffix = key;
  suffix.remove_prefix(UploadBucketPrefix("bkt").size());
  std::optional<UploadKeyParts> parts = DecodeUploadSuffix(suffix);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->key, "dir/\0file"s);
  EXPECT_EQ(parts->upload_id, "0001abc");
  // Uploads of key "a" sort before uploads of "a\0" and "a/", whatever their ids.
  EXPECT_LT(UploadKey("b", "a", "\xff"), UploadKey("b", "a\0"s, ""));
  EXPECT_LT(UploadKey("b", "a", "\xff"), UploadKey("b", "a/", ""));
}

TEST(KeysTest, PartKeysSortNumerically) {
  EXPECT_LT(PartKey("b", "k", "u", 2), PartKey("b", "k", "u", 10));
  EXPECT_LT(PartKey("b", "k", "u", 255), PartKey("b", "k", "u", 256));
  std::string key = PartKey("b", "k", "u", 10000);
  std::optional<uint32_t> number =
      DecodePartSuffix(std::string_view(key).substr(PartPrefix("b", "k", "u").size()));
  ASSERT_TRUE(number.has_value());
  EXPECT_EQ(*number, 10000u);
  // Parts of upload "u" and of upload "u2" never interleave.
  EXPECT_LT(PartKey("b", "k", "u", 0xffffffff), PartKey("b", "k", "u2", 0));
}

}  // namespace
}  // namespace sb::metadata
