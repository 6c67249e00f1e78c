// Payload integrity: x-amz-content-sha256 verification and S3 additional checksums, checked
// against published check values and independent bitwise reference implementations.
#include "gateway/payload_verify.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::ReadAll;
using testing::StringSource;

constexpr char kPutExampleHash[] =
    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";

TEST(Sha256VerifyingSourceTest, AcceptsMatchingBody) {
  // The body of AWS's "PUT Object" signing example.
  StringSource inner("Welcome to Amazon S3.", 4);
  Sha256VerifyingSource src(&inner, kPutExampleHash);
  absl::StatusOr<std::string> out = ReadAll(src, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "Welcome to Amazon S3.");
  EXPECT_EQ(*src.Read(out->data(), 1), 0u);  // stays at end

  StringSource upper_inner("Welcome to Amazon S3.");
  std::string upper(kPutExampleHash);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Sha256VerifyingSource upper_src(&upper_inner, upper);
  EXPECT_TRUE(ReadAll(upper_src, 100).ok());

  StringSource empty("");
  Sha256VerifyingSource empty_src(&empty, testing::kEmptySha);
  EXPECT_TRUE(ReadAll(empty_src, 10).ok());
}

TEST(Sha256VerifyingSourceTest, RejectsMismatchAtEnd) {
  StringSource inner("Welcome to Amazon S3!");
  Sha256VerifyingSource src(&inner, kPutExampleHash);
  char buf[64];
  absl::StatusOr<size_t> n = src.Read(buf, sizeof(buf));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 21u);
  absl::StatusOr<size_t> end = src.Read(buf, sizeof(buf));
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetReason(end.status()), ErrorReason::kXAmzContentSha256Mismatch);
  EXPECT_EQ(GetReason(src.Read(buf, sizeof(buf)).status()),
            ErrorReason::kXAmzContentSha256Mismatch);
}

TEST(Sha256VerifyingSourceTest, InnerErrorsPassThrough) {
  StringSource inner("abc");
  inner.FailAtEnd(absl::AbortedError("connection reset"));
  Sha256VerifyingSource src(&inner, testing::kEmptySha);
  EXPECT_EQ(ReadAll(src, 2).status().code(), absl::StatusCode::kAborted);
}

std::string Checksum(std::string_view algorithm, std::string_view data) {
  absl::StatusOr<ChecksumCalculator> calc = ChecksumCalculator::Create(algorithm);
  EXPECT_TRUE(calc.ok()) << calc.status();
  if (!calc.ok()) return "";
  calc->Update(data);
  return calc->FinishBase64();
}

// Check values of the CRC catalogue ("123456789") and well-known digests, in S3's form.
TEST(ChecksumCalculatorTest, KnownValues) {
  EXPECT_EQ(Checksum("CRC32", "123456789"), "y/Q5Jg==");          // 0xCBF43926
  EXPECT_EQ(Checksum("CRC32C", "123456789"), "4waSgw==");         // 0xE3069283
  EXPECT_EQ(Checksum("CRC64NVME", "123456789"), "rosUhgp5mIg=");  // 0xAE8B14860A799888
  EXPECT_EQ(Checksum("SHA1", "123456789"), "98O8HYCOBHMq32eZZczDTKeuNEE=");
  EXPECT_EQ(Checksum("SHA256", "123456789"), "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=");
  EXPECT_EQ(Checksum("crc32", ""), "AAAAAA==");
  EXPECT_EQ(Checksum("crc32c", ""), "AAAAAA==");
  EXPECT_EQ(Checksum("crc64nvme", ""), "AAAAAAAAAAA=");
  EXPECT_EQ(Checksum("sha256", ""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(Checksum("Sha1", "abc"), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
  EXPECT_EQ(Checksum("CRC32", "Hello world"), "i9aeUg==");
  EXPECT_EQ(Checksum("CRC32C", "Hello world"), "crUfeA==");
  EXPECT_EQ(Checksum("CRC64NVME", "Hello world"), "OOJZ0D8xKts=");
}

TEST(ChecksumCalculatorTest, NamesAndUnknownAlgorithm) {
  absl::StatusOr<ChecksumCalculator> c = ChecksumCalculator::Create("crc64nvme");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name(), "CRC64NVME");
  EXPECT_EQ(c->header_name(), "x-amz-checksum-crc64nvme");
  EXPECT_EQ(c->algorithm(), ChecksumCalculator::Algorithm::kCrc64Nvme);
  for (const char* bad : {"MD5", "", "CRC", "SHA512", "crc32 "}) {
    absl::StatusOr<ChecksumCalculator> b = ChecksumCalculator::Create(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(GetReason(b.status()), ErrorReason::kInvalidRequest);
  }
}

// Bitwise reflected CRC, the textbook definition: an independent reference.
uint64_t ReferenceCrc(std::string_view data, uint64_t poly_reflected, int width) {
  uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  uint64_t c = mask;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly_reflected : c >> 1;
  }
  return c ^ mask;
}

std::string BigEndianBase64(uint64_t v, int bytes) {
  std::string raw(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) raw[i] = static_cast<char>(v & 0xff);
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < raw.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(raw[i]) << 16;
    if (i + 1 < raw.size()) n |= static_cast<uint8_t>(raw[i + 1]) << 8;
    if (i + 2 < raw.size()) n |= static_cast<uint8_t>(raw[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < raw.size() ? kB64[(n >> 6) & 63] : '=';
    out += i + 2 < raw.size() ? kB64[n & 63] : '=';
  }
  return out;
}

// Streaming updates of random sizes over random data equal the reference over the whole.
TEST(ChecksumCalculatorTest, IncrementalMatchesReference) {
  std::mt19937_64 rng(42);
  std::string data(300000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  struct Alg {
    const char* name;
    uint64_t poly;
    int width;
  };
  for (const Alg& a : {Alg{"CRC32", 0xEDB88320, 32}, Alg{"CRC32C", 0x82F63B78, 32},
                       Alg{"CRC64NVME", 0x9A6C9329AC4BC9B5ULL, 64}}) {
    SCOPED_TRACE(a.name);
    for (size_t len :
         {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{4097}, data.size()}) {
      std::string_view slice(data.data(), len);
      absl::StatusOr<ChecksumCalculator> calc = ChecksumCalculator::Create(a.name);
      ASSERT_TRUE(calc.ok());
      size_t off = 0;
      while (off < len) {
        size_t n = std::min<size_t>(len - off, rng() % 5000);
        calc->Update(slice.substr(off, n));
        off += n;
      }
      EXPECT_EQ(calc->FinishBase64(),
                BigEndianBase64(ReferenceCrc(slice, a.poly, a.width), a.width / 8))
          << "len=" << len;
    }
  }
  absl::StatusOr<ChecksumCalculator> sha = ChecksumCalculator::Create("SHA256");
  ASSERT_TRUE(sha.ok());
  for (size_t off = 0; off < data.size(); off += 1000) sha->Update(data.substr(off, 1000));
  std::string digest = sha->Finish();
  EXPECT_EQ(testing::Hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size()),
            testing::OsslSha256Hex(data));
}

}  // namespace
}  // namespace sb::gateway
