#include <gtest/gtest.h>

#include <string>

#include "common/error_reason.h"
#include "policy/eval/policy.h"
#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::MustParse;
using testing::MustParseBucket;
using testing::ParseError;

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

#define EXPECT_ERROR(json, part, ...)                               \
  do {                                                              \
    std::string err_ = ParseError(json __VA_OPT__(, ) __VA_ARGS__); \
    EXPECT_TRUE(Contains(err_, part)) << "error: " << err_;         \
  } while (0)

TEST(ParserTest, MinimalIdentityPolicy) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Id": "ro",
    "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})");
  EXPECT_EQ(p.version, PolicyVersion::k2012_10_17);
  EXPECT_EQ(p.kind, PolicyKind::kIdentity);
  EXPECT_EQ(p.id, "ro");
  ASSERT_EQ(p.statements.size(), 1u);
  const Statement& st = p.statements[0];
  EXPECT_EQ(st.effect, Effect::kAllow);
  EXPECT_FALSE(st.principal.has_value());
  ASSERT_EQ(st.actions.size(), 1u);
  EXPECT_EQ(st.actions[0].text(), "s3:GetObject");
  ASSERT_EQ(st.resources.size(), 1u);
  EXPECT_EQ(st.resources[0].text(), "*");
  EXPECT_FALSE(st.not_action);
  EXPECT_FALSE(st.not_resource);
}

TEST(ParserTest, ArraysNotElementsAndConditions) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "A", "Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"],
     "NotResource": ["arn:aws:s3:::pub/*", "arn:aws:s3:::pub"],
     "Condition": {"StringLike": {"s3:prefix": ["a/*", "b/*"]},
                   "NumericLessThan": {"s3:max-keys": 10},
                   "Bool": {"aws:SecureTransport": false}}},
    {"Sid": "B", "Effect": "Allow", "Action": "*", "Resource": "*"}]})");
  ASSERT_EQ(p.statements.size(), 2u);
  const Statement& a = p.statements[0];
  EXPECT_EQ(a.sid, "A");
  EXPECT_EQ(a.effect, Effect::kDeny);
  EXPECT_TRUE(a.not_action);
  EXPECT_TRUE(a.not_resource);
  EXPECT_EQ(a.actions.size(), 2u);
  EXPECT_EQ(a.resources.size(), 2u);
  ASSERT_EQ(a.conditions.size(), 3u);
  EXPECT_EQ(a.conditions[0].op_name(), "StringLike");
  EXPECT_EQ(a.conditions[0].values(), (std::vector<std::string>{"a/*", "b/*"}));
  EXPECT_EQ(a.conditions[1].values(), (std::vector<std::string>{"10"}));  // number → text
  EXPECT_EQ(a.conditions[2].values(), (std::vector<std::string>{"false"}));
  EXPECT_EQ(p.statements[1].sid, "B");
}

TEST(ParserTest, MissingVersionMeans2008) {
  Policy p = MustParse(R"({"Statement": {"Effect": "Allow", "Action": "s3:*",
    "Resource": "arn:aws:s3:::b/${aws:username}"}})");
  EXPECT_EQ(p.version, PolicyVersion::k2008_10_17);
  Policy old = MustParse(R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:*", "Resource": "*"}})");
  EXPECT_EQ(old.version, PolicyVersion::k2008_10_17);
}

TEST(ParserTest, BucketPolicyPrincipals) {
  Policy p = MustParseBucket(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": ["111122223333",
        "arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:user/alice"],
        "Service": "logging.s3.amazonaws.com", "CanonicalUser": "79a59df900b949e5",
        "Federated": "cognito-identity.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/admin"},
     "Action": "s3:*", "Resource": "*"}]})");
  ASSERT_EQ(p.statements.size(), 4u);
  EXPECT_TRUE(p.statements[0].principal->any);
  EXPECT_TRUE(p.statements[1].principal->any);
  const PrincipalSpec& s = *p.statements[2].principal;
  EXPECT_FALSE(s.any);
  EXPECT_EQ(s.accounts, (std::vector<std::string>{"111122223333", "444455556666"}));
  EXPECT_EQ(s.arns, (std::vector<std::string>{"arn:aws:iam::111122223333:user/alice"}));
  EXPECT_EQ(s.services, (std::vector<std::string>{"logging.s3.amazonaws.com"}));
  EXPECT_EQ(s.canonical_users.size(), 1u);
  EXPECT_EQ(s.federated.size(), 1u);
  EXPECT_TRUE(p.statements[3].not_principal);
}

TEST(ParserTest, RejectsBadJson) {
  EXPECT_ERROR("", "malformed JSON");
  EXPECT_ERROR("{", "malformed JSON");
  EXPECT_ERROR(R"({"Statement": [}])", "malformed JSON at byte");
  EXPECT_ERROR(R"({"Version": "2012-10-17"} trailing)", "malformed JSON");
  EXPECT_ERROR("[]", "must be a JSON object");
  EXPECT_ERROR(R"("policy")", "must be a JSON object");
}

TEST(ParserTest, RejectsDuplicateKeys) {
  EXPECT_ERROR(R"({"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "s3:*",
    "Resource": "*"}})",
               "duplicate key \"Effect\"");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "true", "aws:SecureTransport": "false"}}}})",
               "duplicate key \"aws:SecureTransport\"");
  // The same key in sibling objects is fine.
  MustParse(R"({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})");
}

TEST(ParserTest, SizeLimitIsAParameter) {
  std::string doc = R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})";
  ParseOptions small{.kind = PolicyKind::kIdentity, .max_size_bytes = doc.size() - 1};
  auto p = ParsePolicy(doc, small);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(Contains(std::string(p.status().message()), "the limit is"));
  EXPECT_EQ(GetReason(p.status()), ErrorReason::kInvalidArgument);
  small.max_size_bytes = doc.size();
  EXPECT_TRUE(ParsePolicy(doc, small).ok());
  std::string big(21 * 1024, ' ');
  big.replace(0, doc.size(), doc);
  EXPECT_FALSE(ParsePolicy(big).ok());  // default 20 KiB
}

TEST(ParserTest, RejectsStructuralErrors) {
  EXPECT_ERROR(R"({"Version": "2012-10-17"})", "missing Statement");
  EXPECT_ERROR(R"({"Statement": []})", "non-empty array");
  EXPECT_ERROR(R"({"Statement": ["x"]})", "statement must be an object");
  EXPECT_ERROR(R"({"Version": "2012-10-18", "Statement": {}})", "unsupported Version");
  EXPECT_ERROR(R"({"Version": 2012, "Statement": {}})", "unsupported Version");
  EXPECT_ERROR(R"({"Id": 5, "Statement": {}})", "Id: must be a string");
  EXPECT_ERROR(R"({"Statment": []})", "unknown element \"Statment\"");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
    "Resources": "*"}})",
               "unknown element \"Resources\"");
}

TEST(ParserTest, RejectsBadEffect) {
  EXPECT_ERROR(R"({"Statement": {"Action": "s3:*", "Resource": "*"}})", "missing Effect");
  EXPECT_ERROR(R"({"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}})",
               "unknown Effect \"allow\"");
  EXPECT_ERROR(R"({"Statement": {"Sid": "x", "Effect": true, "Action": "s3:*",
    "Resource": "*"}})",
               "Statement[0] (Sid \"x\"): unknown Effect true");
}

TEST(ParserTest, RejectsActionAndResourceProblems) {
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:Get*",
    "Resource": "*"}})",
               "has both Action and NotAction");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Resource": "*"}})",
               "missing Action or NotAction");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}})",
               "Action must not be empty");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "GetObject", "Resource": "*"}})",
               "invalid Action \"GetObject\"");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s*:GetObject",
    "Resource": "*"}})",
               "invalid Action");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": ["s3:Get*", 5],
    "Resource": "*"}})",
               "Action entries must be strings");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*"}})",
               "missing Resource or NotResource");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
    "NotResource": "*"}})",
               "has both Resource and NotResource");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket/*"}})",
               "invalid Resource \"bucket/*\"");
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*",
    "Resource": "arn:aws:s3:bucket"}})",
               "invalid Resource");
  EXPECT_ERROR(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
    "Resource": "arn:aws:s3:::b/${aws:username"}})",
               "malformed policy variable");
}

TEST(ParserTest, RejectsPrincipalProblems) {
  const char* with_principal = R"({"Statement": {"Effect": "Allow", "Principal": "*",
    "Action": "s3:*", "Resource": "*"}})";
  EXPECT_ERROR(with_principal, "not allowed in identity or session policies");
  EXPECT_ERROR(with_principal, "not allowed", PolicyKind::kSession);
  MustParseBucket(with_principal);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})",
               "missing Principal or NotPrincipal", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": "*", "NotPrincipal": {"AWS":
    "1"}, "Action": "s3:*", "Resource": "*"}})",
               "has both Principal and NotPrincipal", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": "alice", "Action": "s3:*",
    "Resource": "*"}})",
               "Principal must be \"*\" or an object", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": {}, "Action": "s3:*",
    "Resource": "*"}})",
               "non-empty object", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": {"Aws": "*"}, "Action": "s3:*",
    "Resource": "*"}})",
               "unknown Principal type \"Aws\"", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": {"AWS":
    "arn:aws:iam::*:user/bob"}, "Action": "s3:*", "Resource": "*"}})",
               "wildcards are only allowed as \"*\" alone", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1"},
    "Action": "s3:*", "Resource": "*"}})",
               "invalid AWS principal ARN", PolicyKind::kBucket);
  EXPECT_ERROR(R"({"Statement": {"Effect": "Deny", "NotPrincipal": "*", "Action": "s3:*",
    "Resource": "*"}})",
               "NotPrincipal cannot be \"*\"", PolicyKind::kBucket);
}

TEST(ParserTest, RejectsConditionProblems) {
  auto with_condition = [](std::string_view cond) {
    return std::string(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": "s3:*", "Resource": "*", "Condition": )") +
           std::string(cond) + "}}";
  };
  EXPECT_ERROR(with_condition(R"({"StringEqualz": {"k": "v"}})"),
               "unknown condition operator \"StringEqualz\"");
  EXPECT_ERROR(with_condition(R"({"NullIfExists": {"k": "true"}})"), "NullIfExists");
  EXPECT_ERROR(
      with_condition(R"({"NumericLessThan": {"s3:max-keys": "ten"}})"),
      "condition \"NumericLessThan\" on key \"s3:max-keys\": value \"ten\" is not a number");
  EXPECT_ERROR(with_condition(R"({"DateLessThan": {"aws:CurrentTime": "soon"}})"), "ISO 8601");
  EXPECT_ERROR(with_condition(R"({"IpAddress": {"aws:SourceIp": "10.0.0.0/40"}})"), "CIDR");
  EXPECT_ERROR(with_condition(R"({"StringEquals": {"k": []}})"), "empty value list");
  EXPECT_ERROR(with_condition(R"({"StringEquals": {"k": null}})"),
               "condition values must be strings, numbers or booleans");
  EXPECT_ERROR(with_condition(R"({"StringEquals": {"k": [["nested"]]}})"), "must be strings");
  EXPECT_ERROR(with_condition(R"({"StringEquals": "k"})"), "must map to an object");
  EXPECT_ERROR(with_condition(R"(["StringEquals"])"), "Condition must be an object");
}

TEST(ParserTest, RejectsDuplicateSids) {
  EXPECT_ERROR(R"({"Statement": [{"Sid": "s", "Effect": "Allow", "Action": "s3:*",
    "Resource": "*"}, {"Sid": "s", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})",
               "duplicate Sid \"s\"");
  MustParse(R"({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})");  // empty Sids may repeat
}

TEST(ParserTest, ErrorsCarryTheInvalidArgumentReason) {
  auto p = ParsePolicy(R"({"Statement": {"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetReason(p.status()), ErrorReason::kInvalidArgument);
}

// Every single-byte deletion and substitution of a rich policy either parses or fails with
// InvalidArgument; none may crash (this test is most useful under ASan/UBSan).
TEST(ParserTest, MutatedDocumentsNeverCrash) {
  const std::string doc = R"({"Version": "2012-10-17", "Id": "x", "Statement": [
    {"Sid": "A", "Effect": "Deny", "Principal": {"AWS": ["111122223333",
      "arn:aws:iam::111122223333:user/a"]}, "NotAction": "s3:Delete*",
     "Resource": "arn:aws:s3:::b/${aws:username, 'x''y'}/${*}*",
     "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", 1, true]},
                   "IpAddress": {"aws:SourceIp": "2001:db8::/32"},
                   "DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00+01:00"},
                   "BinaryEquals": {"k": "YWJj"}, "Null": {"n": "false"}}}]})";
  const char kReplacements[] = {'"', '{', '}', '[', ']', ':', ',', '$', '*', '\\', 'x', '\0'};
  int parsed = 0;
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string deleted = doc;
    deleted.erase(i, 1);
    auto p = ParsePolicy(deleted, ParseOptions{.kind = PolicyKind::kBucket});
    if (p.ok())
      ++parsed;
    else
      EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    for (char c : kReplacements) {
      std::string changed = doc;
      changed[i] = c;
      auto q = ParsePolicy(changed, ParseOptions{.kind = PolicyKind::kBucket});
      if (q.ok())
        ++parsed;
      else
        EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
  EXPECT_GT(parsed, 0);  // some mutations (inside strings) stay valid
  EXPECT_TRUE(ParsePolicy(doc, ParseOptions{.kind = PolicyKind::kBucket}).ok());
}

TEST(ParserTest, DeeplyNestedJsonIsRejectedNotCrashed) {
  std::string doc = R"({"Statement": )" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_FALSE(ParsePolicy(doc, ParseOptions{.max_size_bytes = 1 << 20}).ok());
}

}  // namespace
}  // namespace sb::policy::eval
