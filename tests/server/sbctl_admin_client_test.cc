#include <string>

#include "gtest/gtest.h"
#include "server/sbctl/admin_client.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/uri_encode.h"
#include "tests/server/sbctl_sigv4_check.h"
#include "tests/server/sbctl_test_http_server.h"

namespace sb::sbctl {
namespace {

using ::sb::sbctl::testing::CannedResponse;
using ::sb::sbctl::testing::CheckSigV4;
using ::sb::sbctl::testing::RecordedRequest;
using ::sb::sbctl::testing::Sha256HexForTest;
using ::sb::sbctl::testing::TestHttpServer;

constexpr char kAccessKey[] = "AK";
constexpr char kSecretKey[] = "sbctl-test-secret-key-0123456789";
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Alias AliasFor(const std::string& url) { return Alias{"local", url, kAccessKey, kSecretKey}; }

// The verifier itself, against AWS's published "GET Object" example
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
TEST(SigV4CheckTest, MatchesAwsPublishedExample) {
  RecordedRequest req;
  req.method = "GET";
  req.target = "/test.txt";
  req.headers = {
      {"host", "examplebucket.s3.amazonaws.com"},
      {"range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmptySha256},
      {"x-amz-date", "20130524T000000Z"},
      {"authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
       "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}};
  EXPECT_EQ(CheckSigV4(req, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "");
  EXPECT_NE(CheckSigV4(req, "wrong"), "");
}

TEST(AdminClientTest, GetIsSignedWithSigV4) {
  TestHttpServer server;
  server.SetResponse({200, "OK", {{"X-Test", "  value  "}}, "{\"ok\":true}"});
  AdminClient client(AliasFor(server.url()));
  absl::StatusOr<Response> resp = client.Get("/_strongbox/admin/v1/info");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "{\"ok\":true}");
  EXPECT_EQ(resp->Header("x-test"), "value");
  EXPECT_EQ(resp->Header("X-TEST"), "value");
  EXPECT_EQ(resp->Header("content-length"), "11");
  EXPECT_FALSE(resp->Header("missing").has_value());

  ASSERT_EQ(server.requests().size(), 1u);
  const RecordedRequest req = server.requests()[0];
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/_strongbox/admin/v1/info");
  const std::string auth = req.Header("authorization").value_or("");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AK/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/us-east-1/s3/aws4_request"), std::string::npos) << auth;
  EXPECT_NE(auth.find("x-amz-content-sha256"), std::string::npos) << auth;
  EXPECT_NE(auth.find("x-amz-date"), std::string::npos) << auth;
  const std::string date = req.Header("x-amz-date").value_or("");
  ASSERT_EQ(date.size(), 16u) << date;  // YYYYMMDDTHHMMSSZ
  EXPECT_EQ(date[8], 'T');
  EXPECT_EQ(date[15], 'Z');
  EXPECT_EQ(req.Header("x-amz-content-sha256"), kEmptySha256);
  EXPECT_FALSE(req.Header("content-type").has_value());
  EXPECT_EQ(CheckSigV4(req, kSecretKey), "");
  EXPECT_NE(CheckSigV4(req, "some-other-secret"), "");  // the check is not vacuous
  EXPECT_EQ(req.raw.find(kSecretKey), std::string::npos);
}

TEST(AdminClientTest, PutSendsBodyAndCanonicalQuery) {
  TestHttpServer server;
  AdminClient client(AliasFor(server.url()));
  const std::string body = R"({"user":"alice","policy":"readwrite"})";
  absl::StatusOr<Response> resp =
      client.Put("/_strongbox/admin/v1/user?z=1&name=al%69ce&prefix=a%2Fb&flag&a=x~y", body);
  ASSERT_TRUE(resp.ok()) << resp.status();
  ASSERT_EQ(server.requests().size(), 1u);
  const RecordedRequest req = server.requests()[0];
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.Path(), "/_strongbox/admin/v1/user");
  // Sorted, with exactly the SigV4 encoding, so curl's verbatim signing is canonical.
  EXPECT_EQ(req.Query(), "a=x~y&flag=&name=alice&prefix=a%2Fb&z=1");
  EXPECT_EQ(req.body, body);
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("x-amz-content-sha256"), Sha256HexForTest(body));
  EXPECT_EQ(CheckSigV4(req, kSecretKey), "");
}

TEST(AdminClientTest, PostAndDeleteAreSigned) {
  TestHttpServer server;
  server.SetResponse({204, "No Content", {}, ""});
  AdminClient client(AliasFor(server.url()));
  absl::StatusOr<Response> post = client.Post("/_strongbox/admin/v1/heal", "{}");
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_EQ(post->status, 204);
  absl::StatusOr<Response> del = client.Delete("/_strongbox/admin/v1/user?name=bob");
  ASSERT_TRUE(del.ok()) << del.status();

  const std::vector<RecordedRequest> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].body, "{}");
  EXPECT_EQ(CheckSigV4(reqs[0], kSecretKey), "");
  EXPECT_EQ(reqs[1].method, "DELETE");
  EXPECT_EQ(reqs[1].body, "");
  // A bodiless DELETE carries no Content-Type (curl would add a form-encoding one).
  EXPECT_FALSE(reqs[1].Header("content-type").has_value());
  EXPECT_EQ(CheckSigV4(reqs[1], kSecretKey), "");
}

TEST(AdminClientTest, HttpErrorsAreResponsesAndMapToStatuses) {
  TestHttpServer server;
  server.SetResponse({403,
                      "Forbidden",
                      {{"Content-Type", "application/xml"}},
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                      "SignatureDoesNotMatch</Code><Message>The request signature we calculated "
                      "does not match\nthe signature you provided.</Message><RequestId>RID42"
                      "</RequestId></Error>"});
  AdminClient client(AliasFor(server.url()));
  absl::StatusOr<Response> resp = client.Get("/_strongbox/admin/v1/info");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 403);
  absl::Status s = StatusFromResponse(*resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(),
            "HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not "
            "match the signature you provided. (request id RID42)");
}

TEST(AdminClientTest, UnreachableServerIsUnavailable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort());
  AdminClient client(AliasFor(url));
  absl::StatusOr<Response> resp = client.Get("/_strongbox/admin/v1/info");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(resp.status().message().find(url), absl::string_view::npos) << resp.status();
  EXPECT_EQ(resp.status().message().find(kSecretKey), absl::string_view::npos);
}

TEST(AdminClientTest, SilentServerTimesOut) {
  TestHttpServer server;
  server.SetSilent(true);
  ClientOptions options;
  options.timeout = std::chrono::seconds(1);
  AdminClient client(AliasFor(server.url()), options);
  absl::StatusOr<Response> resp = client.Get("/_strongbox/admin/v1/info");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kDeadlineExceeded) << resp.status();
}

TEST(AdminClientTest, OversizedResponseIsRejected) {
  TestHttpServer server;
  server.SetResponse({200, "OK", {}, std::string(4096, 'x')});
  ClientOptions options;
  options.max_response_bytes = 1024;
  AdminClient client(AliasFor(server.url()), options);
  EXPECT_EQ(client.Get("/big").status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(AdminClientTest, MalformedTargetsAreRejectedBeforeSending) {
  TestHttpServer server;
  AdminClient client(AliasFor(server.url()));
  for (const char* target : {"", "no-slash", "/with space", "/frag#x", "/q?a=%zz", "/q?a=%2"}) {
    EXPECT_EQ(client.Get(target).status().code(), absl::StatusCode::kInvalidArgument) << target;
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(AdminClientTest, ClientIsReusableAndMovable) {
  TestHttpServer server;
  AdminClient first(AliasFor(server.url()));
  ASSERT_TRUE(first.Get("/a").ok());
  AdminClient moved = std::move(first);
  ASSERT_TRUE(moved.Put("/b", "x").ok());
  ASSERT_TRUE(moved.Get("/c").ok());
  const std::vector<RecordedRequest> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].method, "GET");  // options of the PUT did not leak into the GET
  EXPECT_EQ(reqs[2].body, "");
  for (const RecordedRequest& r : reqs) EXPECT_EQ(CheckSigV4(r, kSecretKey), "") << r.target;
}

TEST(UriEncodeTest, FollowsSigV4Rules) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b/c+d=é", false), "a%20b%2Fc%2Bd%3D%C3%A9");
  EXPECT_EQ(UriEncode("dir/sub dir/", true), "dir/sub%20dir/");
}

TEST(UriEncodeTest, CanonicalQuery) {
  EXPECT_EQ(*CanonicalQuery(""), "");
  EXPECT_EQ(*CanonicalQuery("b=2&a=1"), "a=1&b=2");
  EXPECT_EQ(*CanonicalQuery("a=2&a=1&&x"), "a=1&a=2&x=");
  EXPECT_EQ(*CanonicalQuery("k=a+b%20c%2f"), "k=a%2Bb%20c%2F");
  EXPECT_FALSE(CanonicalQuery("a=%4").ok());
  EXPECT_FALSE(CanonicalQuery("a=%GG").ok());
}

TEST(StatusFromResponseTest, MapsBodiesAndCodes) {
  EXPECT_TRUE(StatusFromResponse({200, "", {}}).ok());
  EXPECT_TRUE(StatusFromResponse({204, "", {}}).ok());

  absl::Status json_err =
      StatusFromResponse({404, R"({"Code":"NoSuchUser","Message":"user bob not found"})", {}});
  EXPECT_EQ(json_err.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(json_err.message(), "HTTP 404 NoSuchUser: user bob not found");

  absl::Status html = StatusFromResponse({502, "<html>\n<body>Bad   gateway</body>\n</html>", {}});
  EXPECT_EQ(html.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(html.message(), "HTTP 502: <html> <body>Bad gateway</body> </html>");

  EXPECT_EQ(StatusFromResponse({503, "", {}}).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromResponse({503, "", {}}).message(), "HTTP 503");
  EXPECT_EQ(StatusFromResponse({400, "", {}}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromResponse({409, "", {}}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusFromResponse({501, "", {}}).code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(StatusFromResponse({302, "", {}}).code(), absl::StatusCode::kUnknown);

  const std::string long_body(5000, 'y');
  EXPECT_LT(StatusFromResponse({500, long_body, {}}).message().size(), 200u);
}

TEST(OneLineTest, FlattensControlCharacters) {
  EXPECT_EQ(OneLine("  a\r\n\tb  c \x1b[31m "), "a b c [31m");
  EXPECT_EQ(OneLine("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace sb::sbctl
