#include "policy/sse/sse_c.h"

#include <string>

#include "absl/strings/escaping.h"
#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

// MD5 of 32 zero bytes, computed independently (Python hashlib).
constexpr char kZeroKeyMd5B64[] = "cLyPS3KoaSFGi/joRB3OUQ==";
const EncryptionContext kCtx = {{"bucket", "b"}, {"key", "k"}};

std::string B64(const std::string& raw) { return absl::Base64Escape(raw); }

SseCKey MakeKey(char fill) {
  auto key = SseCKey::FromKey(testing::TestKey(static_cast<uint8_t>(fill)));
  EXPECT_TRUE(key.ok());
  return *key;
}

TEST(SseCKeyTest, AcceptsValidHeaders) {
  const std::string zero(32, '\0');
  auto key = SseCKey::FromHeaders("AES256", B64(zero), kZeroKeyMd5B64);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->key().view(), zero);
  EXPECT_EQ(key->key_md5_b64(), kZeroKeyMd5B64);
}

TEST(SseCKeyTest, RejectsBadHeaders) {
  const std::string raw(32, 'q');
  const std::string md5 = MakeKey('q').key_md5_b64();
  struct Case {
    std::string algorithm, key, md5;
  };
  for (const Case& c : std::vector<Case>{
           {"AES128", B64(raw), md5},
           {"aes256", B64(raw), md5},
           {"", B64(raw), md5},
           {"AES256", B64(std::string(31, 'q')), md5},
           {"AES256", B64(std::string(33, 'q')), md5},
           {"AES256", "###", md5},
           {"AES256", "", md5},
           {"AES256", B64(raw), kZeroKeyMd5B64},  // MD5 of another key
           {"AES256", B64(raw), ""},
           {"AES256", B64(raw), B64("short")},
       }) {
    auto key = SseCKey::FromHeaders(c.algorithm, c.key, c.md5);
    ASSERT_FALSE(key.ok()) << c.algorithm << " " << c.key << " " << c.md5;
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(GetReason(key.status()), ErrorReason::kInvalidArgument);
    if (!c.key.empty()) {
      EXPECT_EQ(std::string(key.status().message()).find(c.key), std::string::npos);
    }
  }
}

TEST(SseCKeyTest, EtagIsStablePerKeyAndHidesTheMd5) {
  const std::string md5(16, '\x11');
  auto a = MakeKey('a').Etag(md5);
  auto again = MakeKey('a').Etag(md5);
  auto other_key = MakeKey('b').Etag(md5);
  auto other_data = MakeKey('a').Etag(std::string(16, '\x22'));
  ASSERT_TRUE(a.ok() && again.ok() && other_key.ok() && other_data.ok());
  EXPECT_EQ(a->size(), 16u);
  EXPECT_EQ(*a, *again);  // a re-sent part keeps its ETag
  EXPECT_NE(*a, *other_key);
  EXPECT_NE(*a, *other_data);
  EXPECT_NE(*a, md5);
}

TEST(SseCKeyTest, KeyCheckTellsRightFromWrongKey) {
  const SseCKey right = MakeKey('r');
  auto check = right.NewKeyCheck();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->salt.size(), kKeyCheckSaltSize);
  EXPECT_EQ(check->mac.size(), kKeyCheckMacSize);
  EXPECT_TRUE(right.Verify(*check).ok());
  absl::Status wrong = MakeKey('w').Verify(*check);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetReason(wrong), ErrorReason::kAccessDenied);
  // Salted: two checks of one key differ, and neither holds the key.
  auto check2 = right.NewKeyCheck();
  ASSERT_TRUE(check2.ok());
  EXPECT_NE(check->salt, check2->salt);
  EXPECT_NE(check->mac, check2->mac);
  EXPECT_EQ(check->mac.find(std::string(right.key().view())), std::string::npos);
  // A check with a different salt does not verify.
  KeyCheck mixed{check2->salt, check->mac};
  EXPECT_EQ(right.Verify(mixed).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(right.Verify(KeyCheck{"", ""}).code(), absl::StatusCode::kDataLoss);
}

TEST(SseCKeyTest, WrapsDataKeys) {
  const SseCKey customer = MakeKey('c');
  const Key256 data = testing::TestKey(0x99);
  const std::string salt(kKeyCheckSaltSize, 's');
  auto sealed = customer.WrapDataKey(data, salt, kCtx);
  ASSERT_TRUE(sealed.ok());
  auto back = customer.UnwrapDataKey(*sealed, salt, kCtx);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->Equals(data));
  for (auto s :
       {MakeKey('x').UnwrapDataKey(*sealed, salt, kCtx).status(),
        customer.UnwrapDataKey(*sealed, std::string(kKeyCheckSaltSize, 't'), kCtx).status(),
        customer.UnwrapDataKey(*sealed, salt, {}).status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(GetReason(s), ErrorReason::kAccessDenied);
  }
  EXPECT_EQ(customer.UnwrapDataKey(sealed->substr(1), salt, kCtx).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace sb::sse
