#include "policy/sse/sse_metadata.h"

#include <random>
#include <string>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

SseMetadata Kms() {
  SseMetadata m;
  m.mode = SseMode::kKms;
  m.key_id = "app-key";
  m.sealed_data_key = std::string(71, 's');
  m.base_nonce = testing::TestNonce(3);
  m.plaintext_size = (uint64_t{5} << 40) + 3;  // > 4 GiB: 64-bit sizes survive
  return m;
}

SseMetadata Customer() {
  SseMetadata m;
  m.mode = SseMode::kCustomer;
  m.sealed_data_key = std::string(61, 'c');
  m.base_nonce = testing::TestNonce(4);
  m.package_size = 4096;
  m.plaintext_size = 12345;
  m.customer_salt = std::string(16, 'a');
  m.customer_check = std::string(32, 'b');
  return m;
}

void ExpectRejected(std::string_view bytes) {
  auto parsed = SseMetadata::Parse(bytes);
  ASSERT_FALSE(parsed.ok()) << bytes.size() << " bytes parsed";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(parsed.status()), ErrorReason::kDataCorrupted);
}

TEST(SseMetadataTest, RoundTripsEveryMode) {
  SseMetadata s3 = Kms();
  s3.mode = SseMode::kS3;
  s3.key_id = "sse-s3";
  for (const SseMetadata& m : {s3, Kms(), Customer()}) {
    const std::string bytes = m.Serialize();
    EXPECT_EQ(bytes[0], SseMetadata::kVersion);
    auto parsed = SseMetadata::Parse(bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, m);
    EXPECT_EQ(parsed->Serialize(), bytes);
  }
  EXPECT_LT(Kms().Serialize().size(), 120u);  // compact
  EXPECT_EQ(Customer().ciphertext_size(), CiphertextSize(12345, 4096));
}

TEST(SseMetadataTest, RejectsEveryTruncationAndTrailingBytes) {
  for (const SseMetadata& m : {Kms(), Customer()}) {
    const std::string bytes = m.Serialize();
    for (size_t n = 0; n < bytes.size(); ++n) ExpectRejected(bytes.substr(0, n));
    ExpectRejected(bytes + '\0');
  }
}

TEST(SseMetadataTest, RejectsBadFields) {
  const std::string good = Kms().Serialize();
  auto mutate = [&](size_t at, char value) {
    std::string b = good;
    b[at] = value;
    return b;
  };
  ExpectRejected(mutate(0, 2));  // unknown version
  ExpectRejected(mutate(1, 0));  // unknown modes
  ExpectRejected(mutate(1, 4));
  ExpectRejected(mutate(1, static_cast<char>(SseMode::kCustomer)));  // no key check
  std::string zero_package = good;
  zero_package.replace(2, 4, 4, '\0');  // package size 0
  ExpectRejected(zero_package);
  SseMetadata bad_size = Kms();
  bad_size.package_size = kMaxPackageSize + 1;
  ExpectRejected(bad_size.Serialize());
  SseMetadata no_key_id = Kms();
  no_key_id.key_id.clear();
  ExpectRejected(no_key_id.Serialize());
  SseMetadata bad_key_id = Kms();
  bad_key_id.key_id = "no spaces";
  ExpectRejected(bad_key_id.Serialize());
  SseMetadata no_sealed = Kms();
  no_sealed.sealed_data_key.clear();
  ExpectRejected(no_sealed.Serialize());
  SseMetadata customer_with_id = Customer();
  customer_with_id.key_id = "k";
  ExpectRejected(customer_with_id.Serialize());
}

TEST(SseMetadataTest, RejectsSeededGarbage) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 200, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (i % 2 == 0 && !junk.empty()) junk[0] = SseMetadata::kVersion;  // get past the version
    ExpectRejected(junk);
  }
}

}  // namespace
}  // namespace sb::sse
