#include "policy/sse/package_format.h"

#include <set>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

using testing::kP;

TEST(PackageFormatTest, CountsAndCiphertextSizes) {
  EXPECT_EQ(PackageCount(0), 1u);  // an empty object is one empty, authenticated package
  EXPECT_EQ(CiphertextSize(0), 16u);
  EXPECT_EQ(CiphertextSize(1), 17u);
  EXPECT_EQ(CiphertextSize(kP - 1), kP - 1 + 16);
  EXPECT_EQ(CiphertextSize(kP), kP + 16);
  EXPECT_EQ(PackageCount(kP + 1), 2u);
  EXPECT_EQ(CiphertextSize(kP + 1), kP + 1 + 32);
  const uint64_t mib7 = (1 << 20) + 7;
  EXPECT_EQ(PackageCount(mib7), 17u);
  EXPECT_EQ(CiphertextSize(mib7), mib7 + 17 * 16);
  EXPECT_EQ(CiphertextSize(5000, 1024), 5000 + 5 * 16);
}

TEST(PackageFormatTest, PackagePlaintextSizes) {
  EXPECT_EQ(PackagePlaintextSize(kP + 5, 0), kP);
  EXPECT_EQ(PackagePlaintextSize(kP + 5, 1), 5u);
  EXPECT_EQ(PackagePlaintextSize(kP, 0), kP);
  EXPECT_EQ(PackagePlaintextSize(0, 0), 0u);
}

TEST(PackageFormatTest, RangeWithinOnePackage) {
  auto r = PackageRangeFor(3 * kP, kP + 10, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_package, 1u);
  EXPECT_EQ(r->package_count, 1u);
  EXPECT_EQ(r->ciphertext_offset, kP + 16);
  EXPECT_EQ(r->ciphertext_length, kP + 16);
  EXPECT_EQ(r->skip, 10u);
}

TEST(PackageFormatTest, RangeSpanningIntoShortLastPackage) {
  const uint64_t size = 2 * kP + 7;
  auto r = PackageRangeFor(size, kP - 1, kP + 3);  // last byte of p0 .. into p2
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_package, 0u);
  EXPECT_EQ(r->package_count, 3u);
  EXPECT_EQ(r->ciphertext_offset, 0u);
  EXPECT_EQ(r->ciphertext_length, CiphertextSize(size));
  EXPECT_EQ(r->skip, kP - 1);
  auto tail = PackageRangeFor(size, size - 1, 1);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->first_package, 2u);
  EXPECT_EQ(tail->ciphertext_offset, 2 * (kP + 16));
  EXPECT_EQ(tail->ciphertext_length, 7u + 16);
}

TEST(PackageFormatTest, EmptyAndInvalidRanges) {
  auto empty = PackageRangeFor(100, 100, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->package_count, 0u);
  EXPECT_EQ(empty->ciphertext_length, 0u);
  for (auto [off, len] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 101}, {101, 0}, {100, 1}, {1, UINT64_MAX}, {UINT64_MAX, 2}}) {
    auto r = PackageRangeFor(100, off, len);
    ASSERT_FALSE(r.ok()) << off << "+" << len;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_EQ(GetReason(r.status()), ErrorReason::kInvalidRange);
  }
  EXPECT_FALSE(PackageRangeFor(100, 0, 1, 16).ok());  // package size too small
}

TEST(PackageFormatTest, PackageSizeBounds) {
  EXPECT_TRUE(IsValidPackageSize(kPackageSize));
  EXPECT_TRUE(IsValidPackageSize(kMinPackageSize));
  EXPECT_TRUE(IsValidPackageSize(kMaxPackageSize));
  EXPECT_FALSE(IsValidPackageSize(0));
  EXPECT_FALSE(IsValidPackageSize(kMinPackageSize - 1));
  EXPECT_FALSE(IsValidPackageSize(kMaxPackageSize + 1));
}

TEST(PackageFormatTest, NoncesAreUniqueAcrossPackages) {
  const BaseNonce base = testing::TestNonce(0xa5);
  EXPECT_EQ(PackageNonce(base, 0), base);
  std::set<BaseNonce> seen;
  for (uint64_t i = 0; i < 100000; ++i) EXPECT_TRUE(seen.insert(PackageNonce(base, i)).second);
  // High indices touch the upper bytes of the counter too.
  EXPECT_TRUE(seen.insert(PackageNonce(base, uint64_t{1} << 40)).second);
  EXPECT_TRUE(seen.insert(PackageNonce(base, UINT64_MAX)).second);
  // The first four bytes of the base are never touched.
  const BaseNonce n = PackageNonce(base, UINT64_MAX);
  EXPECT_EQ(n[0], 0xa5);
  EXPECT_EQ(n[3], 0xa5);
  EXPECT_EQ(n[4], 0x5a);
}

TEST(PackageFormatTest, AadBindsIndexAndFinalFlag) {
  const PackageAad a = MakePackageAad(1, false);
  EXPECT_EQ(a[0], kPackageFormatVersion);
  EXPECT_EQ(a[8], 1);
  EXPECT_EQ(a[9], 0);
  EXPECT_NE(MakePackageAad(1, true), a);
  EXPECT_NE(MakePackageAad(2, false), a);
  EXPECT_NE(MakePackageAad(uint64_t{1} << 56, false), a);
}

}  // namespace
}  // namespace sb::sse
