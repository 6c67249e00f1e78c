#include "policy/sse/object_keys.h"

#include <memory>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "policy/sse/keyring_store.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

const EncryptionContext kCtx = {{"bucket", "b"}, {"key", "obj"}};

std::unique_ptr<Keyring> NewKeyring() {
  auto keyring = Keyring::Open(testing::TestKey(0xab), std::make_unique<MemoryKeyringStore>());
  EXPECT_TRUE(keyring.ok());
  return std::move(*keyring);
}

SseCKey Customer(char fill) {
  const std::string raw(32, fill);
  auto md5 = SseCKey::FromKey(*Key256::FromBytes(raw));
  auto key = SseCKey::FromHeaders("AES256", absl::Base64Escape(raw), md5->key_md5_b64());
  EXPECT_TRUE(key.ok());
  return *key;
}

// The full write and read path as the gateway will run it: key, stream, metadata bytes,
// then parse, open and range-decrypt.
std::string WriteAndReadBack(const ObjectKey& object_key, const std::string& plain,
                             const Keyring& keyring, const SseCKey* customer) {
  SseMetadata meta = object_key.metadata;
  const std::string stored =
      testing::Encrypt(object_key.data_key, meta.base_nonce, plain, 1000, meta.package_size);
  meta.plaintext_size = plain.size();
  auto parsed = SseMetadata::Parse(meta.Serialize());
  EXPECT_TRUE(parsed.ok());
  auto key = OpenObjectKey(*parsed, keyring, customer, kCtx);
  EXPECT_TRUE(key.ok()) << key.status();
  if (!key.ok()) return "";
  testing::FakeStorage storage{stored, {}};
  std::string out;
  EXPECT_TRUE(testing::ReadRange(*key, parsed->base_nonce, storage, parsed->plaintext_size, 0,
                                 plain.size(), &out)
                  .ok());
  return out;
}

TEST(ObjectKeysTest, SseS3EndToEnd) {
  auto keyring = NewKeyring();
  auto object_key = NewSseS3ObjectKey(*keyring, kCtx);
  ASSERT_TRUE(object_key.ok());
  EXPECT_EQ(object_key->metadata.mode, SseMode::kS3);
  EXPECT_EQ(object_key->metadata.key_id, Keyring::kSseS3KeyId);
  const std::string plain = testing::Pattern(200000, 1);
  EXPECT_EQ(WriteAndReadBack(*object_key, plain, *keyring, nullptr), plain);
  // Another object's context does not open this object's key.
  EXPECT_EQ(
      OpenObjectKey(object_key->metadata, *keyring, nullptr, {{"bucket", "b"}}).status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST(ObjectKeysTest, SseKmsSurvivesRotationAndHonoursDisable) {
  auto keyring = NewKeyring();
  ASSERT_TRUE(keyring->CreateKey("team").ok());
  auto object_key = NewSseKmsObjectKey(*keyring, "team", kCtx);
  ASSERT_TRUE(object_key.ok());
  EXPECT_EQ(object_key->metadata.mode, SseMode::kKms);
  EXPECT_EQ(object_key->metadata.key_id, "team");
  ASSERT_TRUE(keyring->RotateKey("team").ok());
  const std::string plain = testing::Pattern(70000, 2);
  EXPECT_EQ(WriteAndReadBack(*object_key, plain, *keyring, nullptr), plain);
  ASSERT_TRUE(keyring->SetKeyState("team", KeyState::kDisabled).ok());
  auto refused = OpenObjectKey(object_key->metadata, *keyring, nullptr, kCtx);
  EXPECT_EQ(GetReason(refused.status()), ErrorReason::kKmsKeyDisabled);
  EXPECT_EQ(GetReason(NewSseKmsObjectKey(*keyring, "team", kCtx).status()),
            ErrorReason::kKmsKeyDisabled);
  EXPECT_EQ(NewSseKmsObjectKey(*keyring, "absent", kCtx).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ObjectKeysTest, SseCNeedsTheRightCustomerKey) {
  auto keyring = NewKeyring();
  const SseCKey customer = Customer('c');
  auto object_key = NewSseCObjectKey(customer, kCtx);
  ASSERT_TRUE(object_key.ok());
  EXPECT_EQ(object_key->metadata.mode, SseMode::kCustomer);
  EXPECT_TRUE(object_key->metadata.key_id.empty());
  const std::string plain = testing::Pattern(1000, 3);
  EXPECT_EQ(WriteAndReadBack(*object_key, plain, *keyring, &customer), plain);
  // The stored record holds neither the customer key nor the data key.
  const std::string record = object_key->metadata.Serialize();
  EXPECT_EQ(record.find(std::string(customer.key().view())), std::string::npos);
  EXPECT_EQ(record.find(std::string(object_key->data_key.view())), std::string::npos);

  const SseCKey wrong = Customer('w');
  auto denied = OpenObjectKey(object_key->metadata, *keyring, &wrong, kCtx);
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetReason(denied.status()), ErrorReason::kAccessDenied);
  auto missing = OpenObjectKey(object_key->metadata, *keyring, nullptr, kCtx);
  EXPECT_EQ(GetReason(missing.status()), ErrorReason::kInvalidRequest);
  // A customer key sent for an SSE-S3 object is a client error too.
  auto s3 = NewSseS3ObjectKey(*keyring, kCtx);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(GetReason(OpenObjectKey(s3->metadata, *keyring, &customer, kCtx).status()),
            ErrorReason::kInvalidRequest);
}

TEST(ObjectKeysTest, EveryObjectGetsItsOwnDataKeyAndNonce) {
  auto keyring = NewKeyring();
  const SseCKey customer = Customer('u');
  std::set<std::string> keys;
  std::set<BaseNonce> nonces;
  for (int i = 0; i < 300; ++i) {
    auto k = i % 2 == 0 ? NewSseS3ObjectKey(*keyring, kCtx) : NewSseCObjectKey(customer, kCtx);
    ASSERT_TRUE(k.ok());
    EXPECT_TRUE(keys.insert(std::string(k->data_key.view())).second);
    EXPECT_TRUE(nonces.insert(k->metadata.base_nonce).second);
  }
}

}  // namespace
}  // namespace sb::sse
