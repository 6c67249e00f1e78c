// Multipart checksums: a combined FULL_OBJECT CRC equals the CRC of the whole object for all
// three CRCs and any split, COMPOSITE is the checksum of the raw part checksums with "-N",
// and the combinations S3 refuses are refused.
#include "gateway/checksum_combine.h"

#include <random>
#include <string>
#include <vector>

#include "common/error_reason.h"
#include "gateway/payload_verify.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

std::string Checksum(std::string_view algorithm, std::string_view data) {
  auto calc = ChecksumCalculator::Create(algorithm);
  EXPECT_TRUE(calc.ok());
  calc->Update(data);
  return calc->FinishBase64();
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

TEST(ChecksumCombineTest, FullObjectCrcEqualsTheCrcOfTheWholeObject) {
  const std::string data = RandomBytes(100000, 7);
  for (const char* algorithm : {"CRC32", "CRC32C", "CRC64NVME"}) {
    for (std::vector<size_t> cuts : {std::vector<size_t>{0, 100000},
                                     {0, 1, 100000},
                                     {0, 4096, 70000, 99999, 100000},
                                     {0, 0, 50000, 100000}}) {
      std::vector<PartChecksum> parts;
      for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        const std::string_view part(data.data() + cuts[i], cuts[i + 1] - cuts[i]);
        parts.push_back({Checksum(algorithm, part), part.size()});
      }
      auto got = MultipartChecksum(algorithm, kChecksumFullObject, parts);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, Checksum(algorithm, data)) << algorithm << " parts " << parts.size();
    }
  }
}

TEST(ChecksumCombineTest, KnownS3MultipartValues) {
  // Three 5 MiB parts of 'A', 'B' and 'C' (the values S3 and Ceph publish for them).
  const size_t size = 5 * 1024 * 1024;
  std::vector<PartChecksum> sha, crc;
  for (char c : {'A', 'B', 'C'}) {
    const std::string part(size, c);
    sha.push_back({Checksum("SHA256", part), size});
    crc.push_back({Checksum("CRC64NVME", part), size});
  }
  EXPECT_EQ(sha[0].value, "275VF5loJr1YYawit0XSHREhkFXYkkPKGuoK0x9VKxI=");
  EXPECT_EQ(*MultipartChecksum("SHA256", kChecksumComposite, sha),
            "uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4=-3");
  EXPECT_EQ(crc[0].value, "L/E4WYn8v98=");
  EXPECT_EQ(*MultipartChecksum("CRC64NVME", kChecksumFullObject, crc), "i+6LR0y3eFo=");
}

TEST(ChecksumCombineTest, RefusesWhatS3Refuses) {
  const std::vector<PartChecksum> parts = {{Checksum("SHA256", "x"), 1}};
  EXPECT_EQ(GetReason(MultipartChecksum("SHA256", kChecksumFullObject, parts).status()),
            ErrorReason::kInvalidRequest);
  EXPECT_EQ(GetReason(MultipartChecksum("CRC64NVME", kChecksumComposite, parts).status()),
            ErrorReason::kInvalidRequest);
  EXPECT_EQ(GetReason(MultipartChecksum("MD5", kChecksumComposite, parts).status()),
            ErrorReason::kInvalidRequest);
  // A part value of the wrong size for the algorithm.
  EXPECT_EQ(GetReason(MultipartChecksum("CRC32", kChecksumComposite, parts).status()),
            ErrorReason::kInvalidPart);
  EXPECT_EQ(DefaultChecksumType("CRC64NVME"), kChecksumFullObject);
  EXPECT_EQ(DefaultChecksumType("CRC32"), kChecksumComposite);
  EXPECT_TRUE(ChecksumTypeAllowed("CRC32C", kChecksumFullObject));
  EXPECT_EQ(ChecksumElementName("SHA1"), "ChecksumSHA1");
}

}  // namespace
}  // namespace sb::gateway
