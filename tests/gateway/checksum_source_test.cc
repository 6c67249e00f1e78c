// ChecksumCheckSource: x-amz-checksum-* verification from a header value or from an
// aws-chunked trailer. A mismatch fails the final read (BadDigest), so callers that commit
// only after Read() returned 0 never store a corrupted body.
#include "gateway/checksum_source.h"

#include <memory>
#include <string>
#include <utility>

#include "gateway/aws_chunked.h"
#include "gateway/payload_verify.h"
#include "gateway/sigv4.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;
using core_testing::StringBody;

// Values computed independently (Python zlib.crc32 / hashlib.sha256, big-endian, base64).
constexpr char kCrc32HelloWorld[] = "DUoRhQ==";
constexpr char kSha256HelloWorld[] = "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=";

ChecksumCalculator Calc(std::string_view algorithm) {
  auto c = ChecksumCalculator::Create(algorithm);
  EXPECT_TRUE(c.ok()) << c.status();
  return std::move(c).value();
}

// Reads everything in small pieces; returns the bytes or the first error.
absl::StatusOr<std::string> Drain(BodySource& src) {
  std::string out;
  char buf[3];
  for (;;) {
    auto n = src.Read(buf, sizeof(buf));
    if (!n.ok()) return n.status();
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

TEST(ChecksumSourceTest, HeaderValueMatches) {
  for (auto [algo, value] : {std::pair<const char*, const char*>{"CRC32", kCrc32HelloWorld},
                             {"SHA256", kSha256HelloWorld}}) {
    StringBody inner("hello world", 4);
    ChecksumCheckSource src(&inner, Calc(algo), algo, value, nullptr, "");
    auto got = Drain(src);
    ASSERT_THAT(got, IsOk()) << algo;
    EXPECT_EQ(*got, "hello world");
    EXPECT_EQ(src.value(), value);
    // The end of the body stays the end.
    char c;
    auto again = src.Read(&c, 1);
    ASSERT_THAT(again, IsOk());
    EXPECT_EQ(*again, 0u);
  }
}

TEST(ChecksumSourceTest, MismatchFailsTheFinalRead) {
  StringBody inner("hello worle");
  ChecksumCheckSource src(&inner, Calc("CRC32"), "CRC32", kCrc32HelloWorld, nullptr, "");
  char buf[64];
  auto first = src.Read(buf, sizeof(buf));
  ASSERT_THAT(first, IsOk());  // bytes pass through; the verdict comes at the end
  EXPECT_EQ(*first, 11u);
  EXPECT_THAT(src.Read(buf, sizeof(buf)), HasReason(ErrorReason::kBadDigest));
}

TEST(ChecksumSourceTest, InnerErrorsPassThrough) {
  class Failing final : public BodySource {
   public:
    absl::StatusOr<size_t> Read(char*, size_t) override {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kIncompleteBody, "cut");
    }
  } inner;
  ChecksumCheckSource src(&inner, Calc("SHA256"), "SHA256", kSha256HelloWorld, nullptr, "");
  char buf[8];
  EXPECT_THAT(src.Read(buf, sizeof(buf)), HasReason(ErrorReason::kIncompleteBody));
}

class TrailerChecksumTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::string> Run(const std::string& trailer) {
    SigV4Result auth;
    auth.anonymous = true;
    auth.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
    raw_ = std::make_unique<StringBody>("5\r\nhello\r\n6\r\n world\r\n0\r\n" + trailer + "\r\n", 7);
    chunked_ = std::make_unique<AwsChunkedSource>(raw_.get(), auth);
    src_ = std::make_unique<ChecksumCheckSource>(chunked_.get(), Calc("CRC32"), "CRC32", "",
                                                 chunked_.get(), "x-amz-checksum-crc32");
    return Drain(*src_);
  }

  std::unique_ptr<StringBody> raw_;
  std::unique_ptr<AwsChunkedSource> chunked_;
  std::unique_ptr<ChecksumCheckSource> src_;
};

TEST_F(TrailerChecksumTest, MatchingTrailer) {
  auto got = Run(std::string("x-amz-checksum-crc32:") + kCrc32HelloWorld + "\r\n");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(*got, "hello world");
  EXPECT_EQ(src_->value(), kCrc32HelloWorld);
}

TEST_F(TrailerChecksumTest, WrongTrailerIsBadDigest) {
  EXPECT_THAT(Run("x-amz-checksum-crc32:AAAAAA==\r\n"), HasReason(ErrorReason::kBadDigest));
}

TEST_F(TrailerChecksumTest, DeclaredButMissingTrailerIsInvalidRequest) {
  EXPECT_THAT(Run(""), HasReason(ErrorReason::kInvalidRequest));
  // A trailer for another algorithm does not count.
  EXPECT_THAT(Run("x-amz-checksum-sha256:" + std::string(kSha256HelloWorld) + "\r\n"),
              HasReason(ErrorReason::kInvalidRequest));
}

}  // namespace
}  // namespace sb::gateway
