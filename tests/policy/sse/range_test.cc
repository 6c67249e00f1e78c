#include <string>
#include <vector>

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

class RangeTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kSize = (1 << 20) + 7;
  void SetUp() override {
    plain_ = Pattern(kSize, 42);
    storage_.data = Encrypt(key_, nonce_, plain_);
  }

  // Checks one range: exact plaintext, and only the covering packages were fetched.
  void Check(uint64_t offset, uint64_t length) {
    SCOPED_TRACE(std::to_string(offset) + "+" + std::to_string(length));
    storage_.fetches.clear();
    std::string out;
    ASSERT_TRUE(ReadRange(key_, nonce_, storage_, kSize, offset, length, &out).ok());
    EXPECT_EQ(out, plain_.substr(offset, length));
    auto range = PackageRangeFor(kSize, offset, length);
    ASSERT_TRUE(range.ok());
    // Fetches are contiguous, start at the first covering package and end at the last.
    uint64_t expect = range->ciphertext_offset;
    for (const auto& [off, len] : storage_.fetches) {
      EXPECT_EQ(off, expect);
      EXPECT_LE(len, kFetchBatchPackages * (kP + 16));
      expect += len;
    }
    EXPECT_EQ(storage_.BytesFetched(), range->ciphertext_length);
    if (length > 0) {
      const uint64_t first = offset / kP, last = (offset + length - 1) / kP;
      EXPECT_EQ(range->ciphertext_offset, first * (kP + 16));
      EXPECT_EQ(range->ciphertext_offset + range->ciphertext_length,
                std::min<uint64_t>((last + 1) * (kP + 16), storage_.data.size()));
    } else {
      EXPECT_TRUE(storage_.fetches.empty());
    }
  }

  const Key256 key_ = TestKey(0x11);
  const BaseNonce nonce_ = TestNonce(0x22);
  std::string plain_;
  FakeStorage storage_;
};

TEST_F(RangeTest, ManyOffsetsAndLengths) {
  const std::vector<uint64_t> offsets = {0,          1,          kP - 1,    kP,
                                         kP + 1,     2 * kP - 3, 5 * kP,    7 * kP + 12345,
                                         kSize - kP, kSize - 8,  kSize - 1, kSize};
  const std::vector<uint64_t> lengths = {0, 1, 2, 15, 16, 17, kP - 1, kP, kP + 1, 3 * kP + 9};
  for (uint64_t off : offsets) {
    for (uint64_t len : lengths) {
      if (off + len <= kSize) Check(off, len);
    }
    Check(off, kSize - off);  // to the end
  }
}

TEST_F(RangeTest, SeededRandomRanges) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const uint64_t off = rng() % (kSize + 1);
    const uint64_t len = rng() % (kSize - off + 1);
    Check(off, len);
  }
}

TEST_F(RangeTest, WholeObjectIsFetchedInBoundedBatches) {
  Check(0, kSize);
  EXPECT_EQ(storage_.fetches.size(), 2u);  // 17 packages: 16 + 1
}

TEST_F(RangeTest, SingleByteFetchesOnlyItsPackage) {
  Check(9 * kP + 100, 1);
  ASSERT_EQ(storage_.fetches.size(), 1u);
  EXPECT_EQ(storage_.fetches[0].first, 9 * (kP + 16));
  EXPECT_EQ(storage_.fetches[0].second, kP + 16);
}

TEST_F(RangeTest, OutOfRangeIsInvalidRange) {
  std::string out;
  absl::Status s = ReadRange(key_, nonce_, storage_, kSize, kSize - 1, 2, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(GetReason(s), ErrorReason::kInvalidRange);
  EXPECT_TRUE(storage_.fetches.empty());
}

TEST_F(RangeTest, FetchAndSinkErrorsPassThrough) {
  auto fetch_fails = DecryptRange(
      key_, nonce_, kSize, 0, 10,
      [](uint64_t, uint64_t, std::string*) { return absl::UnavailableError("drive offline"); },
      [](std::string_view) { return absl::OkStatus(); });
  EXPECT_EQ(fetch_fails.code(), absl::StatusCode::kUnavailable);
  int calls = 0;
  auto sink_fails = DecryptRange(
      key_, nonce_, kSize, 0, kSize,
      [&](uint64_t o, uint64_t l, std::string* out) { return storage_.Fetch(o, l, out); },
      [&](std::string_view) {
        ++calls;
        return absl::CancelledError("client went away");
      });
  EXPECT_EQ(sink_fails.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
}

TEST_F(RangeTest, ReaderReportsTheRangeToRead) {
  auto reader = DecryptingReader::Create(key_, nonce_, kSize, 3 * kP + 1, 2 * kP);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->range().first_package, 3u);
  EXPECT_EQ(reader->range().package_count, 3u);
  std::string out;
  const auto& r = reader->range();
  ASSERT_TRUE(
      reader
          ->Update(std::string_view(storage_.data).substr(r.ciphertext_offset, r.ciphertext_length),
                   [&](std::string_view p) {
                     out.append(p);
                     return absl::OkStatus();
                   })
          .ok());
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(out, plain_.substr(3 * kP + 1, 2 * kP));
}

TEST(RangeEdgeTest, EmptyObject) {
  FakeStorage storage{Encrypt(TestKey(1), TestNonce(1), ""), {}};
  std::string out;
  ASSERT_TRUE(ReadRange(TestKey(1), TestNonce(1), storage, 0, 0, 0, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(storage.fetches.empty());
  EXPECT_FALSE(ReadRange(TestKey(1), TestNonce(1), storage, 0, 0, 1, &out).ok());
}

}  // namespace
}  // namespace sb::sse
