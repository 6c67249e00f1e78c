// ParseS3Request / PercentDecode: path-style addressing, key decoding (path '+' is literal,
// query '+' is literal too, as SigV4 signs it), query parameter order and repeats, and undecodable
// targets.
#include "gateway/s3_request.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;

HttpRequestHead Head(std::string method, std::string target) {
  HttpRequestHead h;
  h.method = std::move(method);
  h.target = std::move(target);
  return h;
}

TEST(S3RequestTest, RootIsServiceRequest) {
  auto head = Head("GET", "/");
  auto r = ParseS3Request(head, "rid");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "");
  EXPECT_EQ(r->key, "");
  EXPECT_EQ(r->op, Operation::kListBuckets);
  EXPECT_EQ(r->request_id, "rid");
  EXPECT_EQ(r->http, &head);
  EXPECT_EQ(r->Resource(), "/");
}

TEST(S3RequestTest, BucketAndKeySplitAtFirstSlash) {
  auto head = Head("PUT", "/bucket/dir/sub/file.txt");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "bucket");
  EXPECT_EQ(r->key, "dir/sub/file.txt");
  EXPECT_EQ(r->raw_path, "/bucket/dir/sub/file.txt");
  EXPECT_EQ(r->raw_query, "");
  EXPECT_EQ(r->op, Operation::kPutObject);
  EXPECT_EQ(r->Resource(), "/bucket/dir/sub/file.txt");
}

TEST(S3RequestTest, BucketOnlyWithAndWithoutTrailingSlash) {
  for (const char* target : {"/bucket", "/bucket/"}) {
    auto head = Head("GET", target);
    auto r = ParseS3Request(head, "");
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->bucket, "bucket") << target;
    EXPECT_EQ(r->key, "") << target;
    EXPECT_EQ(r->op, Operation::kListObjects) << target;
    EXPECT_EQ(r->Resource(), "/bucket");
  }
}

TEST(S3RequestTest, KeyDecoding) {
  struct Case {
    const char* target;
    const char* key;
  };
  const Case cases[] = {
      {"/b/a%2Fb", "a/b"},                                       // encoded slash
      {"/b/with%20space", "with space"},                         // encoded space
      {"/b/a+b", "a+b"},                                         // '+' in a path is literal
      {"/b/a%2Bb", "a+b"},                                       // and so is an encoded '+'
      {"/b/%E2%82%AC%20caf%C3%A9", "\xE2\x82\xAC caf\xC3\xA9"},  // UTF-8 "€ café"
      {"/b/\xE2\x82\xAC", "\xE2\x82\xAC"},                       // raw UTF-8 passes through
      {"/b/dir/", "dir/"},                                       // trailing slash kept
      {"/b/dir//", "dir//"},
      {"/b//leading", "/leading"},  // keys may start with '/'
      {"/b/%25", "%"},              // encoded percent
      {"/b/a%3Fb", "a?b"},          // encoded '?' is part of the key
      {"/b/~!$&'()*,;=:@", "~!$&'()*,;=:@"},
  };
  for (const auto& c : cases) {
    auto head = Head("GET", c.target);
    auto r = ParseS3Request(head, "");
    ASSERT_THAT(r, IsOk()) << c.target;
    EXPECT_EQ(r->bucket, "b") << c.target;
    EXPECT_EQ(r->key, c.key) << c.target;
    EXPECT_EQ(r->op, Operation::kGetObject) << c.target;
  }
}

TEST(S3RequestTest, QueryDecodingOrderAndRepeats) {
  auto head = Head("GET", "/b?prefix=a+b%2Bc&delimiter=%2F&empty=&flag&prefix=second");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->raw_query, "prefix=a+b%2Bc&delimiter=%2F&empty=&flag&prefix=second");
  ASSERT_EQ(r->query.size(), 5u);
  EXPECT_EQ(r->query[0], (std::pair<std::string, std::string>("prefix", "a+b+c")));
  EXPECT_EQ(r->query[1], (std::pair<std::string, std::string>("delimiter", "/")));
  EXPECT_EQ(r->query[2], (std::pair<std::string, std::string>("empty", "")));
  EXPECT_EQ(r->query[3], (std::pair<std::string, std::string>("flag", "")));
  EXPECT_EQ(r->query[4], (std::pair<std::string, std::string>("prefix", "second")));
  // Query() returns the first occurrence; HasQuery sees valueless flags.
  ASSERT_NE(r->Query("prefix"), nullptr);
  EXPECT_EQ(*r->Query("prefix"), "a+b+c");
  EXPECT_TRUE(r->HasQuery("flag"));
  EXPECT_TRUE(r->HasQuery("empty"));
  EXPECT_FALSE(r->HasQuery("Prefix"));  // names are case-sensitive
  EXPECT_EQ(r->Query("missing"), nullptr);
}

TEST(S3RequestTest, EmptyBucketSegmentIsRefused) {
  // "//x" must not route to ListBuckets (GET) or STS (POST).
  for (const char* method : {"GET", "POST", "PUT"}) {
    auto head = Head(method, "//x");
    EXPECT_FALSE(ParseS3Request(head, "").ok()) << method;
  }
  auto root = Head("GET", "/");
  EXPECT_THAT(ParseS3Request(root, ""), IsOk());
}

TEST(S3RequestTest, EmptyQueryComponentsAreSkipped) {
  auto head = Head("GET", "/b?&&uploads&&");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->query.size(), 1u);
  EXPECT_EQ(r->query[0].first, "uploads");
  EXPECT_EQ(r->op, Operation::kListMultipartUploads);
  auto head2 = Head("GET", "/b/k?");
  auto r2 = ParseS3Request(head2, "");
  ASSERT_THAT(r2, IsOk());
  EXPECT_TRUE(r2->query.empty());
  EXPECT_EQ(r2->key, "k");
}

TEST(S3RequestTest, QueryValueMayContainEquals) {
  auto head = Head("GET", "/b?marker=a=b");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  ASSERT_NE(r->Query("marker"), nullptr);
  EXPECT_EQ(*r->Query("marker"), "a=b");
}

TEST(S3RequestTest, EncodedSubresourceNameStillRoutes) {
  auto head = Head("GET", "/b?list%2Dtype=2");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->op, Operation::kListObjectsV2);
}

TEST(S3RequestTest, BadPercentEscapesAreInvalidArgument) {
  for (const char* target : {"/b/%", "/b/%4", "/b/%zz", "/b/a%g1", "/b/k?x=%", "/b/k?x=%4",
                             "/b/k?%zz=1", "/b?prefix=%2"}) {
    auto head = Head("GET", target);
    auto r = ParseS3Request(head, "");
    EXPECT_THAT(r, HasReason(ErrorReason::kInvalidArgument)) << target;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << target;
  }
}

TEST(S3RequestTest, TargetMustBeOriginForm) {
  for (const char* target : {"", "*", "bucket/key", "http://host/bucket/key", "?x=1"}) {
    auto head = Head("GET", target);
    EXPECT_THAT(ParseS3Request(head, ""), HasReason(ErrorReason::kInvalidArgument)) << target;
  }
}

TEST(S3RequestTest, CopySourceHeaderSelectsCopyOperations) {
  auto head = Head("PUT", "/b/dst");
  head.headers.emplace_back("x-amz-copy-source", "/src/key");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->op, Operation::kCopyObject);
  EXPECT_EQ(*r->Header("x-amz-copy-source"), "/src/key");
  auto part = Head("PUT", "/b/dst?partNumber=1&uploadId=abc");
  part.headers.emplace_back("x-amz-copy-source", "/src/key");
  auto rp = ParseS3Request(part, "");
  ASSERT_THAT(rp, IsOk());
  EXPECT_EQ(rp->op, Operation::kUploadPartCopy);
}

TEST(S3RequestTest, InternalPathsAreNotSplitIntoBucketAndKey) {
  auto head = Head("GET", "/_strongbox/health/live?verbose=1");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "");
  EXPECT_EQ(r->key, "");
  EXPECT_EQ(r->op, Operation::kHealthLive);
  ASSERT_NE(r->Query("verbose"), nullptr);
}

TEST(S3RequestTest, UnknownMethodIsUnknownOperation) {
  auto head = Head("BREW", "/b/k");
  auto r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->op, Operation::kUnknown);
}

TEST(PercentDecodeTest, PlusHandlingAndErrors) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a+b%20c", false, &out));
  EXPECT_EQ(out, "a+b c");
  ASSERT_TRUE(PercentDecode("a+b%20c", true, &out));
  EXPECT_EQ(out, "a b c");
  ASSERT_TRUE(PercentDecode("%41%62", false, &out));  // both hex cases
  EXPECT_EQ(out, "Ab");
  ASSERT_TRUE(PercentDecode("%c3%A9", false, &out));
  EXPECT_EQ(out, "\xC3\xA9");
  ASSERT_TRUE(PercentDecode("%00", false, &out));
  EXPECT_EQ(out, std::string(1, '\0'));
  ASSERT_TRUE(PercentDecode("", true, &out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(PercentDecode("%", false, &out));
  EXPECT_FALSE(PercentDecode("ab%4", false, &out));
  EXPECT_FALSE(PercentDecode("%-1", false, &out));
  EXPECT_FALSE(PercentDecode("% 1", false, &out));
}

TEST(S3RequestTest, VirtualHostBucket) {
  const std::vector<std::string> domains = {"s3.example.com", "localhost"};
  EXPECT_EQ(VirtualHostBucket("photos.s3.example.com", domains), "photos");
  EXPECT_EQ(VirtualHostBucket("Photos.S3.Example.com:9000", domains), "photos");
  EXPECT_EQ(VirtualHostBucket("my.dotted.bucket.localhost:80", domains), "my.dotted.bucket");
  EXPECT_EQ(VirtualHostBucket("photos.s3.example.com.", domains), "photos");  // FQDN
  EXPECT_EQ(VirtualHostBucket("s3.example.com", domains), "");                // path style
  EXPECT_EQ(VirtualHostBucket("s3.example.com:9000", domains), "");
  EXPECT_EQ(VirtualHostBucket(".s3.example.com", domains), "");
  EXPECT_EQ(VirtualHostBucket("xs3.example.com", domains), "");  // not a subdomain
  EXPECT_EQ(VirtualHostBucket("photos.other.com", domains), "");
  EXPECT_EQ(VirtualHostBucket("[::1]:9000", domains), "");
  EXPECT_EQ(VirtualHostBucket("photos.s3.example.com", {}), "");  // no --domain
}

TEST(S3RequestTest, VirtualHostAddressing) {
  const std::vector<std::string> domains = {"s3.example.com"};
  auto head = Head("PUT", "/dir/a%20b.txt?tagging");
  head.headers.emplace_back("host", "photos.s3.example.com:9000");
  auto r = ParseS3Request(head, "", domains);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "photos");
  EXPECT_EQ(r->key, "dir/a b.txt");
  EXPECT_EQ(r->raw_path, "/dir/a%20b.txt");  // what SigV4 signs
  EXPECT_EQ(r->op, Operation::kPutObjectTagging);

  auto bucket = Head("GET", "/?list-type=2");
  bucket.headers.emplace_back("host", "photos.s3.example.com");
  r = ParseS3Request(bucket, "", domains);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "photos");
  EXPECT_EQ(r->key, "");
  EXPECT_EQ(r->op, Operation::kListObjectsV2);

  // The domain itself, and any Host without --domain: path style as before.
  auto path = Head("GET", "/photos/k");
  path.headers.emplace_back("host", "s3.example.com");
  r = ParseS3Request(path, "", domains);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "photos");
  EXPECT_EQ(r->key, "k");
  head.headers.back().second = "photos.s3.example.com";
  r = ParseS3Request(head, "");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "dir");

  // Internal endpoints stay where they are.
  auto internal = Head("GET", "/_strongbox/health/live");
  internal.headers.emplace_back("host", "photos.s3.example.com");
  r = ParseS3Request(internal, "", domains);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->bucket, "");
}

}  // namespace
}  // namespace sb::gateway
