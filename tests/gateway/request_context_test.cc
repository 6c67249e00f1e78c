// RequestContext: standard response headers, HEAD responses without a body, byte counters
// for the audit record, and body wrappers.
#include "gateway/request_context.h"

#include <cctype>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::IsOk;
using core_testing::RecordingWriter;
using core_testing::StringBody;

// Upper-cases what it reads from the wrapped body.
class UpperSource final : public BodySource {
 public:
  explicit UpperSource(BodySource& inner) : inner_(inner) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    auto n = inner_.Read(buf, max);
    if (n.ok()) {
      for (size_t i = 0; i < *n; ++i) buf[i] = static_cast<char>(std::toupper(buf[i]));
    }
    return n;
  }

 private:
  BodySource& inner_;
};

std::string ReadAll(BodySource& src) {
  std::string out;
  char buf[4];
  for (;;) {
    auto n = src.Read(buf, sizeof(buf));
    EXPECT_THAT(n, IsOk());
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

TEST(RequestContextTest, RespondAddsStandardHeaders) {
  HttpRequestHead head;
  head.method = "GET";
  StringBody body("");
  RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ctx.req.request_id = "REQ123";
  ASSERT_THAT(ctx.Respond(200, {{"ETag", "\"x\""}}, "<a/>"), IsOk());
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.content_length, 4u);
  EXPECT_EQ(out.body, "<a/>");
  ASSERT_NE(out.Header("ETag"), nullptr);
  ASSERT_NE(out.Header("Content-Type"), nullptr);
  EXPECT_EQ(*out.Header("Content-Type"), "application/xml");
  ASSERT_NE(out.Header("x-amz-request-id"), nullptr);
  EXPECT_EQ(*out.Header("x-amz-request-id"), "REQ123");
  ASSERT_NE(out.Header("x-amz-id-2"), nullptr);
  ASSERT_NE(out.Header("Date"), nullptr);
  EXPECT_TRUE(out.Header("Date")->ends_with(" GMT"));
  EXPECT_EQ(ctx.audit.http_status, 200);
  EXPECT_EQ(ctx.audit.bytes_out, 4u);
  EXPECT_TRUE(ctx.response_started());
}

TEST(RequestContextTest, EmptyBodyHasNoContentType) {
  HttpRequestHead head;
  head.method = "DELETE";
  StringBody body("");
  RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ASSERT_THAT(ctx.Respond(204, {}, ""), IsOk());
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(out.Header("Content-Type"), nullptr);
  EXPECT_EQ(out.content_length, 0u);
}

TEST(RequestContextTest, HeadSendsTheLengthButNotTheBody) {
  HttpRequestHead head;
  head.method = "HEAD";
  StringBody body("");
  RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ASSERT_THAT(ctx.Respond(404, {}, "<Error/>"), IsOk());
  EXPECT_EQ(out.content_length, 8u);
  EXPECT_EQ(out.body, "");
  EXPECT_EQ(ctx.audit.bytes_out, 0u);
}

TEST(RequestContextTest, StreamedResponse) {
  HttpRequestHead head;
  head.method = "GET";
  StringBody body("");
  RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  EXPECT_FALSE(ctx.response_started());
  ASSERT_THAT(ctx.StartResponse(206, {{"Content-Range", "bytes 0-5/10"}}, 6), IsOk());
  ASSERT_THAT(ctx.SendBody("abc"), IsOk());
  ASSERT_THAT(ctx.SendBody("def"), IsOk());
  EXPECT_EQ(out.status, 206);
  EXPECT_EQ(out.body, "abcdef");
  EXPECT_EQ(ctx.audit.bytes_out, 6u);
  EXPECT_EQ(ctx.audit.http_status, 206);
}

TEST(RequestContextTest, BodyBytesAreCountedAndWrappersApplyInOrder) {
  HttpRequestHead head;
  head.method = "PUT";
  StringBody body("hello world");
  RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ctx.WrapBody(std::make_unique<UpperSource>(ctx.body()));
  EXPECT_EQ(&ctx.current_body(), &ctx.body());
  EXPECT_EQ(ReadAll(ctx.body()), "HELLO WORLD");
  EXPECT_EQ(ctx.audit.bytes_in, 11u);  // raw bytes off the wire
}

}  // namespace
}  // namespace sb::gateway
