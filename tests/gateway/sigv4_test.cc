// SigV4 Authorization-header verification: AWS's published S3 examples, canonicalization
// cross-checked against an independent test signer, and the failure modes.
#include "gateway/sigv4.h"

#include "common/error_reason.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/internal/sigv4_crypto.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::AuthorizationFor;
using testing::ExampleLookup;
using testing::ExampleTime;
using testing::kEmptySha;
using testing::OsslSha256Hex;
using testing::TestSign;
using testing::TestSignInput;

constexpr char kCredential[] = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

void ExpectError(const absl::StatusOr<SigV4Result>& r, absl::StatusCode code, ErrorReason reason) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status();
  EXPECT_EQ(GetReason(r.status()), reason) << r.status();
}

// AWS "Example: GET Object" (sig-v4-header-based-auth): first 10 bytes of test.txt.
SigV4Request GetObjectExample() {
  SigV4Request req;
  req.method = "GET";
  req.raw_path = "/test.txt";
  req.headers = {
      {"host", "examplebucket.s3.amazonaws.com"},
      {"range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmptySha},
      {"x-amz-date", "20130524T000000Z"},
      {"authorization", std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
                            ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
                            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
  };
  return req;
}

TEST(SigV4Test, AwsGetObjectExample) {
  absl::StatusOr<SigV4Result> r = VerifySigV4(GetObjectExample(), ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->anonymous);
  EXPECT_FALSE(r->presigned);
  EXPECT_EQ(r->access_key, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(r->payload_mode, PayloadMode::kSignedHash);
  EXPECT_EQ(r->payload_sha256_hex, kEmptySha);
  EXPECT_EQ(r->seed_signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(r->scope, "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(r->amz_date, "20130524T000000Z");
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->signing_key, testing::TestSigningKey(testing::kSecret, "20130524", "us-east-1"));
}

// AWS "Example: PUT Object": key "test$file.text", both Date and x-amz-date present.
TEST(SigV4Test, AwsPutObjectExample) {
  SigV4Request req;
  req.method = "PUT";
  req.raw_path = "/test%24file.text";
  req.headers = {
      {"host", "examplebucket.s3.amazonaws.com"},
      {"date", "Fri, 24 May 2013 00:00:00 GMT"},
      {"authorization",
       std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
           ",SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
           "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"},
  };
  absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->payload_mode, PayloadMode::kSignedHash);
  EXPECT_EQ(r->payload_sha256_hex,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // The same key sent unencoded ('$' raw) has the same canonical URI.
  req.raw_path = "/test$file.text";
  EXPECT_TRUE(VerifySigV4(req, ExampleLookup(), ExampleTime()).ok());
}

SigV4Request BucketExample(std::string query, std::string signature) {
  SigV4Request req;
  req.method = "GET";
  req.raw_path = "/";
  req.raw_query = std::move(query);
  req.headers = {
      {"host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-content-sha256", kEmptySha},
      {"authorization",
       std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
           ",SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=" + signature},
  };
  return req;
}

// AWS "Example: GET Bucket Lifecycle": a parameter without '=' is canonically "lifecycle=".
TEST(SigV4Test, AwsGetBucketLifecycleExample) {
  const std::string sig = "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543";
  EXPECT_TRUE(VerifySigV4(BucketExample("lifecycle", sig), ExampleLookup(), ExampleTime()).ok());
  EXPECT_TRUE(VerifySigV4(BucketExample("lifecycle=", sig), ExampleLookup(), ExampleTime()).ok());
}

// AWS "Example: Get Bucket (List Objects)": parameters sorted; wire order and encoding of
// unreserved characters do not matter, values do.
TEST(SigV4Test, AwsListObjectsExample) {
  const std::string sig = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
  for (const char* q : {"max-keys=2&prefix=J", "prefix=J&max-keys=2", "prefix=%4A&max-keys=2"}) {
    absl::StatusOr<SigV4Result> r =
        VerifySigV4(BucketExample(q, sig), ExampleLookup(), ExampleTime());
    EXPECT_TRUE(r.ok()) << q << ": " << r.status();
  }
  ExpectError(
      VerifySigV4(BucketExample("max-keys=2&prefix=K", sig), ExampleLookup(), ExampleTime()),
      absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
}

TEST(SigV4Test, AuthorizationHeaderSpacingIsTolerated) {
  SigV4Request req = GetObjectExample();
  req.headers.back().second =
      std::string("AWS4-HMAC-SHA256   Credential=") + kCredential +
      ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,   Signature="
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  EXPECT_TRUE(VerifySigV4(req, ExampleLookup(), ExampleTime()).ok());
}

TEST(SigV4Test, WrongSecretUnknownKeyAndLookupFailure) {
  SecretLookup wrong = [](std::string_view) -> absl::StatusOr<std::string> {
    return std::string("not-the-secret");
  };
  ExpectError(VerifySigV4(GetObjectExample(), wrong, ExampleTime()),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  SecretLookup none = [](std::string_view) -> absl::StatusOr<std::string> {
    return absl::NotFoundError("x");
  };
  ExpectError(VerifySigV4(GetObjectExample(), none, ExampleTime()),
              absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId);
  SecretLookup down = [](std::string_view) -> absl::StatusOr<std::string> {
    return absl::UnavailableError("iam down");
  };
  absl::StatusOr<SigV4Result> r = VerifySigV4(GetObjectExample(), down, ExampleTime());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
}

TEST(SigV4Test, TamperedRequestFails) {
  auto tampered = [](auto mutate) {
    SigV4Request req = GetObjectExample();
    mutate(req);
    return VerifySigV4(req, ExampleLookup(), ExampleTime());
  };
  ExpectError(tampered([](SigV4Request& r) { r.headers[1].second = "bytes=0-10"; }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  ExpectError(tampered([](SigV4Request& r) { r.raw_path = "/test.txT"; }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  ExpectError(tampered([](SigV4Request& r) { r.raw_query = "versionId=1"; }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  ExpectError(tampered([](SigV4Request& r) { r.method = "DELETE"; }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  ExpectError(tampered([](SigV4Request& r) { r.headers[0].second = "evil.example.com"; }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  ExpectError(tampered([](SigV4Request& r) {
                std::string& auth = r.headers.back().second;
                auth[auth.size() - 1] = '0';
              }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  // An extra, unsigned x-amz-* header is refused outright.
  ExpectError(tampered([](SigV4Request& r) {
                r.headers.push_back({"x-amz-acl", "public-read"});
              }),
              absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied);
}

TEST(SigV4Test, ClockSkew) {
  EXPECT_TRUE(
      VerifySigV4(GetObjectExample(), ExampleLookup(), ExampleTime() + absl::Minutes(14)).ok());
  EXPECT_TRUE(
      VerifySigV4(GetObjectExample(), ExampleLookup(), ExampleTime() - absl::Minutes(14)).ok());
  ExpectError(VerifySigV4(GetObjectExample(), ExampleLookup(), ExampleTime() + absl::Minutes(16)),
              absl::StatusCode::kPermissionDenied, ErrorReason::kRequestTimeTooSkewed);
  ExpectError(VerifySigV4(GetObjectExample(), ExampleLookup(), ExampleTime() - absl::Minutes(16)),
              absl::StatusCode::kPermissionDenied, ErrorReason::kRequestTimeTooSkewed);
}

TEST(SigV4Test, DateHeaders) {
  SigV4Request req = GetObjectExample();
  req.headers[3] = {"x-amz-date", "2013-05-24T00:00:00Z"};
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kAccessDenied);
  req.headers[3] = {"x-amz-date", "20131324T000000Z"};  // month 13
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kAccessDenied);
  req.headers.erase(req.headers.begin() + 3);
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kPermissionDenied,
              ErrorReason::kAccessDenied);

  // Credential scope date must be the request's day.
  req = GetObjectExample();
  std::string& auth = req.headers.back().second;
  auth.replace(auth.find("20130524"), 8, "20130523");
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kAuthorizationHeaderMalformed);
}

// Only a Date header: the signed timestamp is the ISO 8601 form of that date.
TEST(SigV4Test, DateHeaderOnly) {
  TestSignInput in;
  in.signed_headers = {"date", "host", "x-amz-content-sha256"};
  std::vector<std::pair<std::string, std::string>> h = {{"date", "Fri, 24 May 2013 00:00:00 GMT"},
                                                        {"host", "examplebucket.s3.amazonaws.com"},
                                                        {"x-amz-content-sha256", kEmptySha}};
  SigV4Request req{"GET", "/", "", h};
  req.headers.push_back({"authorization", AuthorizationFor(in, TestSign(in, h))});
  absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->amz_date, "20130524T000000Z");
}

TEST(SigV4Test, MalformedAuthorizationHeaders) {
  const std::string good_rest =
      ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  struct Case {
    std::string auth;
    absl::StatusCode code;
    ErrorReason reason;
  };
  const auto kMalformed = ErrorReason::kAuthorizationHeaderMalformed;
  const auto kBad = absl::StatusCode::kInvalidArgument;
  std::vector<Case> cases = {
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential, kBad, kMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3" + good_rest, kBad,
       kMalformed},
      {"AWS4-HMAC-SHA256 Credential=AK/2013052/us-east-1/s3/aws4_request" + good_rest, kBad,
       kMalformed},
      {"AWS4-HMAC-SHA256 Credential=/20130524/us-east-1/s3/aws4_request" + good_rest, kBad,
       kMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/iam/aws4_request" +
           good_rest,
       kBad, kMalformed},
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + good_rest + ",Extra=1", kBad,
       kMalformed},
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ",Credential=x" + good_rest,
       kBad, kMalformed},
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ",SignedHeaders=,Signature=abc",
       kBad, kMalformed},
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
           ",SignedHeaders=range;x-amz-content-sha256;x-amz-date,Signature=abc",
       kBad, kMalformed},
      {std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
           ",SignedHeaders=Host;range,Signature=abc",
       kBad, kMalformed},
      {"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", kBad, ErrorReason::kInvalidRequest},
      {std::string("AWS4-ECDSA-P256-SHA256 Credential=") + kCredential + good_rest, kBad,
       ErrorReason::kInvalidRequest},
      {"Bearer token", kBad, ErrorReason::kInvalidArgument},
      {"AWS4-HMAC-SHA256", kBad, ErrorReason::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SigV4Request req = GetObjectExample();
    req.headers.back().second = c.auth;
    SCOPED_TRACE(c.auth);
    ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), c.code, c.reason);
  }
}

TEST(SigV4Test, PayloadHashHeader) {
  SigV4Request req = GetObjectExample();
  req.headers.erase(req.headers.begin() + 2);  // x-amz-content-sha256
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidRequest);
  req = GetObjectExample();
  req.headers[2].second = "SIGNED-BY-MAGIC";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidArgument);
}

// STS clients sign a form body's hash without sending x-amz-content-sha256; the gateway
// hashes the body it read and the scope must name the sts service.
TEST(SigV4Test, StsServiceAndBodyHashWithoutHeader) {
  const std::string body_hash = OsslSha256Hex("Action=AssumeRole&Version=2011-06-15");
  TestSignInput in;
  in.method = "POST";
  in.signed_headers = {"content-type", "host", "x-amz-date"};
  in.payload_hash = body_hash;
  in.service = "sts";
  std::vector<std::pair<std::string, std::string>> headers = {
      {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
      {"host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"}};
  SigV4Request req;
  req.method = "POST";
  req.raw_path = "/";
  req.headers = headers;
  req.headers.emplace_back("authorization", AuthorizationFor(in, TestSign(in, headers)));
  req.service = "sts";
  req.body_sha256_hex = body_hash;
  auto r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->payload_mode, PayloadMode::kSignedHash);
  EXPECT_EQ(r->scope, "20130524/us-east-1/sts/aws4_request");

  SigV4Request other_body = req;  // a different body than the one signed
  other_body.body_sha256_hex = OsslSha256Hex("Action=AssumeRole&Version=2011-06-15&x=1");
  ExpectError(VerifySigV4(other_body, ExampleLookup(), ExampleTime()),
              absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  SigV4Request as_s3 = req;  // an sts-scoped signature is not valid for S3
  as_s3.service = "s3";
  ExpectError(VerifySigV4(as_s3, ExampleLookup(), ExampleTime()),
              absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationHeaderMalformed);
}

// Each payload mode, signed by the independent test signer.
TEST(SigV4Test, PayloadModes) {
  const std::vector<std::pair<std::string, PayloadMode>> modes = {
      {"UNSIGNED-PAYLOAD", PayloadMode::kUnsigned},
      {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD", PayloadMode::kStreamingSigned},
      {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", PayloadMode::kStreamingSignedTrailer},
      {"STREAMING-UNSIGNED-PAYLOAD-TRAILER", PayloadMode::kStreamingUnsignedTrailer},
      {"44CE7DD67C959E0D3524FFAC1771DFBBA87D2B6B4B4E99E42034A8B803F8B072",
       PayloadMode::kSignedHash},
  };
  for (const auto& [value, mode] : modes) {
    TestSignInput in;
    in.method = "PUT";
    in.canonical_uri = "/bucket/key";
    in.payload_hash = value;
    in.signed_headers = {"host", "x-amz-content-sha256", "x-amz-date",
                         "x-amz-decoded-content-length"};
    std::vector<std::pair<std::string, std::string>> h = {
        {"host", "localhost:9000"},
        {"x-amz-content-sha256", value},
        {"x-amz-date", "20130524T000000Z"},
        {"x-amz-decoded-content-length", "12345"}};
    SigV4Request req{"PUT", "/bucket/key", "", h};
    req.headers.push_back({"authorization", AuthorizationFor(in, TestSign(in, h))});
    absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
    ASSERT_TRUE(r.ok()) << value << ": " << r.status();
    EXPECT_EQ(r->payload_mode, mode);
    bool streaming = value.rfind("STREAMING", 0) == 0;
    EXPECT_EQ(r->decoded_content_length.has_value(), streaming);
    if (streaming) {
      EXPECT_EQ(*r->decoded_content_length, 12345u);
    }
    if (mode == PayloadMode::kSignedHash) {
      EXPECT_EQ(r->payload_sha256_hex,
                "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    }
  }
}

// S3 canonical URI: decode once, encode once, keep '/', no dot-segment normalization.
TEST(SigV4Test, CanonicalUriAndQueryMatchIndependentSigner) {
  struct Case {
    std::string raw_path, canonical_uri, raw_query, canonical_query;
  };
  std::vector<Case> cases = {
      {"/bucket/a%20b/c%2Bd+e!", "/bucket/a%20b/c%2Bd%2Be%21", "", ""},
      {"/bucket/x%2fy", "/bucket/x/y", "", ""},
      {"/bucket/./a/../b//c", "/bucket/./a/../b//c", "", ""},
      {"/bucket/%C3%A9t%C3%A9", "/bucket/%C3%A9t%C3%A9", "", ""},
      {"/bucket/\xC3\xA9", "/bucket/%C3%A9", "", ""},
      {"", "/", "", ""},
      {"/b", "/b", "b=2&a=x%20y&uploads&a=1&c=%7e&d=a%2fb&e=+",
       "a=1&a=x%20y&b=2&c=~&d=a%2Fb&e=%2B&uploads="},
      {"/b", "/b", "prefix=photos/2024&delimiter=/&&", "delimiter=%2F&prefix=photos%2F2024"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.raw_path + "?" + c.raw_query);
    TestSignInput in;
    in.canonical_uri = c.canonical_uri;
    in.canonical_query = c.canonical_query;
    in.signed_headers = {"host", "x-amz-content-sha256", "x-amz-date"};
    std::vector<std::pair<std::string, std::string>> h = {
        {"host", "h"}, {"x-amz-content-sha256", kEmptySha}, {"x-amz-date", "20130524T000000Z"}};
    SigV4Request req{"GET", c.raw_path, c.raw_query, h};
    req.headers.push_back({"authorization", AuthorizationFor(in, TestSign(in, h))});
    absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
    EXPECT_TRUE(r.ok()) << r.status();
  }
}

TEST(SigV4Test, MalformedPercentEncodingIsRejected) {
  SigV4Request req = GetObjectExample();
  req.raw_path = "/test%2.txt";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidArgument);
  req = GetObjectExample();
  req.raw_query = "a=%zz";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidArgument);
}

// Repeated headers join with ','; values are trimmed and inner whitespace runs collapse.
TEST(SigV4Test, CanonicalHeaderValues) {
  TestSignInput in;
  in.signed_headers = {"host", "x-amz-content-sha256", "x-amz-date", "x-amz-meta-a"};
  std::vector<std::pair<std::string, std::string>> canonical = {{"host", "h"},
                                                                {"x-amz-content-sha256", kEmptySha},
                                                                {"x-amz-date", "20130524T000000Z"},
                                                                {"x-amz-meta-a", "a b"},
                                                                {"x-amz-meta-a", "c"}};
  std::vector<std::pair<std::string, std::string>> sent = {{"host", "h"},
                                                           {"x-amz-meta-a", "  a  \t b "},
                                                           {"x-amz-content-sha256", kEmptySha},
                                                           {"x-amz-date", "20130524T000000Z"},
                                                           {"x-amz-meta-a", "c"}};
  SigV4Request req{"GET", "/", "", sent};
  req.headers.push_back({"authorization", AuthorizationFor(in, TestSign(in, canonical))});
  absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  EXPECT_TRUE(r.ok()) << r.status();
}

TEST(SigV4Test, AnonymousRequests) {
  SigV4Request req{"GET", "/bucket/key", "list-type=2", {{"host", "h"}}};
  absl::StatusOr<SigV4Result> r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->anonymous);
  EXPECT_EQ(r->payload_mode, PayloadMode::kUnsigned);
  EXPECT_TRUE(r->access_key.empty());

  req.headers.push_back({"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"});
  r = VerifySigV4(req, ExampleLookup(), ExampleTime());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->payload_mode, PayloadMode::kStreamingUnsignedTrailer);

  req.headers.back().second = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  ExpectError(VerifySigV4(req, ExampleLookup(), ExampleTime()), absl::StatusCode::kInvalidArgument,
              ErrorReason::kInvalidRequest);
}

// RFC 4231 test cases 2 and 6 (short key; key longer than the block).
TEST(SigV4CryptoTest, HmacSha256Rfc4231) {
  EXPECT_EQ(internal::HexLower(internal::HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(
      internal::HexLower(internal::HmacSha256(
          std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// AWS General Reference signing-key example (IAM service, 20150830).
TEST(SigV4CryptoTest, SigningKeyExample) {
  std::string key = internal::DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                               "20150830", "us-east-1", "iam");
  EXPECT_EQ(internal::HexLower(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(internal::CachedSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                       "us-east-1", "iam"),
            key);
  EXPECT_NE(internal::CachedSigningKey("other", "20150830", "us-east-1", "iam"), key);
}

TEST(SigV4CanonicalTest, UriEncode) {
  std::string out;
  internal::AppendUriEncoded("a b/c~d%\xC3\xA9-_.!*'()+=", /*encode_slash=*/true, &out);
  EXPECT_EQ(out, "a%20b%2Fc~d%25%C3%A9-_.%21%2A%27%28%29%2B%3D");
  out.clear();
  internal::AppendUriEncoded("a/b c", /*encode_slash=*/false, &out);
  EXPECT_EQ(out, "a/b%20c");
}

}  // namespace
}  // namespace sb::gateway
