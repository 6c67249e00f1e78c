// aws-chunked decoding: AWS's published streaming example (seed, chunk and trailer signatures),
// trailers, bounded framing errors and signature failures.
#include "gateway/aws_chunked.h"

#include "common/error_reason.h"
#include "gateway/payload_verify.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::ExampleLookup;
using testing::ExampleTime;
using testing::ReadAll;
using testing::StringSource;

constexpr char kSeed[] = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr char kSig1[] = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
constexpr char kSig2[] = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
constexpr char kSigFinal[] = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
// aws-c-auth's trailing-headers test chains off the same example.
constexpr char kTrailerSig[] = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c";

// AWS "Example: PUT Object" of sigv4-streaming: 66560 bytes of 'a' in chunks of 64 KiB and 1 KiB.
SigV4Request StreamingExampleRequest() {
  SigV4Request req;
  req.method = "PUT";
  req.raw_path = "/examplebucket/chunkObject.txt";
  req.headers = {
      {"host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
       "x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
           std::string(kSeed)},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
      {"content-encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"content-length", "66824"},
  };
  return req;
}

SigV4Result ExampleAuth() {
  absl::StatusOr<SigV4Result> r =
      VerifySigV4(StreamingExampleRequest(), ExampleLookup(), ExampleTime());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SigV4Result{};
}

std::string Chunk(size_t size, std::string_view sig, char fill = 'a') {
  char hex[32];
  std::snprintf(hex, sizeof(hex), "%zx", size);
  return std::string(hex) + ";chunk-signature=" + std::string(sig) + "\r\n" +
         std::string(size, fill) + "\r\n";
}

std::string ExampleBody() {
  return Chunk(65536, kSig1) + Chunk(1024, kSig2) + "0;chunk-signature=" + kSigFinal + "\r\n\r\n";
}

void ExpectReason(const absl::Status& s, absl::StatusCode code, ErrorReason reason) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_EQ(GetReason(s), reason) << s;
}

TEST(AwsChunkedTest, AwsStreamingExampleSeed) {
  SigV4Result auth = ExampleAuth();
  EXPECT_EQ(auth.payload_mode, PayloadMode::kStreamingSigned);
  EXPECT_EQ(auth.seed_signature, kSeed);
  ASSERT_TRUE(auth.decoded_content_length.has_value());
  EXPECT_EQ(*auth.decoded_content_length, 66560u);
}

TEST(AwsChunkedTest, AwsStreamingExampleDecodes) {
  SigV4Result auth = ExampleAuth();
  for (size_t raw_step : {size_t{1}, size_t{7}, size_t{4096}, SIZE_MAX}) {
    for (size_t read : {size_t{1}, size_t{1000}, size_t{65536}, size_t{100000}}) {
      if (raw_step == 1 && read == 1) continue;  // slow and adds nothing over (1, 1000)
      SCOPED_TRACE(::testing::Message() << "raw_step=" << raw_step << " read=" << read);
      StringSource raw(ExampleBody(), raw_step);
      AwsChunkedSource src(&raw, auth);
      absl::StatusOr<std::string> out = ReadAll(src, read);
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_EQ(*out, std::string(66560, 'a'));
      EXPECT_TRUE(src.trailers().empty());
      EXPECT_EQ(src.decoded_bytes(), 66560u);
    }
  }
}

// A modified byte in chunk 2 is caught before chunk 2 has been returned in full.
TEST(AwsChunkedTest, BadChunkSignature) {
  std::string body = ExampleBody();
  body[body.find(kSig2) + 64 + 2 + 10] = 'b';
  StringSource raw(body);
  AwsChunkedSource src(&raw, ExampleAuth());
  std::string buf(100, '\0');
  uint64_t returned = 0;
  absl::Status status;
  while (true) {
    absl::StatusOr<size_t> n = src.Read(buf.data(), buf.size());
    if (!n.ok()) {
      status = n.status();
      break;
    }
    ASSERT_NE(*n, 0u) << "body accepted";
    returned += *n;
  }
  ExpectReason(status, absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch);
  EXPECT_LT(returned, 66560u);
  EXPECT_GE(returned, 65536u);
  // The error sticks.
  ExpectReason(src.Read(buf.data(), buf.size()).status(), absl::StatusCode::kPermissionDenied,
               ErrorReason::kSignatureDoesNotMatch);
}

TEST(AwsChunkedTest, SignatureChainOrderMatters) {
  // The same chunks with their signatures swapped, or the final signature missing.
  std::string swapped =
      Chunk(65536, kSig2) + Chunk(1024, kSig1) + "0;chunk-signature=" + kSigFinal + "\r\n\r\n";
  StringSource raw(swapped);
  AwsChunkedSource src(&raw, ExampleAuth());
  ExpectReason(ReadAll(src, 8192).status(), absl::StatusCode::kPermissionDenied,
               ErrorReason::kSignatureDoesNotMatch);

  std::string unsigned_final = Chunk(65536, kSig1) + Chunk(1024, kSig2) + "0\r\n\r\n";
  StringSource raw2(unsigned_final);
  AwsChunkedSource src2(&raw2, ExampleAuth());
  ExpectReason(ReadAll(src2, 8192).status(), absl::StatusCode::kPermissionDenied,
               ErrorReason::kSignatureDoesNotMatch);
}

TEST(AwsChunkedTest, FramingErrors) {
  std::string good = ExampleBody();
  std::vector<std::string> bodies = {
      good.substr(0, 30000),                                     // inside chunk 1
      good.substr(0, good.size() - 2),                           // no terminating CRLF
      good.substr(0, good.find("400;")),                         // missing chunks
      good + "x",                                                // trailing garbage
      "zz;chunk-signature=" + std::string(kSig1) + "\r\n",       // bad size
      "4000001;chunk-signature=" + std::string(kSig1) + "\r\n",  // above the chunk limit
      std::string(5000, '1') + "\r\n",                           // overlong line
      Chunk(65536, kSig1).substr(0, 88 + 65536) + "XX" + Chunk(1024, kSig2),  // no CRLF after data
      "10000;chunk-signature=" + std::string(kSig1) + "\n",                   // bare LF
      "",
  };
  SigV4Result auth = ExampleAuth();
  for (size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE(i);
    StringSource raw(bodies[i]);
    AwsChunkedSource src(&raw, auth);
    ExpectReason(ReadAll(src, 4096).status(), absl::StatusCode::kInvalidArgument,
                 ErrorReason::kIncompleteBody);
  }
}

TEST(AwsChunkedTest, DecodedLengthMustMatch) {
  SigV4Result auth = ExampleAuth();
  auth.decoded_content_length = 66561;
  StringSource raw(ExampleBody());
  AwsChunkedSource src(&raw, auth);
  ExpectReason(ReadAll(src, 4096).status(), absl::StatusCode::kInvalidArgument,
               ErrorReason::kIncompleteBody);
  auth.decoded_content_length = 1000;  // exceeded while streaming
  StringSource raw2(ExampleBody());
  AwsChunkedSource src2(&raw2, auth);
  ExpectReason(ReadAll(src2, 4096).status(), absl::StatusCode::kInvalidArgument,
               ErrorReason::kIncompleteBody);
}

TEST(AwsChunkedTest, RawErrorsPassThrough) {
  StringSource raw(ExampleBody().substr(0, 100));
  raw.FailAtEnd(absl::DeadlineExceededError("client too slow"));
  AwsChunkedSource src(&raw, ExampleAuth());
  EXPECT_EQ(ReadAll(src, 4096).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(AwsChunkedTest, TrailersRejectedWithoutTrailerMode) {
  std::string body = Chunk(65536, kSig1) + Chunk(1024, kSig2) + "0;chunk-signature=" + kSigFinal +
                     "\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
  StringSource raw(body);
  AwsChunkedSource src(&raw, ExampleAuth());
  ExpectReason(ReadAll(src, 4096).status(), absl::StatusCode::kInvalidArgument,
               ErrorReason::kIncompleteBody);
}

TEST(AwsChunkedTest, NonStreamingModeIsRefused) {
  SigV4Result auth;
  auth.payload_mode = PayloadMode::kSignedHash;
  StringSource raw("abc");
  AwsChunkedSource src(&raw, auth);
  EXPECT_EQ(ReadAll(src, 10).status().code(), absl::StatusCode::kFailedPrecondition);
}

// Signed trailers, the vector of aws-c-auth (sigv4_trailing_headers_signing_test).
TEST(AwsChunkedTest, SignedTrailersPublishedVector) {
  SigV4Result auth = ExampleAuth();
  auth.payload_mode = PayloadMode::kStreamingSignedTrailer;
  std::string body =
      Chunk(65536, kSig1) + Chunk(1024, kSig2) + "0;chunk-signature=" + kSigFinal +
      "\r\nfirst:1st\r\nsecond:2nd\r\nthird:3rd\r\nx-amz-trailer-signature:" + kTrailerSig +
      "\r\n\r\n";
  StringSource raw(body, 333);
  AwsChunkedSource src(&raw, auth);
  absl::StatusOr<std::string> out = ReadAll(src, 5000);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->size(), 66560u);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"first", "1st"}, {"second", "2nd"}, {"third", "3rd"}};
  EXPECT_EQ(src.trailers(), expected);

  // A changed trailer value or a missing trailer signature fails.
  std::string tampered = body;
  tampered.replace(tampered.find("2nd"), 3, "2ND");
  StringSource raw2(tampered);
  AwsChunkedSource src2(&raw2, auth);
  ExpectReason(ReadAll(src2, 5000).status(), absl::StatusCode::kPermissionDenied,
               ErrorReason::kSignatureDoesNotMatch);
  std::string unsigned_trailers = body;
  size_t at = unsigned_trailers.find("x-amz-trailer-signature");
  unsigned_trailers.erase(at, unsigned_trailers.find("\r\n", at) + 2 - at);
  StringSource raw3(unsigned_trailers);
  AwsChunkedSource src3(&raw3, auth);
  ExpectReason(ReadAll(src3, 5000).status(), absl::StatusCode::kPermissionDenied,
               ErrorReason::kSignatureDoesNotMatch);
}

// Builds a signed-trailer body with the independent test signer: chunk signatures chained from
// `seed`, then the trailer lines and their signature.
std::string SignTrailerBody(const SigV4Result& auth, const std::vector<std::string>& chunks,
                            const std::string& trailer_name, const std::string& trailer_value) {
  std::string key = testing::TestSigningKey(testing::kSecret, "20130524", "us-east-1");
  std::string prev = auth.seed_signature;
  std::string body;
  std::vector<std::string> all = chunks;
  all.push_back("");
  for (const std::string& data : all) {
    std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + auth.amz_date + "\n" + auth.scope + "\n" +
                      prev + "\n" + testing::kEmptySha + "\n" + testing::OsslSha256Hex(data);
    prev = testing::HmacHex(key, sts);
    char hex[32];
    std::snprintf(hex, sizeof(hex), "%zx", data.size());
    body += std::string(hex) + ";chunk-signature=" + prev + "\r\n" + data;
    if (!data.empty()) body += "\r\n";
  }
  std::string canonical = trailer_name + ":" + trailer_value + "\n";
  std::string sts = "AWS4-HMAC-SHA256-TRAILER\n" + auth.amz_date + "\n" + auth.scope + "\n" + prev +
                    "\n" + testing::OsslSha256Hex(canonical);
  body += trailer_name + ":" + trailer_value +
          "\r\nx-amz-trailer-signature:" + testing::HmacHex(key, sts) + "\r\n\r\n";
  return body;
}

TEST(AwsChunkedTest, SignedTrailerWithChecksum) {
  SigV4Result auth = ExampleAuth();
  auth.payload_mode = PayloadMode::kStreamingSignedTrailer;
  auth.decoded_content_length = 11;
  // CRC32("Hello world") = 0x8bd69e52, "i9aeUg==" in S3's base64 form.
  std::string body = SignTrailerBody(auth, {"Hello", " world"}, "x-amz-checksum-crc32", "i9aeUg==");
  StringSource raw(body, 5);
  AwsChunkedSource src(&raw, auth);
  absl::StatusOr<std::string> out = ReadAll(src, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "Hello world");
  ASSERT_EQ(src.trailers().size(), 1u);
  EXPECT_EQ(src.trailers()[0].first, "x-amz-checksum-crc32");
  EXPECT_EQ(src.trailers()[0].second, "i9aeUg==");
  absl::StatusOr<ChecksumCalculator> calc = ChecksumCalculator::Create("crc32");
  ASSERT_TRUE(calc.ok());
  calc->Update(*out);
  EXPECT_EQ(calc->FinishBase64(), src.trailers()[0].second);
}

TEST(AwsChunkedTest, UnsignedTrailer) {
  SigV4Result auth;
  auth.anonymous = true;
  auth.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
  auth.decoded_content_length = 11;
  // As aws-sdk-go-v2 and botocore frame it; a stray chunk-signature extension is ignored.
  std::string body =
      "5\r\nHello\r\n6;chunk-signature=whatever\r\n world\r\n0\r\n"
      "X-Amz-Checksum-CRC32C:  crUfeA==  \r\n\r\n";
  for (size_t step : {size_t{1}, size_t{4}, SIZE_MAX}) {
    StringSource raw(body, step);
    AwsChunkedSource src(&raw, auth);
    absl::StatusOr<std::string> out = ReadAll(src, 4);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(*out, "Hello world");
    std::vector<std::pair<std::string, std::string>> expected = {
        {"x-amz-checksum-crc32c", "crUfeA=="}};
    EXPECT_EQ(src.trailers(), expected);
  }
  // Too many trailers.
  std::string many = "0\r\n";
  for (int i = 0; i < 40; ++i) many += "x-t" + std::to_string(i) + ":v\r\n";
  auth.decoded_content_length = 0;
  StringSource raw(many + "\r\n");
  AwsChunkedSource src(&raw, auth);
  ExpectReason(ReadAll(src, 4).status(), absl::StatusCode::kInvalidArgument,
               ErrorReason::kIncompleteBody);
}

}  // namespace
}  // namespace sb::gateway
