// ParseRange (RFC 9110 section 14 as S3 applies it), ParseCopySourceRange and
// ParseCopySource.
#include "gateway/handlers/range.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;

// Expects a satisfiable range.
void ExpectRange(std::string_view header, uint64_t size, uint64_t offset, uint64_t length) {
  auto r = ParseRange(header, size);
  ASSERT_THAT(r, IsOk()) << header;
  ASSERT_TRUE(r->has_value()) << header << " was ignored";
  EXPECT_EQ((*r)->offset, offset) << header;
  EXPECT_EQ((*r)->length, length) << header;
}

// Expects the header to be ignored (the whole object is served with 200).
void ExpectIgnored(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  ASSERT_THAT(r, IsOk()) << header;
  EXPECT_FALSE(r->has_value()) << header << " -> " << (*r)->offset << "+" << (*r)->length;
}

void ExpectUnsatisfiable(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  EXPECT_THAT(r, HasReason(ErrorReason::kInvalidRange)) << header << " size " << size;
}

TEST(RangeTest, FirstByte) { ExpectRange("bytes=0-0", 10, 0, 1); }

TEST(RangeTest, OpenEnded) {
  ExpectRange("bytes=0-", 10, 0, 10);
  ExpectRange("bytes=7-", 10, 7, 3);
  ExpectRange("bytes=9-", 10, 9, 1);
}

TEST(RangeTest, Suffix) {
  ExpectRange("bytes=-1", 10, 9, 1);
  ExpectRange("bytes=-4", 10, 6, 4);
  ExpectRange("bytes=-10", 10, 0, 10);
  // A suffix longer than the object selects the whole object (RFC 9110 14.1.2).
  ExpectRange("bytes=-20", 10, 0, 10);
}

TEST(RangeTest, ClosedRanges) {
  ExpectRange("bytes=2-5", 10, 2, 4);
  ExpectRange("bytes=9-9", 10, 9, 1);
  ExpectRange("bytes=0-9", 10, 0, 10);
  // A last position past the end is clamped to the last byte.
  ExpectRange("bytes=5-100", 10, 5, 5);
  ExpectRange("bytes=0-18446744073709551615", 10, 0, 10);
}

TEST(RangeTest, StartAtOrPastEndIsUnsatisfiable) {
  ExpectUnsatisfiable("bytes=10-20", 10);
  ExpectUnsatisfiable("bytes=10-", 10);
  ExpectUnsatisfiable("bytes=11-11", 10);
  ExpectUnsatisfiable("bytes=18446744073709551615-", 10);
  auto r = ParseRange("bytes=10-", 10);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(RangeTest, ZeroLengthSuffixIsUnsatisfiable) { ExpectUnsatisfiable("bytes=-0", 10); }

TEST(RangeTest, EmptyObject) {
  // No byte position exists in an empty object: 416, as AWS answers.
  ExpectUnsatisfiable("bytes=0-0", 0);
  ExpectUnsatisfiable("bytes=0-", 0);
  ExpectUnsatisfiable("bytes=1-2", 0);
  ExpectUnsatisfiable("bytes=-0", 0);
  // A non-zero suffix is the one satisfiable form (RFC 9110 14.1.1); there are no bytes to
  // select, so the empty object is served whole with 200, as AWS does.
  ExpectIgnored("bytes=-1", 0);
  ExpectIgnored("bytes=-100", 0);
}

TEST(RangeTest, HugeNumbersSaturateInsteadOfBeingIgnored) {
  // Syntactically valid ranges whose numbers overflow 64 bits.
  ExpectRange("bytes=3-99999999999999999999999", 10, 3, 7);
  ExpectRange("bytes=-99999999999999999999999", 10, 0, 10);
  ExpectUnsatisfiable("bytes=99999999999999999999999-", 10);
  ExpectUnsatisfiable("bytes=99999999999999999999999-99999999999999999999999", 10);
}

TEST(RangeTest, LargeObject) {
  const uint64_t size = 5ULL << 40;
  ExpectRange("bytes=5497558138879-", size, size - 1, 1);
  ExpectRange("bytes=-1073741824", size, size - (1ULL << 30), 1ULL << 30);
}

TEST(RangeTest, SurroundingWhitespaceIsTolerated) { ExpectRange("  bytes=1-2 ", 10, 1, 2); }

TEST(RangeTest, GarbageIsIgnored) {
  for (const char* h : {"", "bytes", "bytes=", "bytes=-", "bytes=abc", "bytes=1-a", "bytes=a-1",
                        "bytes=5-2", "bytes 0-1", "items=0-1", "bytes=+1-2", "bytes=0x1-2",
                        "bytes=1.5-2", "bytes= 1-2", "bytes=1 -2", "bytes=--1", "bytes=1-2-3"}) {
    ExpectIgnored(h, 10);
  }
}

TEST(RangeTest, MultipleRangesAreIgnored) {
  // S3 does not support multipart/byteranges: the whole object is returned.
  ExpectIgnored("bytes=0-1,3-4", 10);
  ExpectIgnored("bytes=0-1, -2", 10);
  ExpectIgnored("bytes=20-30,0-1", 10);
}

TEST(CopySourceRangeTest, Valid) {
  auto r = ParseCopySourceRange("bytes=0-9", 10);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->offset, 0u);
  EXPECT_EQ(r->length, 10u);
  r = ParseCopySourceRange("bytes=3-3", 10);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->offset, 3u);
  EXPECT_EQ(r->length, 1u);
}

TEST(CopySourceRangeTest, BothEndsRequired) {
  for (const char* h :
       {"bytes=5-", "bytes=-5", "bytes=3-1", "0-1", "bytes=a-b", "bytes=", "bytes=1-2,4-5", ""}) {
    auto r = ParseCopySourceRange(h, 10);
    EXPECT_THAT(r, HasReason(ErrorReason::kInvalidArgument)) << h;
  }
}

TEST(CopySourceRangeTest, PastEndIsInvalidRange) {
  EXPECT_THAT(ParseCopySourceRange("bytes=0-10", 10), HasReason(ErrorReason::kInvalidRange));
  EXPECT_THAT(ParseCopySourceRange("bytes=10-12", 10), HasReason(ErrorReason::kInvalidRange));
  EXPECT_THAT(ParseCopySourceRange("bytes=0-0", 0), HasReason(ErrorReason::kInvalidRange));
}

class CopySourceTest : public ::testing::Test {
 protected:
  absl::StatusOr<CopySource> Parse(const char* header) {
    head_.headers.clear();
    if (header != nullptr) head_.headers.emplace_back("x-amz-copy-source", header);
    RequestContext ctx(head_, body_, out_, absl::UnixEpoch());
    return ParseCopySource(ctx);
  }

  HttpRequestHead head_;
  core_testing::StringBody body_{""};
  core_testing::RecordingWriter out_;
};

TEST_F(CopySourceTest, BucketKeyAndVersion) {
  auto s = Parse("/src/dir/key.txt");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->bucket, "src");
  EXPECT_EQ(s->key, "dir/key.txt");
  EXPECT_EQ(s->version_id, "");
  s = Parse("src/a%20b%2Bc+d");  // leading slash optional; URL-encoded, '+' literal
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->bucket, "src");
  EXPECT_EQ(s->key, "a b+c+d");
  s = Parse("/src/k?versionId=null");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->key, "k");
  EXPECT_EQ(s->version_id, "null");
}

TEST_F(CopySourceTest, Invalid) {
  for (const char* h : {"src", "/src", "/src/", "//key", "/src/%zz", ""}) {
    EXPECT_THAT(Parse(h), HasReason(ErrorReason::kInvalidCopySource)) << h;
  }
  EXPECT_THAT(Parse(nullptr), HasReason(ErrorReason::kInvalidCopySource));
}

}  // namespace
}  // namespace sb::gateway
