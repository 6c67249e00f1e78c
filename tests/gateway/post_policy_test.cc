// POST policies: parsing (AWS's documented example shapes, malformed documents), conditions
// against form fields, content-length-range, and the SigV4 / V2 form signatures, computed
// here with OpenSSL's one-shot HMAC independently of gateway/internal.
#include "gateway/post_policy.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::ExampleLookup;
using testing::HmacHex;
using testing::kAccessKey;
using testing::kSecret;
using testing::TestSigningKey;

absl::Time At(int y, int mo, int d, int h = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, 0, 0), absl::UTCTimeZone());
}

std::string B64(std::string_view s) {
  return absl::Base64Escape(absl::string_view(s.data(), s.size()));
}

// AWS's "Example: Browser-based upload using HTTP POST (using AWS Signature Version 4)".
constexpr char kExamplePolicy[] = R"({ "expiration": "2015-12-30T12:00:00.000Z",
  "conditions": [
    {"bucket": "sigv4examplebucket"},
    ["starts-with", "$key", "user/user1/"],
    {"acl": "public-read"},
    {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
    ["starts-with", "$Content-Type", "image/"],
    {"x-amz-meta-uuid": "14365123651274"},
    {"x-amz-server-side-encryption": "AES256"},
    ["starts-with", "$x-amz-meta-tag", ""],
    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
    {"x-amz-date": "20151229T000000Z" },
    ["content-length-range", 1, 1048576]
  ]
})";

PostForm ExampleForm() {
  PostForm form;
  form.fields = {
      {"key", "user/user1/${filename}"},
      {"acl", "public-read"},
      {"success_action_redirect",
       "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
      {"content-type", "image/jpeg"},
      {"x-amz-meta-uuid", "14365123651274"},
      {"x-amz-server-side-encryption", "AES256"},
      {"x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
      {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
      {"x-amz-date", "20151229T000000Z"},
      {"x-amz-meta-tag", ""},
      {"policy", B64(kExamplePolicy)},
      {"x-amz-signature", "to be computed"},
  };
  form.filename = "pic.jpg";
  return form;
}

TEST(PostPolicyTest, ParsesAwsExample) {
  auto p = ParsePostPolicy(B64(kExamplePolicy));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->expiration, At(2015, 12, 30, 12));
  EXPECT_EQ(p->conditions.size(), 11u);
  ASSERT_TRUE(p->length_range.has_value());
  EXPECT_EQ(p->length_range->min, 1);
  EXPECT_EQ(p->length_range->max, 1048576);
  EXPECT_EQ(p->conditions[1].kind, PostPolicyCondition::Kind::kStartsWith);
  EXPECT_EQ(p->conditions[1].field, "key");
  EXPECT_EQ(p->conditions[4].field, "content-type");  // names lowercased
}

TEST(PostPolicyTest, ExampleFormMeetsItsConditions) {
  auto p = ParsePostPolicy(B64(kExamplePolicy));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(CheckPostPolicy(*p, ExampleForm(), "sigv4examplebucket", At(2015, 12, 29)).ok());
}

TEST(PostPolicyTest, RefusesMalformedDocuments) {
  auto reason = [](std::string_view json) {
    return GetReason(ParsePostPolicy(B64(json)).status());
  };
  EXPECT_EQ(GetReason(ParsePostPolicy("!!!not base64").status()),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason("{not json"), ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason("[]"), ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"conditions": []})"), ErrorReason::kInvalidPolicyDocument);
  // Key names are case-sensitive, as AWS (ceph/s3-tests *_is_case_sensitive).
  EXPECT_EQ(reason(R"({"EXPIRATION": "2030-01-01T00:00:00Z", "conditions": []})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "CONDITIONS": []})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "tomorrow", "conditions": []})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": {}})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["in", "$k", "v"]]})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "k", "v"]]})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{"k": 1}]})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z",
                 "conditions": [["content-length-range", 10, 1]]})"),
            ErrorReason::kInvalidPolicyDocument);
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": ["eq"]})"),
            ErrorReason::kInvalidPolicyDocument);
  // An empty condition (ceph/s3-tests test_post_object_empty_conditions).
  EXPECT_EQ(reason(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{ }]})"),
            ErrorReason::kInvalidPolicyDocument);
}

PostForm Form(std::vector<std::pair<std::string, std::string>> fields) {
  PostForm f;
  f.fields = std::move(fields);
  return f;
}

PostPolicy Parse(std::string_view conditions) {
  auto p = ParsePostPolicy(
      B64(std::string(R"({"expiration": "2030-01-01T00:00:00.000Z", "conditions": )") +
          std::string(conditions) + "}"));
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : PostPolicy{};
}

TEST(PostPolicyTest, Conditions) {
  const absl::Time now = At(2029, 1, 1);
  PostPolicy p = Parse(R"([{"bucket": "b"}, ["eq", "$Key", "a/b"], ["starts-with", "$acl", ""],
                          ["starts-with", "$x-amz-meta-x", "pre"]])");
  auto check = [&](PostForm form, std::string_view bucket = "b") {
    return CheckPostPolicy(p, form, bucket, now);
  };
  EXPECT_TRUE(check(Form({{"key", "a/b"}, {"acl", "private"}, {"x-amz-meta-x", "prefix"}})).ok());
  // The bucket condition names the URL's bucket.
  absl::Status s = check(Form({{"key", "a/b"}, {"acl", ""}, {"x-amz-meta-x", "pre"}}), "c");
  EXPECT_EQ(GetReason(s), ErrorReason::kAccessDenied);
  EXPECT_EQ(s.message(), R"(Invalid according to Policy: Policy Condition failed: {"bucket":"b"})");
  s = check(Form({{"key", "a/bc"}, {"acl", ""}, {"x-amz-meta-x", "pre"}}));
  EXPECT_EQ(s.message(),
            R"(Invalid according to Policy: Policy Condition failed: ["eq","$Key","a/b"])");
  EXPECT_EQ(GetReason(check(Form({{"key", "a/b"}, {"acl", ""}, {"x-amz-meta-x", "pr"}}))),
            ErrorReason::kAccessDenied);
  // A condition on an absent field fails, except starts-with "" (any value, none too).
  EXPECT_TRUE(check(Form({{"key", "a/b"}, {"x-amz-meta-x", "pre"}})).ok());
  EXPECT_EQ(GetReason(check(Form({{"key", "a/b"}, {"acl", ""}}))), ErrorReason::kAccessDenied);
  // Every field needs a condition, except the exempt ones.
  s = check(Form({{"key", "a/b"},
                  {"acl", ""},
                  {"x-amz-meta-x", "pre"},
                  {"policy", "p"},
                  {"signature", "s"},
                  {"awsaccesskeyid", "a"},
                  {"x-amz-signature", "s"},
                  {"x-ignore-anything", "1"},
                  {"success_action_status", "201"},
                  {"x-amz-meta-y", "1"}}));
  EXPECT_EQ(GetReason(s), ErrorReason::kAccessDenied);
  EXPECT_EQ(s.message(),
            "Invalid according to Policy: Extra input fields: $success_action_status, "
            "$x-amz-meta-y");
}

TEST(PostPolicyTest, KeyConditionSeesTheSubstitutedFilename) {
  PostPolicy p = Parse(R"([["starts-with", "$key", "foo"]])");
  PostForm form = Form({{"key", "${filename}"}, {"x-amz-checksum-sha256", "abc="}});
  form.filename = "foo.txt";
  EXPECT_TRUE(CheckPostPolicy(p, form, "b", At(2029, 1, 1)).ok());  // checksums need none
  form.filename = "bar.txt";
  EXPECT_EQ(GetReason(CheckPostPolicy(p, form, "b", At(2029, 1, 1))), ErrorReason::kAccessDenied);
}

TEST(PostPolicyTest, ContentTypeListsNeedEachPrefix) {
  PostPolicy p = Parse(R"([["starts-with", "$Content-Type", "image/"]])");
  const absl::Time now = At(2029, 1, 1);
  EXPECT_TRUE(CheckPostPolicy(p, Form({{"content-type", "image/png, image/gif"}}), "b", now).ok());
  EXPECT_FALSE(CheckPostPolicy(p, Form({{"content-type", "image/png, text/html"}}), "b", now).ok());
}

TEST(PostPolicyTest, Expired) {
  PostPolicy p = Parse("[]");
  EXPECT_TRUE(CheckPostPolicy(p, Form({}), "b", At(2029, 12, 31)).ok());
  absl::Status s = CheckPostPolicy(p, Form({}), "b", At(2030, 1, 1, 1));
  EXPECT_EQ(GetReason(s), ErrorReason::kAccessDenied);
  EXPECT_EQ(s.message(), "Invalid according to Policy: Policy expired.");
}

TEST(PostPolicyTest, ContentLengthRange) {
  PostPolicy none = Parse("[]");
  EXPECT_TRUE(CheckPostContentLength(none, 1ull << 40).ok());
  PostPolicy p = Parse(R"([["content-length-range", 2, "5"]])");
  EXPECT_EQ(GetReason(CheckPostContentLength(p, 1)), ErrorReason::kEntityTooSmall);
  EXPECT_TRUE(CheckPostContentLength(p, 2).ok());
  EXPECT_TRUE(CheckPostContentLength(p, 5).ok());
  EXPECT_EQ(GetReason(CheckPostContentLength(p, 6)), ErrorReason::kEntityTooLarge);
}

TEST(PostPolicyTest, KeyWithFilename) {
  PostForm f = Form({{"key", "up/${filename}/${filename}"}});
  f.filename = "a b.txt";
  auto key = PostObjectKey(f);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, "up/a b.txt/a b.txt");
  EXPECT_EQ(GetReason(PostObjectKey(Form({})).status()), ErrorReason::kInvalidArgument);
  EXPECT_EQ(GetReason(PostObjectKey(Form({{"key", ""}})).status()), ErrorReason::kInvalidArgument);
  // A key that is only ${filename}, for a file part without a filename.
  EXPECT_EQ(GetReason(PostObjectKey(Form({{"key", "${filename}"}})).status()),
            ErrorReason::kInvalidArgument);
}

TEST(PostSignatureTest, SigV4MatchesOpenSslHmac) {
  PostForm form = ExampleForm();
  const std::string policy = *form.Field("policy");
  const std::string signature = HmacHex(TestSigningKey(kSecret, "20151229", "us-east-1"), policy);
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-signature") value = signature;
  }
  auto sig = VerifyPostSignature(form, ExampleLookup());
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_TRUE(sig->v4);
  EXPECT_EQ(sig->access_key, kAccessKey);
  EXPECT_EQ(sig->region, "us-east-1");
  // Another secret, or another policy, does not verify.
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-signature") {
      value = HmacHex(TestSigningKey("other", "20151229", "us-east-1"), policy);
    }
  }
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kSignatureDoesNotMatch);
}

TEST(PostSignatureTest, SigV4FieldErrors) {
  PostForm form = ExampleForm();
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-date") value = "20151230T000000Z";  // not the credential's date
  }
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kInvalidArgument);
  form = ExampleForm();
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-algorithm") value = "AWS4-HMAC-SHA1";
  }
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kInvalidArgument);
  form = ExampleForm();
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-credential") value = "NOSUCHKEY/20151229/us-east-1/s3/aws4_request";
  }
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kInvalidAccessKeyId);
  form = ExampleForm();
  for (auto& [name, value] : form.fields) {
    if (name == "x-amz-credential") value = "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/sts/x";
  }
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kInvalidArgument);
}

std::string V2Signature(std::string_view secret, std::string_view policy) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(policy.data()), policy.size(), mac, &len);
  return absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(mac), len));
}

TEST(PostSignatureTest, V2FormMatchesOpenSslHmacSha1) {
  const std::string policy = B64(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": []})");
  PostForm form = Form({{"key", "k"},
                        {"awsaccesskeyid", kAccessKey},
                        {"policy", policy},
                        {"signature", V2Signature(kSecret, policy)}});
  auto sig = VerifyPostSignature(form, ExampleLookup());
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_FALSE(sig->v4);
  EXPECT_EQ(sig->access_key, kAccessKey);
  form.fields[3].second = V2Signature("wrong secret", policy);
  EXPECT_EQ(GetReason(VerifyPostSignature(form, ExampleLookup()).status()),
            ErrorReason::kSignatureDoesNotMatch);
  // A signature without a policy, or a policy without a signature.
  EXPECT_EQ(
      GetReason(VerifyPostSignature(Form({{"awsaccesskeyid", kAccessKey}, {"signature", "x"}}),
                                    ExampleLookup())
                    .status()),
      ErrorReason::kInvalidArgument);
  EXPECT_EQ(GetReason(VerifyPostSignature(Form({{"policy", policy}}), ExampleLookup()).status()),
            ErrorReason::kInvalidArgument);
}

}  // namespace
}  // namespace sb::gateway
