// SigV4 query-string (presigned URL) verification: AWS's published example and failure modes.
#include "common/error_reason.h"
#include "gateway/sigv4.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::ExampleLookup;
using testing::ExampleTime;
using testing::TestSign;

constexpr char kExampleSignature[] =
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

std::string ExampleQuery(std::string expires = "86400", std::string signature = kExampleSignature) {
  return "X-Amz-Algorithm=AWS4-HMAC-SHA256"
         "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
         "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=" +
         expires + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + signature;
}

// AWS "Example: GET Object" of sigv4-query-string-auth: test.txt valid for 24 hours.
SigV4Request PresignExample(std::string query = ExampleQuery()) {
  return SigV4Request{
      "GET", "/test.txt", std::move(query), {{"host", "examplebucket.s3.amazonaws.com"}}};
}

void ExpectError(const absl::StatusOr<SigV4Result>& r, absl::StatusCode code, ErrorReason reason) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status();
  EXPECT_EQ(GetReason(r.status()), reason) << r.status();
}

TEST(SigV4PresignTest, AwsExample) {
  absl::StatusOr<SigV4Result> r =
      VerifySigV4(PresignExample(), ExampleLookup(), ExampleTime() + absl::Hours(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->presigned);
  EXPECT_FALSE(r->anonymous);
  EXPECT_EQ(r->access_key, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(r->payload_mode, PayloadMode::kUnsigned);
  EXPECT_EQ(r->seed_signature, kExampleSignature);
  EXPECT_EQ(r->scope, "20130524/us-east-1/s3/aws4_request");
}

TEST(SigV4PresignTest, ParameterOrderAndEncodingOnTheWire) {
  std::string q = "X-Amz-Signature=" + std::string(kExampleSignature) +
                  "&X-Amz-SignedHeaders=host&X-Amz-Expires=86400&X-Amz-Date=20130524T000000Z"
                  "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"
                  "&X-Amz-Algorithm=AWS4-HMAC-SHA256";
  absl::StatusOr<SigV4Result> r = VerifySigV4(PresignExample(q), ExampleLookup(), ExampleTime());
  EXPECT_TRUE(r.ok()) << r.status();
}

TEST(SigV4PresignTest, ExpiryAndValidityWindow) {
  absl::Time t = ExampleTime();
  EXPECT_TRUE(VerifySigV4(PresignExample(), ExampleLookup(), t + absl::Seconds(86400)).ok());
  absl::StatusOr<SigV4Result> r =
      VerifySigV4(PresignExample(), ExampleLookup(), t + absl::Seconds(86401));
  ExpectError(r, absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied);
  EXPECT_EQ(r.status().message(), "Request has expired");
  EXPECT_TRUE(VerifySigV4(PresignExample(), ExampleLookup(), t - absl::Minutes(14)).ok());
  r = VerifySigV4(PresignExample(), ExampleLookup(), t - absl::Minutes(16));
  ExpectError(r, absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied);
  EXPECT_EQ(r.status().message(), "Request is not valid yet");
}

TEST(SigV4PresignTest, BadParameters) {
  const auto kBad = absl::StatusCode::kInvalidArgument;
  const auto kQueryError = ErrorReason::kAuthorizationQueryParametersError;
  for (const char* expires : {"0", "604801", "-5", "abc", "", "+5"}) {
    SCOPED_TRACE(expires);
    ExpectError(VerifySigV4(PresignExample(ExampleQuery(expires)), ExampleLookup(), ExampleTime()),
                kBad, kQueryError);
  }
  std::string q = ExampleQuery();
  std::vector<std::string> broken = {
      q.substr(0, q.find("&X-Amz-SignedHeaders")) + "&X-Amz-Signature=" + kExampleSignature,
      q + "&X-Amz-Date=20130524T000000Z",
      "X-Amz-Algorithm=AWS4-HMAC-SHA1" + q.substr(q.find('&')),
      q.substr(0, q.find("X-Amz-Date=")) + "X-Amz-Date=20130524" +
          q.substr(q.find("&X-Amz-Expires")),
      q.substr(0, q.find("X-Amz-Date=")) + "X-Amz-Date=20130525T000000Z" +
          q.substr(q.find("&X-Amz-Expires")),
      q.substr(0, q.find("X-Amz-Credential=")) + "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE" +
          q.substr(q.find("&X-Amz-Date")),
  };
  for (const std::string& query : broken) {
    SCOPED_TRACE(query);
    ExpectError(VerifySigV4(PresignExample(query), ExampleLookup(), ExampleTime()), kBad,
                kQueryError);
  }
}

TEST(SigV4PresignTest, TamperingAndMechanismConflicts) {
  std::string bad_sig(kExampleSignature);
  bad_sig[0] = 'b';
  ExpectError(
      VerifySigV4(PresignExample(ExampleQuery("86400", bad_sig)), ExampleLookup(), ExampleTime()),
      absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  SigV4Request req = PresignExample();
  req.raw_path = "/other.txt";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kSignatureDoesNotMatch);
  req = PresignExample(ExampleQuery() + "&versionId=3");
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kSignatureDoesNotMatch);
  req = PresignExample();
  req.headers.push_back({"x-amz-acl", "public-read"});
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kAccessDenied);
  req = PresignExample();
  req.headers.push_back({"authorization", "AWS4-HMAC-SHA256 Credential=x"});
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidArgument);
  req = PresignExample("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1369353600&Signature=abc");
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidRequest);
  SecretLookup none = [](std::string_view) -> absl::StatusOr<std::string> {
    return absl::NotFoundError("x");
  };
  ExpectError(VerifySigV4(PresignExample(), none, ExampleTime()),
              absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId);
}

// A presigned PUT with extra signed parameters and a signed header, built with the independent
// test signer (canonical query written out by hand).
TEST(SigV4PresignTest, RoundTripWithExtraParametersAndHeaders) {
  testing::TestSignInput in;
  in.method = "PUT";
  in.canonical_uri = "/bucket/dir/a%20file.txt";
  in.signed_headers = {"host", "x-amz-meta-owner"};
  in.payload_hash = "UNSIGNED-PAYLOAD";
  in.canonical_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Feu-west-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300"
      "&X-Amz-SignedHeaders=host%3Bx-amz-meta-owner&partNumber=2&uploadId=a%2Fb%2Bc";
  in.region = "eu-west-1";
  std::vector<std::pair<std::string, std::string>> h = {{"host", "s3.local:9000"},
                                                        {"x-amz-meta-owner", "alice"}};
  std::string sig = testing::TestSign(in, h);
  SigV4Request req{"PUT", "/bucket/dir/a%20file.txt",
                   "uploadId=a%2Fb%2Bc&partNumber=2&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Feu-west-1%2Fs3%2Faws4_"
                   "request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300"
                   "&X-Amz-SignedHeaders=host%3Bx-amz-meta-owner&X-Amz-Signature=" +
                       sig,
                   h};
  absl::StatusOr<SigV4Result> r =
      VerifySigV4(req, ExampleLookup(), ExampleTime() + absl::Seconds(299));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->payload_mode, PayloadMode::kUnsigned);
  req.headers[1].second = "mallory";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kSignatureDoesNotMatch);
}

// A presigner that covered x-amz-content-sha256 binds the body hash; an unsigned such header
// is ignored (the payload stays UNSIGNED-PAYLOAD).
TEST(SigV4PresignTest, SignedPayloadHashHeader) {
  const std::string hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
  testing::TestSignInput in;
  in.method = "PUT";
  in.canonical_uri = "/b/k";
  in.signed_headers = {"host", "x-amz-content-sha256"};
  in.payload_hash = hash;
  in.canonical_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60"
      "&X-Amz-SignedHeaders=host%3Bx-amz-content-sha256";
  std::vector<std::pair<std::string, std::string>> h = {{"host", "h"},
                                                        {"x-amz-content-sha256", hash}};
  SigV4Request req{"PUT", "/b/k", in.canonical_query + "&X-Amz-Signature=" + TestSign(in, h), h};
  absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->payload_mode, PayloadMode::kSignedHash);
  EXPECT_EQ(r->payload_sha256_hex, hash);

  SigV4Request unsigned_hash = PresignExample();
  unsigned_hash.headers.push_back({"x-amz-content-sha256", hash});
  r = VerifySigV4(unsigned_hash, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->payload_mode, PayloadMode::kUnsigned);
}

}  // namespace
}  // namespace sb::gateway
