// Policies from the AWS IAM and S3 documentation, evaluated as AWS documents them.
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "policy/eval/evaluator.h"
#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::AnonymousRequest;
using testing::Ctx;
using testing::Eval;
using testing::MustParse;
using testing::MustParseBucket;
using testing::UserRequest;

// IAM User Guide, "Allows IAM users to access their own home directory in Amazon S3".
constexpr char kHomeDirectory[] = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ListYourObjects", "Effect": "Allow", "Action": "s3:ListBucket",
     "Resource": ["arn:aws:s3:::bucket-name"],
     "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
    {"Sid": "ObjectActions", "Effect": "Allow", "Action": "s3:*Object",
     "Resource": ["arn:aws:s3:::bucket-name/home/${aws:username}/*"]}
  ]})";

EvalRequest Home(std::string user, std::string action, std::string resource) {
  EvalRequest r = UserRequest(std::move(user), std::move(action), std::move(resource));
  AddGlobalContextKeys(r, absl::UnixEpoch());
  return r;
}

TEST(AwsExamplesTest, HomeDirectoryListing) {
  Policy p = MustParse(kHomeDirectory);
  EvalRequest list = Home("alice", "s3:ListBucket", "arn:aws:s3:::bucket-name");
  list.context["s3:prefix"] = {"home/alice/photos/"};
  Decision d = Eval(list, {&p});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.sid, "ListYourObjects");
  list.context["s3:prefix"] = {"home/bob/"};
  EXPECT_FALSE(Eval(list, {&p}).allowed);
  list.context.erase("s3:prefix");  // listing the whole bucket: no prefix, no match
  EXPECT_FALSE(Eval(list, {&p}).allowed);
}

TEST(AwsExamplesTest, HomeDirectoryObjects) {
  Policy p = MustParse(kHomeDirectory);
  for (const char* action : {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}) {
    EXPECT_TRUE(
        Eval(Home("alice", action, "arn:aws:s3:::bucket-name/home/alice/a/b.txt"), {&p}).allowed)
        << action;
    EXPECT_FALSE(
        Eval(Home("alice", action, "arn:aws:s3:::bucket-name/home/bob/b.txt"), {&p}).allowed)
        << action;
  }
  EXPECT_FALSE(Eval(Home("alice", "s3:GetObjectAcl", "arn:aws:s3:::bucket-name/home/alice/x"), {&p})
                   .allowed);  // s3:*Object does not match s3:GetObjectAcl
}

// S3 User Guide, "Limiting access to specific IP addresses" (IPv4 + IPv6 deny).
constexpr char kIpRestricted[] = R"({
  "Id": "SourceIP", "Version": "2012-10-17",
  "Statement": [
    {"Sid": "SourceIP", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
     "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24",
                                                      "2001:DB8:1234:5678::/64"]}}},
    {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}
  ]})";

TEST(AwsExamplesTest, IpRestrictedBucketPolicy) {
  Policy bp = MustParseBucket(kIpRestricted);
  EvalRequest r = AnonymousRequest("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k");
  for (const char* ok : {"192.0.2.44", "203.0.113.1", "2001:db8:1234:5678::1"}) {
    r.context["aws:SourceIp"] = {ok};
    EXPECT_TRUE(Eval(r, {}, &bp).allowed) << ok;
  }
  for (const char* bad : {"198.51.100.1", "2001:db8:1234:5679::1"}) {
    r.context["aws:SourceIp"] = {bad};
    Decision d = Eval(r, {}, &bp);
    EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny) << bad;
    EXPECT_EQ(d.sid, "SourceIP");
  }
  r.context.erase("aws:SourceIp");  // no source address: NotIpAddress holds → deny
  EXPECT_EQ(Eval(r, {}, &bp).kind, DecisionKind::kExplicitDeny);
}

// S3 User Guide, "Managing access based on HTTP or HTTPS requests".
TEST(AwsExamplesTest, DenyInsecureTransport) {
  Policy bp = MustParseBucket(R"({"Version": "2012-10-17", "Statement": [{
    "Sid": "RestrictToTLSRequestsOnly", "Action": "s3:*", "Effect": "Deny",
    "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Principal": "*"}]})");
  Policy identity = MustParse(R"({"Statement": {"Effect": "Allow", "Action": "s3:*",
    "Resource": "*"}})");
  EvalRequest r = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k");
  r.context["aws:SecureTransport"] = {"false"};
  EXPECT_EQ(Eval(r, {&identity}, &bp).kind, DecisionKind::kExplicitDeny);
  r.context["aws:SecureTransport"] = {"true"};
  EXPECT_TRUE(Eval(r, {&identity}, &bp).allowed);
}

// IAM User Guide, "Allows access only with MFA" style: deny when MFA is absent or false.
TEST(AwsExamplesTest, RequireMfaWithBoolIfExists) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "DenyWithoutMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]})");
  EvalRequest r = UserRequest("alice", "s3:DeleteObject", "arn:aws:s3:::b/k");
  // Long-term keys: the key is absent, BoolIfExists holds → deny.
  EXPECT_EQ(Eval(r, {&p}).kind, DecisionKind::kExplicitDeny);
  r.context["aws:MultiFactorAuthPresent"] = {"false"};
  EXPECT_EQ(Eval(r, {&p}).kind, DecisionKind::kExplicitDeny);
  r.context["aws:MultiFactorAuthPresent"] = {"true"};
  EXPECT_TRUE(Eval(r, {&p}).allowed);
}

// S3 User Guide, "Requiring server-side encryption": deny PutObject without the header or
// with the wrong value.
TEST(AwsExamplesTest, DenyUnencryptedUploads) {
  Policy bp = MustParseBucket(R"({"Version": "2012-10-17", "Id": "PutObjPolicy",
    "Statement": [
      {"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*",
       "Action": "s3:PutObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
       "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}},
      {"Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*",
       "Action": "s3:PutObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
       "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
       "Action": "s3:PutObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]})");
  EvalRequest r = UserRequest("alice", "s3:PutObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k");
  Decision d = Eval(r, {}, &bp);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.sid, "DenyIncorrectEncryptionHeader");  // missing key: StringNotEquals is true
  r.context["s3:x-amz-server-side-encryption"] = {"aws:kms"};
  d = Eval(r, {}, &bp);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.sid, "DenyIncorrectEncryptionHeader");
  r.context["s3:x-amz-server-side-encryption"] = {"AES256"};
  EXPECT_TRUE(Eval(r, {}, &bp).allowed);
}

// IAM User Guide, multivalued context keys: allow tagging only with approved tag keys.
TEST(AwsExamplesTest, ForAllValuesTagKeys) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:PutObjectTagging", "Resource": "*",
    "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}}})");
  EvalRequest r = UserRequest("alice", "s3:PutObjectTagging", "arn:aws:s3:::b/k");
  r.context = Ctx({{"aws:TagKeys", {"environment"}}});
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context = Ctx({{"aws:TagKeys", {"environment", "cost-center"}}});
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context = Ctx({{"aws:TagKeys", {"environment", "owner"}}});
  EXPECT_FALSE(Eval(r, {&p}).allowed);
  r.context = Ctx({});  // no tags in the request: ForAllValues is vacuously true
  EXPECT_TRUE(Eval(r, {&p}).allowed);
}

// IAM User Guide, "Deny policy with condition set operator ForAnyValue".
TEST(AwsExamplesTest, ForAnyValueDeniesRestrictedTagKeys) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "DenyRestricted", "Effect": "Deny", "Action": "s3:PutObjectTagging",
     "Resource": "*",
     "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["webserver", "prod"]}}}]})");
  EvalRequest r = UserRequest("alice", "s3:PutObjectTagging", "arn:aws:s3:::b/k");
  r.context = Ctx({{"aws:TagKeys", {"owner", "prod"}}});
  EXPECT_EQ(Eval(r, {&p}).kind, DecisionKind::kExplicitDeny);
  r.context = Ctx({{"aws:TagKeys", {"owner"}}});
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context = Ctx({});  // no tag keys: ForAnyValue is false, the deny does not apply
  EXPECT_TRUE(Eval(r, {&p}).allowed);
}

// IAM User Guide, "ForAllValues with a deny": deny when any tag key is not approved.
TEST(AwsExamplesTest, ForAllValuesWithNegatedOperatorInDeny) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:PutObjectTagging", "Resource": "*",
     "Condition": {"ForAnyValue:StringNotLike": {"aws:TagKeys": ["key1*", "key2*"]}}}]})");
  EvalRequest r = UserRequest("alice", "s3:PutObjectTagging", "arn:aws:s3:::b/k");
  r.context = Ctx({{"aws:TagKeys", {"key1-a", "key2-b"}}});
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context = Ctx({{"aws:TagKeys", {"key1-a", "rogue"}}});
  EXPECT_EQ(Eval(r, {&p}).kind, DecisionKind::kExplicitDeny);
}

// S3 User Guide, "Restricting access to a specific HTTP referer" (StringLike, anonymous).
TEST(AwsExamplesTest, RefererRestriction) {
  Policy bp = MustParseBucket(R"({"Version": "2012-10-17", "Id": "HTTP referer policy example",
    "Statement": [{"Sid": "Allow only GET requests originating from www.example.com",
      "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
      "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
      "Condition": {"StringLike": {"aws:Referer": ["http://www.example.com/*",
                                                    "http://example.com/*"]}}}]})");
  EvalRequest r = AnonymousRequest("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/img.png");
  r.context["aws:Referer"] = {"http://www.example.com/page.html"};
  EXPECT_TRUE(Eval(r, {}, &bp).allowed);
  r.context["aws:Referer"] = {"http://evil.example.net/"};
  EXPECT_FALSE(Eval(r, {}, &bp).allowed);
}

// IAM User Guide, date conditions: access only within a window.
TEST(AwsExamplesTest, TimeWindow) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "*", "Condition": {
      "DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"},
      "DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"}}}})");
  EvalRequest r = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k");
  auto at = [&](int y, int m, int d) {
    AddGlobalContextKeys(r, absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone()));
    return Eval(r, {&p}).allowed;
  };
  EXPECT_FALSE(at(2020, 3, 31));
  EXPECT_TRUE(at(2020, 5, 15));
  EXPECT_FALSE(at(2020, 7, 1));
}

// S3 User Guide: grant cross-account uploads only with bucket-owner-full-control.
TEST(AwsExamplesTest, CrossAccountUploadRequiresAcl) {
  Policy bp = MustParseBucket(R"({"Version": "2012-10-17", "Statement": [{
    "Sid": "AllowPartnerUploads", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*",
    "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}]})");
  Policy partner_identity = MustParse(R"({"Statement": {"Effect": "Allow",
    "Action": "s3:PutObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}})");
  EvalRequest r = UserRequest("carol", "s3:PutObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k");
  r.account = "444455556666";
  r.principal_arn = "arn:aws:iam::444455556666:user/carol";
  r.resource_account = "111122223333";
  r.context["s3:x-amz-acl"] = {"bucket-owner-full-control"};
  EXPECT_TRUE(Eval(r, {&partner_identity}, &bp).allowed);
  r.context["s3:x-amz-acl"] = {"private"};
  EXPECT_FALSE(Eval(r, {&partner_identity}, &bp).allowed);
}

}  // namespace
}  // namespace sb::policy::eval
