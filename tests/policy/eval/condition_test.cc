#include "policy/eval/condition.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::Ctx;

// Evaluates `op` on `key` with policy `values` against `ctx` (variables enabled).
bool Check(std::string_view op, std::string_view key, std::vector<std::string> values,
           const ContextMap& ctx) {
  auto c = Condition::Create(op, key, std::move(values), /*variables=*/true);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() && c->Evaluate(ctx);
}

std::string CreateError(std::string_view op, std::vector<std::string> values) {
  auto c = Condition::Create(op, "k", std::move(values), true);
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : std::string(c.status().message());
}

const ContextMap kEmpty;

TEST(OperatorTest, ParsesQualifiersAndSuffix) {
  auto s = ParseOperator("ForAnyValue:StringLikeIfExists");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->op, ConditionOp::kStringLike);
  EXPECT_EQ(s->qualifier, SetQualifier::kForAnyValue);
  EXPECT_TRUE(s->if_exists);
  s = ParseOperator("ForAllValues:StringNotEquals");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->qualifier, SetQualifier::kForAllValues);
  EXPECT_FALSE(s->if_exists);
  EXPECT_TRUE(IsNegated(s->op));
  s = ParseOperator("numericlessthanequals");  // names are case-insensitive
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->op, ConditionOp::kNumericLessThanEquals);
  EXPECT_EQ(OperatorName(ConditionOp::kArnNotLike), "ArnNotLike");
}

TEST(OperatorTest, RejectsUnknownAndInvalidCombinations) {
  for (const char* bad :
       {"StringEqual", "IfExists", "ForAnyValue:", "ForSomeValues:StringLike",
        "StringLikeIfExistsIfExists", "NullIfExists", "ForAllValues:Null", "Bool:IfExists", ""}) {
    auto s = ParseOperator(bad);
    EXPECT_FALSE(s.ok()) << bad;
  }
  EXPECT_NE(ParseOperator("StringEqual").status().message().find("unknown condition operator"),
            absl::string_view::npos);
  EXPECT_NE(ParseOperator("NullIfExists").status().message().find("IfExists"),
            absl::string_view::npos);
}

TEST(ConditionTest, RejectsValuesOfTheWrongType) {
  EXPECT_NE(CreateError("NumericLessThan", {"ten"}).find("is not a number"), std::string::npos);
  EXPECT_NE(CreateError("DateGreaterThan", {"tomorrow"}).find("ISO 8601"), std::string::npos);
  EXPECT_NE(CreateError("Bool", {"yes"}).find("\"true\" or \"false\""), std::string::npos);
  EXPECT_NE(CreateError("Null", {"1"}).find("\"true\" or \"false\""), std::string::npos);
  EXPECT_NE(CreateError("BinaryEquals", {"!!!"}).find("base64"), std::string::npos);
  EXPECT_NE(CreateError("IpAddress", {"10.0.0.0/33"}).find("CIDR"), std::string::npos);
  EXPECT_NE(CreateError("StringEquals", {}).find("empty value list"), std::string::npos);
  EXPECT_NE(CreateError("StringLike", {"${oops"}).find("malformed policy variable"),
            std::string::npos);
  EXPECT_FALSE(Condition::Create("StringEquals", "", {"x"}, true).ok());
}

TEST(StringOperatorsTest, EqualsAndNotEquals) {
  ContextMap ctx = Ctx({{"aws:username", {"john"}}});
  EXPECT_TRUE(Check("StringEquals", "aws:username", {"john"}, ctx));
  EXPECT_FALSE(Check("StringEquals", "aws:username", {"John"}, ctx));        // case-sensitive
  EXPECT_TRUE(Check("StringEquals", "aws:username", {"bob", "john"}, ctx));  // values OR'ed
  EXPECT_FALSE(Check("StringEquals", "aws:username", {"jo*"}, ctx));         // no wildcards
  EXPECT_FALSE(Check("StringNotEquals", "aws:username", {"john"}, ctx));
  EXPECT_TRUE(Check("StringNotEquals", "aws:username", {"bob"}, ctx));
  // Negated with several values: true only if the request matches none of them.
  EXPECT_FALSE(Check("StringNotEquals", "aws:username", {"bob", "john"}, ctx));
}

TEST(StringOperatorsTest, KeyNamesAreCaseInsensitive) {
  ContextMap ctx = Ctx({{"AWS:SourceVpc", {"vpc-1"}}});
  EXPECT_TRUE(Check("StringEquals", "aws:sourcevpc", {"vpc-1"}, ctx));
  EXPECT_TRUE(Check("StringEquals", "Aws:SOURCEVPC", {"vpc-1"}, ctx));
}

TEST(StringOperatorsTest, IgnoreCase) {
  ContextMap ctx = Ctx({{"s3:x-amz-acl", {"Public-Read"}}});
  EXPECT_TRUE(Check("StringEqualsIgnoreCase", "s3:x-amz-acl", {"public-read"}, ctx));
  EXPECT_FALSE(Check("StringNotEqualsIgnoreCase", "s3:x-amz-acl", {"PUBLIC-READ"}, ctx));
  EXPECT_TRUE(Check("StringNotEqualsIgnoreCase", "s3:x-amz-acl", {"private"}, ctx));
}

TEST(StringOperatorsTest, LikeAndNotLike) {
  ContextMap ctx = Ctx({{"s3:prefix", {"home/alice/docs/"}}});
  EXPECT_TRUE(Check("StringLike", "s3:prefix", {"home/alice/*"}, ctx));
  EXPECT_TRUE(Check("StringLike", "s3:prefix", {"home/?lice/*"}, ctx));
  EXPECT_FALSE(Check("StringLike", "s3:prefix", {"home/bob/*"}, ctx));
  EXPECT_TRUE(Check("StringNotLike", "s3:prefix", {"home/bob/*"}, ctx));
  EXPECT_FALSE(Check("StringNotLike", "s3:prefix", {"home/bob/*", "home/*"}, ctx));
}

TEST(StringOperatorsTest, MissingKeyAndIfExists) {
  EXPECT_FALSE(Check("StringEquals", "aws:username", {"john"}, kEmpty));
  EXPECT_TRUE(Check("StringNotEquals", "aws:username", {"john"}, kEmpty));  // AWS: negated → true
  EXPECT_FALSE(Check("StringLike", "k", {"*"}, kEmpty));  // even "*" needs the key
  EXPECT_TRUE(Check("StringNotLike", "k", {"*"}, kEmpty));
  EXPECT_TRUE(Check("StringEqualsIfExists", "aws:username", {"john"}, kEmpty));
  EXPECT_TRUE(Check("StringNotEqualsIfExists", "aws:username", {"john"}, kEmpty));
  ContextMap bob = Ctx({{"aws:username", {"bob"}}});
  EXPECT_FALSE(Check("StringEqualsIfExists", "aws:username", {"john"}, bob));
  EXPECT_TRUE(Check("StringNotEqualsIfExists", "aws:username", {"john"}, bob));
  ContextMap empty_values = Ctx({{"aws:username", {}}});  // empty == absent
  EXPECT_FALSE(Check("StringEquals", "aws:username", {""}, empty_values));
  ContextMap empty_string = Ctx({{"aws:username", {""}}});
  EXPECT_TRUE(Check("StringEquals", "aws:username", {""}, empty_string));
}

TEST(NumericOperatorsTest, AllComparisons) {
  ContextMap ctx = Ctx({{"s3:max-keys", {"10"}}});
  EXPECT_TRUE(Check("NumericEquals", "s3:max-keys", {"10"}, ctx));
  EXPECT_TRUE(Check("NumericEquals", "s3:max-keys", {"10.0"}, ctx));
  EXPECT_FALSE(Check("NumericEquals", "s3:max-keys", {"11"}, ctx));
  EXPECT_TRUE(Check("NumericNotEquals", "s3:max-keys", {"11"}, ctx));
  EXPECT_FALSE(Check("NumericNotEquals", "s3:max-keys", {"10"}, ctx));
  EXPECT_TRUE(Check("NumericLessThan", "s3:max-keys", {"11"}, ctx));
  EXPECT_FALSE(Check("NumericLessThan", "s3:max-keys", {"10"}, ctx));
  EXPECT_TRUE(Check("NumericLessThanEquals", "s3:max-keys", {"10"}, ctx));
  EXPECT_FALSE(Check("NumericLessThanEquals", "s3:max-keys", {"9.5"}, ctx));
  EXPECT_TRUE(Check("NumericGreaterThan", "s3:max-keys", {"9"}, ctx));
  EXPECT_FALSE(Check("NumericGreaterThan", "s3:max-keys", {"10"}, ctx));
  EXPECT_TRUE(Check("NumericGreaterThanEquals", "s3:max-keys", {"10"}, ctx));
  EXPECT_FALSE(Check("NumericGreaterThanEquals", "s3:max-keys", {"10.5"}, ctx));
  EXPECT_TRUE(Check("NumericLessThan", "s3:max-keys", {"5", "20"}, ctx));  // OR
}

TEST(NumericOperatorsTest, MissingUnparsableAndIfExists) {
  EXPECT_FALSE(Check("NumericLessThan", "s3:max-keys", {"10"}, kEmpty));
  EXPECT_TRUE(Check("NumericNotEquals", "s3:max-keys", {"10"}, kEmpty));
  EXPECT_TRUE(Check("NumericLessThanIfExists", "s3:max-keys", {"10"}, kEmpty));
  ContextMap garbage = Ctx({{"s3:max-keys", {"lots"}}});
  EXPECT_FALSE(Check("NumericLessThan", "s3:max-keys", {"10"}, garbage));
  EXPECT_FALSE(Check("NumericLessThanIfExists", "s3:max-keys", {"10"}, garbage));
}

TEST(DateOperatorsTest, IsoAndEpochOnBothSides) {
  ContextMap ctx = Ctx({{"aws:CurrentTime", {"2020-04-01T00:00:00Z"}},
                        {"aws:EpochTime", {"1585699200"}}});  // same instant
  EXPECT_TRUE(Check("DateEquals", "aws:CurrentTime", {"2020-04-01T00:00:00Z"}, ctx));
  EXPECT_TRUE(Check("DateEquals", "aws:CurrentTime", {"1585699200"}, ctx));
  EXPECT_TRUE(Check("DateEquals", "aws:EpochTime", {"2020-04-01T02:00:00+02:00"}, ctx));
  EXPECT_FALSE(Check("DateNotEquals", "aws:CurrentTime", {"2020-04-01"}, ctx));
  EXPECT_TRUE(Check("DateNotEquals", "aws:CurrentTime", {"2020-04-02"}, ctx));
  EXPECT_TRUE(Check("DateLessThan", "aws:CurrentTime", {"2020-04-01T00:00:01Z"}, ctx));
  EXPECT_FALSE(Check("DateLessThan", "aws:CurrentTime", {"2020-04-01T00:00:00Z"}, ctx));
  EXPECT_TRUE(Check("DateLessThanEquals", "aws:CurrentTime", {"2020-04-01T00:00:00Z"}, ctx));
  EXPECT_TRUE(Check("DateGreaterThan", "aws:CurrentTime", {"2020-03-31T23:59:59Z"}, ctx));
  EXPECT_FALSE(Check("DateGreaterThan", "aws:CurrentTime", {"2020-04-01T00:00:00Z"}, ctx));
  EXPECT_TRUE(Check("DateGreaterThanEquals", "aws:EpochTime", {"1585699200"}, ctx));
  EXPECT_FALSE(Check("DateGreaterThanEquals", "aws:EpochTime", {"1585699201"}, ctx));
}

TEST(DateOperatorsTest, MissingAndIfExists) {
  EXPECT_FALSE(Check("DateLessThan", "aws:TokenIssueTime", {"2020-01-01"}, kEmpty));
  EXPECT_TRUE(Check("DateNotEquals", "aws:TokenIssueTime", {"2020-01-01"}, kEmpty));
  EXPECT_TRUE(Check("DateLessThanIfExists", "aws:TokenIssueTime", {"2020-01-01"}, kEmpty));
  ContextMap bad = Ctx({{"aws:TokenIssueTime", {"not a date"}}});
  EXPECT_FALSE(Check("DateLessThan", "aws:TokenIssueTime", {"2020-01-01"}, bad));
}

TEST(BoolOperatorTest, TrueFalseMissing) {
  ContextMap https = Ctx({{"aws:SecureTransport", {"true"}}});
  ContextMap http = Ctx({{"aws:SecureTransport", {"false"}}});
  EXPECT_TRUE(Check("Bool", "aws:SecureTransport", {"true"}, https));
  EXPECT_FALSE(Check("Bool", "aws:SecureTransport", {"true"}, http));
  EXPECT_TRUE(Check("Bool", "aws:SecureTransport", {"false"}, http));
  EXPECT_TRUE(Check("Bool", "aws:SecureTransport", {"FALSE"}, http));
  EXPECT_FALSE(Check("Bool", "aws:SecureTransport", {"false"}, kEmpty));
  EXPECT_TRUE(Check("BoolIfExists", "aws:MultiFactorAuthPresent", {"false"}, kEmpty));
  ContextMap junk = Ctx({{"aws:SecureTransport", {"maybe"}}});
  EXPECT_FALSE(Check("Bool", "aws:SecureTransport", {"true"}, junk));
  EXPECT_FALSE(Check("Bool", "aws:SecureTransport", {"false"}, junk));
}

TEST(BinaryOperatorTest, ComparesDecodedBytes) {
  ContextMap ctx = Ctx({{"k",
                         {std::string("\x00\xff"
                                      "ab",
                                      4)}}});
  EXPECT_TRUE(Check("BinaryEquals", "k", {"AP9hYg=="}, ctx));
  EXPECT_FALSE(Check("BinaryEquals", "k", {"AP9hYw=="}, ctx));
  EXPECT_FALSE(Check("BinaryEquals", "k", {"AP9hYg=="}, kEmpty));
  EXPECT_TRUE(Check("BinaryEqualsIfExists", "k", {"AP9hYg=="}, kEmpty));
}

TEST(IpOperatorsTest, V4V6AndNegation) {
  ContextMap v4 = Ctx({{"aws:SourceIp", {"203.0.113.7"}}});
  ContextMap v6 = Ctx({{"aws:SourceIp", {"2001:db8:1234:5678::99"}}});
  std::vector<std::string> ranges = {"203.0.113.0/24", "2001:DB8:1234:5678::/64"};
  EXPECT_TRUE(Check("IpAddress", "aws:SourceIp", ranges, v4));
  EXPECT_TRUE(Check("IpAddress", "aws:SourceIp", ranges, v6));
  EXPECT_FALSE(Check("NotIpAddress", "aws:SourceIp", ranges, v4));
  EXPECT_FALSE(Check("IpAddress", "aws:SourceIp", {"198.51.100.0/24"}, v4));
  EXPECT_TRUE(Check("NotIpAddress", "aws:SourceIp", {"198.51.100.0/24"}, v4));
  EXPECT_TRUE(Check("IpAddress", "aws:SourceIp", {"203.0.113.7"}, v4));  // bare address
  EXPECT_FALSE(Check("IpAddress", "aws:SourceIp", ranges, kEmpty));
  EXPECT_TRUE(Check("NotIpAddress", "aws:SourceIp", ranges, kEmpty));
  EXPECT_TRUE(Check("IpAddressIfExists", "aws:SourceIp", ranges, kEmpty));
  ContextMap junk = Ctx({{"aws:SourceIp", {"localhost"}}});
  EXPECT_FALSE(Check("IpAddress", "aws:SourceIp", ranges, junk));
}

TEST(ArnOperatorsTest, LikeEqualsAndNegations) {
  ContextMap ctx = Ctx({{"aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:topic"}}});
  EXPECT_TRUE(
      Check("ArnEquals", "aws:SourceArn", {"arn:aws:sns:us-east-1:111122223333:topic"}, ctx));
  EXPECT_TRUE(Check("ArnLike", "aws:SourceArn", {"arn:aws:sns:*:111122223333:*"}, ctx));
  EXPECT_TRUE(Check("ArnEquals", "aws:SourceArn", {"arn:aws:sns:*:111122223333:*"}, ctx));
  EXPECT_FALSE(Check("ArnLike", "aws:SourceArn", {"arn:aws:sqs:*:111122223333:*"}, ctx));
  EXPECT_FALSE(Check("ArnLike", "aws:SourceArn", {"arn:aws:sns:*:4444:*"}, ctx));
  EXPECT_TRUE(Check("ArnNotLike", "aws:SourceArn", {"arn:aws:sqs:*"}, ctx));
  EXPECT_FALSE(Check("ArnNotEquals", "aws:SourceArn", {"arn:aws:sns:*"}, ctx));
  EXPECT_FALSE(Check("ArnLike", "aws:SourceArn", {"arn:aws:sns:*"}, kEmpty));
  EXPECT_TRUE(Check("ArnNotLike", "aws:SourceArn", {"arn:aws:sns:*"}, kEmpty));
  EXPECT_TRUE(Check("ArnLikeIfExists", "aws:SourceArn", {"arn:aws:sns:*"}, kEmpty));
}

TEST(NullOperatorTest, TestsPresence) {
  ContextMap present = Ctx({{"s3:x-amz-server-side-encryption", {"AES256"}}});
  EXPECT_TRUE(Check("Null", "s3:x-amz-server-side-encryption", {"true"}, kEmpty));
  EXPECT_FALSE(Check("Null", "s3:x-amz-server-side-encryption", {"true"}, present));
  EXPECT_TRUE(Check("Null", "s3:x-amz-server-side-encryption", {"false"}, present));
  EXPECT_FALSE(Check("Null", "s3:x-amz-server-side-encryption", {"false"}, kEmpty));
  ContextMap blank = Ctx({{"k", {}}});
  EXPECT_TRUE(Check("Null", "k", {"true"}, blank));
}

// IAM "Single-valued vs. multivalued context keys": aws:TagKeys style sets.
TEST(SetQualifierTest, ForAllValues) {
  ContextMap tags = Ctx({{"aws:TagKeys", {"environment", "cost-center"}}});
  std::vector<std::string> allowed = {"environment", "cost-center", "owner"};
  EXPECT_TRUE(Check("ForAllValues:StringEquals", "aws:TagKeys", allowed, tags));
  EXPECT_FALSE(Check("ForAllValues:StringEquals", "aws:TagKeys", {"environment"}, tags));
  EXPECT_TRUE(Check("ForAllValues:StringLike", "aws:TagKeys", {"env*", "cost-*"}, tags));
  // A missing key makes ForAllValues vacuously true; IfExists does not change that.
  EXPECT_TRUE(Check("ForAllValues:StringEquals", "aws:TagKeys", allowed, kEmpty));
  EXPECT_TRUE(Check("ForAllValues:StringEqualsIfExists", "aws:TagKeys", allowed, kEmpty));
  // Negated: every request value must match none of the policy values.
  EXPECT_TRUE(Check("ForAllValues:StringNotEquals", "aws:TagKeys", {"owner"}, tags));
  EXPECT_FALSE(Check("ForAllValues:StringNotEquals", "aws:TagKeys", {"environment"}, tags));
  EXPECT_TRUE(Check("ForAllValues:StringNotEquals", "aws:TagKeys", {"owner"}, kEmpty));
}

TEST(SetQualifierTest, ForAnyValue) {
  ContextMap tags = Ctx({{"aws:TagKeys", {"environment", "cost-center"}}});
  EXPECT_TRUE(Check("ForAnyValue:StringEquals", "aws:TagKeys", {"cost-center", "x"}, tags));
  EXPECT_FALSE(Check("ForAnyValue:StringEquals", "aws:TagKeys", {"owner"}, tags));
  // A missing key makes ForAnyValue false, negated or not; IfExists makes it true.
  EXPECT_FALSE(Check("ForAnyValue:StringEquals", "aws:TagKeys", {"owner"}, kEmpty));
  EXPECT_FALSE(Check("ForAnyValue:StringNotEquals", "aws:TagKeys", {"owner"}, kEmpty));
  EXPECT_TRUE(Check("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", {"owner"}, kEmpty));
  // Negated: at least one request value matches none of the policy values.
  EXPECT_TRUE(Check("ForAnyValue:StringNotEquals", "aws:TagKeys", {"environment"}, tags));
  EXPECT_FALSE(
      Check("ForAnyValue:StringNotEquals", "aws:TagKeys", {"environment", "cost-center"}, tags));
}

TEST(SetQualifierTest, OtherTypesWork) {
  ContextMap ips = Ctx({{"k", {"10.0.0.1", "192.0.2.1"}}});
  EXPECT_TRUE(Check("ForAnyValue:IpAddress", "k", {"10.0.0.0/8"}, ips));
  EXPECT_FALSE(Check("ForAllValues:IpAddress", "k", {"10.0.0.0/8"}, ips));
  ContextMap nums = Ctx({{"k", {"1", "2", "3"}}});
  EXPECT_TRUE(Check("ForAllValues:NumericLessThan", "k", {"4"}, nums));
  EXPECT_FALSE(Check("ForAllValues:NumericLessThan", "k", {"3"}, nums));
  EXPECT_TRUE(Check("ForAnyValue:NumericGreaterThan", "k", {"2"}, nums));
}

TEST(SetQualifierTest, UnqualifiedMultivaluedKeyUsesAnyValueForPositiveOperators) {
  ContextMap tags = Ctx({{"aws:TagKeys", {"a", "b"}}});
  EXPECT_TRUE(Check("StringEquals", "aws:TagKeys", {"b"}, tags));
  EXPECT_FALSE(Check("StringEquals", "aws:TagKeys", {"c"}, tags));
  // ...and stays the exact negation for negated operators.
  EXPECT_FALSE(Check("StringNotEquals", "aws:TagKeys", {"b"}, tags));
  EXPECT_TRUE(Check("StringNotEquals", "aws:TagKeys", {"c"}, tags));
}

// A valid policy value and a matching request value for each operator family.
struct Sample {
  ConditionOp op;
  std::string policy_value;
  std::string request_value;  // matches policy_value under the positive form
};

std::vector<Sample> AllOperatorSamples() {
  std::vector<Sample> out;
  for (int i = 0; i <= static_cast<int>(ConditionOp::kNull); ++i) {
    auto op = static_cast<ConditionOp>(i);
    std::string_view name = OperatorName(op);
    Sample s{op, "abc", "abc"};
    if (name.starts_with("Numeric")) s = {op, "5", "5"};
    if (name.starts_with("Date")) s = {op, "2020-01-01T00:00:00Z", "1577836800"};
    if (name == "Bool" || name == "Null") s = {op, "true", "true"};
    if (name == "BinaryEquals") s = {op, "YWJj", "abc"};
    if (name.find("IpAddress") != std::string_view::npos) s = {op, "10.0.0.0/8", "10.1.1.1"};
    if (name.starts_with("Arn")) s = {op, "arn:aws:s3:::b/*", "arn:aws:s3:::b/k"};
    // Ordering operators: make the sample satisfy the comparison.
    if (name.ends_with("LessThan"))
      s.policy_value = s.op == ConditionOp::kNumericLessThan ? "6" : "2020-01-01T00:00:01Z";
    if (name.ends_with("GreaterThan"))
      s.policy_value = s.op == ConditionOp::kNumericGreaterThan ? "4" : "2019-12-31T23:59:59Z";
    out.push_back(s);
  }
  return out;
}

TEST(EveryOperatorTest, PresentMissingIfExistsAndQualifiers) {
  for (const Sample& s : AllOperatorSamples()) {
    const std::string name(OperatorName(s.op));
    SCOPED_TRACE(name);
    const bool negated = IsNegated(s.op);
    ContextMap present = Ctx({{"k", {s.request_value}}});
    if (s.op == ConditionOp::kNull) {
      EXPECT_FALSE(Check(name, "k", {"true"}, present));
      EXPECT_TRUE(Check(name, "k", {"true"}, kEmpty));
      continue;
    }
    // The request value satisfies the positive form, so a negated operator is false.
    EXPECT_EQ(Check(name, "k", {s.policy_value}, present), !negated);
    EXPECT_EQ(Check(name + "IfExists", "k", {s.policy_value}, present), !negated);
    // Missing key: plain → negated; IfExists → true; ForAllValues → true; ForAnyValue → false.
    EXPECT_EQ(Check(name, "k", {s.policy_value}, kEmpty), negated);
    EXPECT_TRUE(Check(name + "IfExists", "k", {s.policy_value}, kEmpty));
    EXPECT_TRUE(Check("ForAllValues:" + name, "k", {s.policy_value}, kEmpty));
    EXPECT_FALSE(Check("ForAnyValue:" + name, "k", {s.policy_value}, kEmpty));
    EXPECT_TRUE(Check("ForAnyValue:" + name + "IfExists", "k", {s.policy_value}, kEmpty));
    // Present key through the qualifiers.
    EXPECT_EQ(Check("ForAllValues:" + name, "k", {s.policy_value}, present), !negated);
    EXPECT_EQ(Check("ForAnyValue:" + name, "k", {s.policy_value}, present), !negated);
  }
}

TEST(ConditionTest, VariablesInValues) {
  ContextMap ctx = Ctx({{"aws:username", {"alice"}}, {"s3:prefix", {"home/alice/"}}});
  EXPECT_TRUE(Check("StringLike", "s3:prefix", {"home/${aws:username}/*"}, ctx));
  EXPECT_TRUE(Check("StringEquals", "s3:prefix", {"home/${aws:username}/"}, ctx));
  ContextMap no_user = Ctx({{"s3:prefix", {"home/alice/"}}});
  EXPECT_FALSE(Check("StringLike", "s3:prefix", {"home/${aws:username}/*"}, no_user));
  // An unresolvable value matches nothing, so its negation holds.
  EXPECT_TRUE(Check("StringNotLike", "s3:prefix", {"home/${aws:username}/*"}, no_user));
  auto literal = Condition::Create("StringEquals", "s3:prefix", {"${aws:username}"}, false);
  ASSERT_TRUE(literal.ok());
  EXPECT_TRUE(literal->Evaluate(Ctx({{"s3:prefix", {"${aws:username}"}}})));
}

}  // namespace
}  // namespace sb::policy::eval
