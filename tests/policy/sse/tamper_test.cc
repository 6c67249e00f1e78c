// Every way stored ciphertext can be damaged or rearranged must end in DataLoss
// (kDataCorrupted), and whatever plaintext was emitted before must be a correct prefix.
#include <string>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "policy/sse/decrypting_reader.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

using testing::Encrypt;
using testing::FakeStorage;
using testing::kP;
using testing::Pattern;
using testing::ReadRange;
using testing::TestKey;
using testing::TestNonce;

constexpr uint64_t kStride = kP + 16;

class TamperTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kSize = 3 * kP + 1000;  // packages 0..2 full, 3 short and final
  void SetUp() override {
    plain_ = Pattern(kSize, 5);
    good_ = Encrypt(key_, nonce_, plain_);
  }

  // Reads [offset, offset+length) of `stored` claiming `size`; expects DataLoss and a
  // correct-prefix output.
  void ExpectCorrupt(const std::string& stored, uint64_t size, uint64_t offset, uint64_t length) {
    FakeStorage storage{stored, {}};
    std::string out;
    absl::Status s = ReadRange(key_, nonce_, storage, size, offset, length, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
    EXPECT_EQ(GetReason(s), ErrorReason::kDataCorrupted);
    EXPECT_LT(out.size(), length);
    EXPECT_EQ(out, plain_.substr(offset, out.size())) << "emitted bytes are not the plaintext";
  }
  void ExpectCorruptWhole(const std::string& stored, uint64_t size) {
    ExpectCorrupt(stored, size, 0, size);
  }

  const Key256 key_ = TestKey(0x31);
  const BaseNonce nonce_ = TestNonce(0x41);
  std::string plain_;
  std::string good_;
};

TEST_F(TamperTest, BitFlipInAnyPackageBody) {
  for (uint64_t pkg = 0; pkg < 4; ++pkg) {
    for (uint64_t at : {uint64_t{0}, uint64_t{1}, uint64_t{500}}) {
      std::string bad = good_;
      bad[pkg * kStride + at] ^= 0x01;
      SCOPED_TRACE("package " + std::to_string(pkg) + " byte " + std::to_string(at));
      ExpectCorruptWhole(bad, kSize);
      // A range inside the damaged package alone fails too.
      ExpectCorrupt(bad, kSize, pkg * kP, 10);
    }
  }
}

TEST_F(TamperTest, BitFlipInTag) {
  for (uint64_t pkg = 0; pkg < 4; ++pkg) {
    std::string bad = good_;
    const uint64_t end = std::min<uint64_t>((pkg + 1) * kStride, bad.size());
    bad[end - 1 - pkg] ^= 0x80;  // somewhere in the last 16 bytes
    ExpectCorruptWhole(bad, kSize);
  }
}

TEST_F(TamperTest, UndamagedPackagesStillReadAroundADamagedOne) {
  std::string bad = good_;
  bad[kStride + 7] ^= 0x04;  // package 1
  FakeStorage storage{bad, {}};
  std::string out;
  ASSERT_TRUE(ReadRange(key_, nonce_, storage, kSize, 2 * kP, 100, &out).ok());
  EXPECT_EQ(out, plain_.substr(2 * kP, 100));
  // The whole read emits package 0, then stops at package 1.
  ExpectCorruptWhole(bad, kSize);
  FakeStorage again{bad, {}};
  ReadRange(key_, nonce_, again, kSize, 0, kSize, &out).IgnoreError();
  EXPECT_EQ(out.size(), kP);
}

TEST_F(TamperTest, SwappedPackages) {
  std::string bad = good_;
  std::string p0 = bad.substr(0, kStride), p1 = bad.substr(kStride, kStride);
  bad.replace(0, kStride, p1);
  bad.replace(kStride, kStride, p0);
  ExpectCorruptWhole(bad, kSize);
  ExpectCorrupt(bad, kSize, kP + 5, 5);
}

TEST_F(TamperTest, DuplicatedPackage) {
  std::string bad = good_;
  bad.replace(kStride, kStride, good_.substr(0, kStride));  // package 0 twice
  ExpectCorruptWhole(bad, kSize);
}

TEST_F(TamperTest, DroppedLastPackage) {
  const std::string dropped = good_.substr(0, 3 * kStride);
  // With the true size the fetch comes back short.
  ExpectCorruptWhole(dropped, kSize);
  // Even if the recorded size were shrunk to match, package 2 was sealed as non-final.
  ExpectCorruptWhole(dropped, 3 * kP);
  ExpectCorrupt(dropped, 3 * kP, 2 * kP, 1);
}

TEST_F(TamperTest, AppendedPackage) {
  // Exactly-full object so an appended full package lines up on a package boundary.
  const std::string plain = plain_.substr(0, 2 * kP);
  const std::string ct = Encrypt(key_, nonce_, plain);
  const std::string appended = ct + ct.substr(0, kStride);
  // Claiming the larger size: package 1 was sealed as final, and package 2 is package 0.
  ExpectCorruptWhole(appended, 3 * kP);
  // A push reader fed more bytes than the object has refuses the surplus.
  auto reader = DecryptingReader::Create(key_, nonce_, 2 * kP, 0, 2 * kP);
  ASSERT_TRUE(reader.ok());
  absl::Status s = reader->Update(appended, [](std::string_view) { return absl::OkStatus(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(s), ErrorReason::kDataCorrupted);
}

TEST_F(TamperTest, TruncatedMidPackage) {
  for (uint64_t cut : {uint64_t{1}, uint64_t{16}, kStride - 1, 2 * kStride + 20}) {
    ExpectCorruptWhole(good_.substr(0, good_.size() - cut), kSize);
  }
  // Push-style: Finish notices the missing tail.
  auto reader = DecryptingReader::Create(key_, nonce_, kSize, 0, kSize);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader
                  ->Update(std::string_view(good_).substr(0, good_.size() - 5),
                           [](std::string_view) { return absl::OkStatus(); })
                  .ok());
  absl::Status s = reader->Finish();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(s), ErrorReason::kDataCorrupted);
}

TEST_F(TamperTest, WrongKeyOrNonceOrSize) {
  FakeStorage storage{good_, {}};
  std::string out;
  EXPECT_EQ(ReadRange(TestKey(0x32), nonce_, storage, kSize, 0, 10, &out).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ReadRange(key_, TestNonce(0x42), storage, kSize, 0, 10, &out).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(out.empty());
  // A recorded size one byte off moves the final package boundary.
  ExpectCorrupt(good_, kSize - 1, 3 * kP, 10);
}

TEST(TamperEmptyTest, EmptyObjectTagIsChecked) {
  std::string ct = Encrypt(TestKey(1), TestNonce(1), "");
  auto reader = DecryptingReader::Create(TestKey(1), TestNonce(1), 0, 0, 0);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->range().package_count, 0u);  // nothing to read for an empty range
  // A one-byte object's package does not pass for the empty object's (size is bound).
  FakeStorage storage{Encrypt(TestKey(1), TestNonce(1), "x"), {}};
  std::string out;
  EXPECT_EQ(ReadRange(TestKey(1), TestNonce(1), storage, 1, 0, 1, &out).code(),
            absl::StatusCode::kOk);
  storage.data = ct + "x";  // 17 bytes: the empty package plus a byte
  EXPECT_EQ(ReadRange(TestKey(1), TestNonce(1), storage, 1, 0, 1, &out).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace sb::sse
