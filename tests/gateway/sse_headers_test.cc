// EncryptionFromRequest / CustomerKeyFromRequest / AppendEncryptionHeaders: which SSE mode a
// request asks for, which header combinations are refused, and what responses echo.
#include "gateway/handlers/sse_headers.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kKey(32, 'k');

std::string B64(const std::string& s) { return absl::Base64Escape(s); }

// base64(MD5(32 x 'k')), computed independently of SseCKey.
std::string KeyMd5() {
  auto key = sse::Key256::FromBytes(kKey);
  auto c = sse::SseCKey::FromKey(*key);
  return c->key_md5_b64();
}

class SseHeadersTest : public ::testing::Test {
 protected:
  RequestContext& Ctx(Headers headers) {
    ctx_.reset();
    head_ = HttpRequestHead{};
    head_.method = "PUT";
    head_.target = "/b/k";
    for (auto& [k, v] : headers) head_.headers.emplace_back(k, v);
    ctx_ = std::make_unique<RequestContext>(head_, body_, out_, absl::UnixEpoch());
    return *ctx_;
  }
  Headers Customer(const std::string& prefix = "x-amz-") {
    return {{prefix + "server-side-encryption-customer-algorithm", "AES256"},
            {prefix + "server-side-encryption-customer-key", B64(kKey)},
            {prefix + "server-side-encryption-customer-key-md5", KeyMd5()}};
  }

  HttpRequestHead head_;
  core_testing::StringBody body_{""};
  core_testing::RecordingWriter out_;
  std::unique_ptr<RequestContext> ctx_;
};

TEST_F(SseHeadersTest, ModesFromHeaders) {
  auto none = EncryptionFromRequest(Ctx({}));
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->mode.has_value());  // the bucket default decides

  auto s3 = EncryptionFromRequest(Ctx({{"x-amz-server-side-encryption", "AES256"}}));
  ASSERT_THAT(s3, IsOk());
  EXPECT_EQ(s3->mode, sse::SseMode::kS3);

  const std::string context = B64(R"({"team":"blue","n":"1"})");
  auto kms = EncryptionFromRequest(Ctx({{"x-amz-server-side-encryption", "aws:kms"},
                                        {"x-amz-server-side-encryption-aws-kms-key-id",
                                         "arn:aws:kms:us-east-1:123456789012:key/app-key"},
                                        {"x-amz-server-side-encryption-context", context}}));
  ASSERT_THAT(kms, IsOk());
  EXPECT_EQ(kms->mode, sse::SseMode::kKms);
  EXPECT_EQ(kms->kms_key_id, "app-key");
  EXPECT_EQ(kms->kms_context, (sse::EncryptionContext{{"n", "1"}, {"team", "blue"}}));

  auto c = EncryptionFromRequest(Ctx(Customer()));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->mode, sse::SseMode::kCustomer);
  ASSERT_TRUE(c->customer_key.has_value());
  EXPECT_EQ(c->customer_key->key().view(), kKey);
}

TEST_F(SseHeadersTest, RefusedCombinations) {
  auto bad = [&](Headers h) { return EncryptionFromRequest(Ctx(std::move(h))).status(); };
  EXPECT_THAT(bad({{"x-amz-server-side-encryption", "aws:kms:dsse"}}),
              HasReason(ErrorReason::kInvalidArgument));
  EXPECT_THAT(bad({{"x-amz-server-side-encryption-aws-kms-key-id", "k"}}),
              HasReason(ErrorReason::kInvalidArgument));
  EXPECT_THAT(bad({{"x-amz-server-side-encryption", "AES256"},
                   {"x-amz-server-side-encryption-aws-kms-key-id", "k"}}),
              HasReason(ErrorReason::kInvalidArgument));
  for (const std::string& ctx : {std::string("not base64!"), B64("[1,2]"), B64(R"({"a":1})"),
                                 B64(R"({"aws:s3:arn":"x"})"), B64("{")}) {
    EXPECT_THAT(bad({{"x-amz-server-side-encryption", "aws:kms"},
                     {"x-amz-server-side-encryption-context", ctx}}),
                HasReason(ErrorReason::kInvalidArgument))
        << ctx;
  }
  Headers mixed = Customer();
  mixed.emplace_back("x-amz-server-side-encryption", "AES256");
  EXPECT_THAT(bad(mixed), HasReason(ErrorReason::kInvalidArgument));
  for (size_t drop = 0; drop < 3; ++drop) {
    Headers partial = Customer();
    partial.erase(partial.begin() + static_cast<long>(drop));
    EXPECT_THAT(bad(partial), HasReason(ErrorReason::kInvalidArgument)) << drop;
  }
  Headers wrong_md5 = Customer();
  wrong_md5[2].second = B64(std::string(16, 'x'));
  EXPECT_THAT(bad(wrong_md5), HasReason(ErrorReason::kInvalidArgument));
  Headers short_key = Customer();
  short_key[1].second = B64(std::string(16, 'k'));
  EXPECT_THAT(bad(short_key), HasReason(ErrorReason::kInvalidArgument));
}

TEST_F(SseHeadersTest, CopySourceKeyIsSeparate) {
  Headers h = Customer("x-amz-copy-source-");
  auto& ctx = Ctx(h);
  auto source = CustomerKeyFromRequest(ctx, true);
  ASSERT_THAT(source, IsOk());
  EXPECT_TRUE(source->has_value());
  auto dest = CustomerKeyFromRequest(ctx, false);
  ASSERT_THAT(dest, IsOk());
  EXPECT_FALSE(dest->has_value());
  // The copy-source key does not make the destination SSE-C.
  auto spec = EncryptionFromRequest(ctx);
  ASSERT_THAT(spec, IsOk());
  EXPECT_FALSE(spec->mode.has_value());
}

TEST_F(SseHeadersTest, ResponsesEchoTheRecordsEncryption) {
  metadata::ObjectRecord s3;
  s3.set_sse_algorithm("AES256");
  HeaderList h;
  AppendEncryptionHeaders(s3, h, true);
  EXPECT_EQ(h, (HeaderList{{"x-amz-server-side-encryption", "AES256"}}));

  metadata::ObjectRecord kms;
  kms.set_sse_algorithm("aws:kms");
  kms.set_sse_kms_key_id("app-key");
  (*kms.mutable_sse_kms_context())["team"] = "blue";
  h.clear();
  AppendEncryptionHeaders(kms, h, false);
  EXPECT_EQ(h, (HeaderList{{"x-amz-server-side-encryption", "aws:kms"},
                           {"x-amz-server-side-encryption-aws-kms-key-id", "app-key"}}));
  h.clear();
  AppendEncryptionHeaders(kms, h, true);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].first, "x-amz-server-side-encryption-context");
  std::string json;
  ASSERT_TRUE(absl::Base64Unescape(h[2].second, &json));
  EXPECT_EQ(json, R"({"team":"blue"})");

  metadata::ObjectRecord c;
  c.set_sse_customer_algorithm("AES256");
  c.set_sse_customer_key_md5(KeyMd5());
  h.clear();
  AppendEncryptionHeaders(c, h, true);
  EXPECT_EQ(h, (HeaderList{{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                           {"x-amz-server-side-encryption-customer-key-MD5", KeyMd5()}}));

  h.clear();
  AppendEncryptionHeaders(metadata::ObjectRecord(), h, true);  // stored before SSE
  EXPECT_TRUE(h.empty());
}

}  // namespace
}  // namespace sb::gateway
