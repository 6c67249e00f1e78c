// ObjectTemplateFromRequest and WriteChecksFromRequest: what a PUT stores from its headers
// and which body checks it asks the ObjectService to enforce.
#include "gateway/handlers/handler_util.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;

class HandlerUtilTest : public ::testing::Test {
 protected:
  RequestContext& Ctx(std::vector<std::pair<std::string, std::string>> headers,
                      std::optional<uint64_t> content_length = std::nullopt) {
    ctx_.reset();
    head_ = HttpRequestHead{};
    head_.method = "PUT";
    head_.target = "/b/dir/key";
    head_.content_length = content_length;
    for (auto& [k, v] : headers) head_.headers.emplace_back(k, v);
    ctx_ = std::make_unique<RequestContext>(head_, body_, out_, absl::UnixEpoch());
    ctx_->req.bucket = "b";
    ctx_->req.key = "dir/key";
    ctx_->auth.principal.user = "alice";
    return *ctx_;
  }

  HttpRequestHead head_;
  core_testing::StringBody body_{""};
  core_testing::RecordingWriter out_;
  std::unique_ptr<RequestContext> ctx_;
};

TEST_F(HandlerUtilTest, TemplateTakesContentHeadersAndUserMetadata) {
  auto& ctx = Ctx({{"content-type", "text/plain"},
                   {"content-encoding", "gzip"},
                   {"cache-control", "max-age=60"},
                   {"content-disposition", "attachment"},
                   {"content-language", "de"},
                   {"expires", "Thu, 01 Dec 2030 16:00:00 GMT"},
                   {"x-amz-meta-color", "blue"},
                   {"x-amz-meta-empty", ""},
                   {"x-amz-storage-class", "STANDARD_IA"},
                   {"authorization", "ignored"}});
  auto t = ObjectTemplateFromRequest(ctx);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->key(), "dir/key");
  EXPECT_EQ(t->owner(), "alice");
  EXPECT_EQ(t->content_type(), "text/plain");
  EXPECT_EQ(t->content_encoding(), "gzip");
  EXPECT_EQ(t->cache_control(), "max-age=60");
  EXPECT_EQ(t->content_disposition(), "attachment");
  EXPECT_EQ(t->content_language(), "de");
  EXPECT_EQ(t->expires(), "Thu, 01 Dec 2030 16:00:00 GMT");
  EXPECT_EQ(t->storage_class(), "STANDARD_IA");
  ASSERT_EQ(t->user_metadata_size(), 2);
  EXPECT_EQ(t->user_metadata().at("color"), "blue");
  EXPECT_EQ(t->user_metadata().at("empty"), "");
}

TEST_F(HandlerUtilTest, AwsChunkedIsStrippedFromContentEncoding) {
  auto t = ObjectTemplateFromRequest(Ctx({{"content-encoding", "aws-chunked,gzip"}}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->content_encoding(), "gzip");
  t = ObjectTemplateFromRequest(Ctx({{"content-encoding", "aws-chunked"}}));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->content_encoding(), "");
}

TEST_F(HandlerUtilTest, InvalidStorageClass) {
  EXPECT_THAT(ObjectTemplateFromRequest(Ctx({{"x-amz-storage-class", "CHEAP"}})),
              HasReason(ErrorReason::kInvalidStorageClass));
}

TEST_F(HandlerUtilTest, UserMetadataLimitIsTwoKilobytes) {
  // Names (without the prefix) and values count: exactly 2048 bytes is allowed.
  std::string value(2048 - 1, 'v');
  EXPECT_THAT(ObjectTemplateFromRequest(Ctx({{"x-amz-meta-a", value}})), IsOk());
  EXPECT_THAT(ObjectTemplateFromRequest(Ctx({{"x-amz-meta-ab", value}})),
              HasReason(ErrorReason::kMetadataTooLarge));
}

TEST_F(HandlerUtilTest, ChecksFromContentLength) {
  auto c = WriteChecksFromRequest(Ctx({}, 1234));
  ASSERT_THAT(c, IsOk());
  ASSERT_TRUE(c->expected_size.has_value());
  EXPECT_EQ(*c->expected_size, 1234u);
  EXPECT_FALSE(c->content_md5.has_value());
  EXPECT_EQ(c->max_size, kMaxPutSize);
}

TEST_F(HandlerUtilTest, BodyLengthMustBeKnownUpFront) {
  EXPECT_THAT(WriteChecksFromRequest(Ctx({})), HasReason(ErrorReason::kMissingContentLength));
  // S3 refuses plain HTTP chunked uploads with 411 MissingContentLength.
  auto& chunked = Ctx({{"transfer-encoding", "chunked"}});
  head_.chunked = true;
  EXPECT_THAT(WriteChecksFromRequest(chunked), HasReason(ErrorReason::kMissingContentLength));
  // aws-chunked bodies declare their decoded length instead.
  auto& streaming = Ctx({{"transfer-encoding", "chunked"}});
  head_.chunked = true;
  streaming.auth.sigv4.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
  streaming.auth.sigv4.decoded_content_length = 42;
  auto c = WriteChecksFromRequest(streaming);
  ASSERT_THAT(c, IsOk());
  ASSERT_TRUE(c->expected_size.has_value());
  EXPECT_EQ(*c->expected_size, 42u);
}

TEST_F(HandlerUtilTest, StreamingUploadsUseTheDecodedLength) {
  auto& ctx = Ctx({}, 9999);
  ctx.auth.sigv4.payload_mode = PayloadMode::kStreamingSigned;
  auto c = WriteChecksFromRequest(ctx);
  ASSERT_THAT(c, IsOk());
  // The wire length includes chunk framing: it must not be taken as the object size.
  EXPECT_FALSE(c->expected_size.has_value());
  ctx.auth.sigv4.decoded_content_length = 100;
  c = WriteChecksFromRequest(ctx);
  ASSERT_THAT(c, IsOk());
  ASSERT_TRUE(c->expected_size.has_value());
  EXPECT_EQ(*c->expected_size, 100u);
}

TEST_F(HandlerUtilTest, ContentMd5) {
  // base64 of md5("hello") = 5d41402abc4b2a76b9719d911017c592.
  auto c = WriteChecksFromRequest(Ctx({{"content-md5", "XUFAKrxLKna5cZ2REBfFkg=="}}, 5));
  ASSERT_THAT(c, IsOk());
  ASSERT_TRUE(c->content_md5.has_value());
  EXPECT_EQ(*c->content_md5, std::string("\x5d\x41\x40\x2a\xbc\x4b\x2a\x76\xb9\x71\x9d\x91"
                                         "\x10\x17\xc5\x92",
                                         16));
  EXPECT_THAT(WriteChecksFromRequest(Ctx({{"content-md5", "not base64!"}}, 5)),
              HasReason(ErrorReason::kInvalidDigest));
  EXPECT_THAT(WriteChecksFromRequest(Ctx({{"content-md5", "aGVsbG8="}}, 5)),  // 5 bytes
              HasReason(ErrorReason::kInvalidDigest));
}

TEST_F(HandlerUtilTest, UnquoteAndQuoted) {
  EXPECT_EQ(Unquote("\"abc\""), "abc");
  EXPECT_EQ(Unquote("  \"abc\" "), "abc");
  EXPECT_EQ(Unquote("abc"), "abc");
  EXPECT_EQ(Unquote("\""), "\"");
  EXPECT_EQ(Quoted("abc"), "\"abc\"");
}

}  // namespace
}  // namespace sb::gateway
