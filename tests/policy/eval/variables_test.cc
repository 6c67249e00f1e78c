// Policy variables end to end: Resource and condition values, escapes, defaults, versions and
// the keys AddGlobalContextKeys derives.
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "policy/eval/evaluator.h"
#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::AnonymousRequest;
using testing::Eval;
using testing::MustParse;
using testing::RootRequest;
using testing::UserRequest;

constexpr char kHomeFolder[] = R"({"Version": "2012-10-17", "Statement": {
  "Effect": "Allow", "Action": "s3:*",
  "Resource": "arn:aws:s3:::home/${aws:username}/*"}})";

TEST(VariablesTest, ResourceVariableUsesTheRequestersName) {
  Policy p = MustParse(kHomeFolder);
  EvalRequest alice = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::home/alice/a.txt");
  AddGlobalContextKeys(alice, absl::UnixEpoch());
  EXPECT_TRUE(Eval(alice, {&p}).allowed);
  alice.resource = "arn:aws:s3:::home/bob/a.txt";
  EXPECT_FALSE(Eval(alice, {&p}).allowed);
}

TEST(VariablesTest, MissingKeyMakesTheResourceNotMatch) {
  Policy p = MustParse(kHomeFolder);
  // Without AddGlobalContextKeys there is no aws:username.
  EvalRequest alice = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::home/alice/a.txt");
  EXPECT_FALSE(Eval(alice, {&p}).allowed);
  // Root has no aws:username either (AWS sets it for IAM users only), but root is allowed
  // regardless; an explicit identity policy of a role-like principal is not.
  EvalRequest role = UserRequest("ignored", "s3:GetObject", "arn:aws:s3:::home//a.txt");
  role.principal_arn = "arn:aws:sts::111122223333:assumed-role/r/session";
  AddGlobalContextKeys(role, absl::UnixEpoch());
  EXPECT_EQ(role.context.count("aws:username"), 0u);
  EXPECT_FALSE(Eval(role, {&p}).allowed);
}

TEST(VariablesTest, Version2008TreatsVariablesAsText) {
  Policy p = MustParse(R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}})");
  EvalRequest alice = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::home/alice/a.txt");
  AddGlobalContextKeys(alice, absl::UnixEpoch());
  EXPECT_FALSE(Eval(alice, {&p}).allowed);
  alice.resource = "arn:aws:s3:::home/${aws:username}/a.txt";
  EXPECT_TRUE(Eval(alice, {&p}).allowed);
}

TEST(VariablesTest, EscapesInResource) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/literal${*}star${?}q${$}d"}})");
  EvalRequest r = UserRequest("u", "s3:GetObject", "arn:aws:s3:::b/literal*star?q$d");
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.resource = "arn:aws:s3:::b/literalXXstarYq$d";
  EXPECT_FALSE(Eval(r, {&p}).allowed);
}

TEST(VariablesTest, DefaultValueInResource) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*"}})");
  EvalRequest r = UserRequest("u", "s3:GetObject", "arn:aws:s3:::b/company-wide/x");
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context["aws:PrincipalTag/team"] = {"red"};
  EXPECT_FALSE(Eval(r, {&p}).allowed);
  r.resource = "arn:aws:s3:::b/red/x";
  EXPECT_TRUE(Eval(r, {&p}).allowed);
}

TEST(VariablesTest, AnyContextKeyCanBeAVariable) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
    "Condition": {"StringEquals": {"s3:prefix": "${aws:SourceIp}/${aws:PrincipalType}/"}}}})");
  EvalRequest r = UserRequest("u", "s3:ListBucket", "arn:aws:s3:::b");
  AddGlobalContextKeys(r, absl::UnixEpoch());
  r.context["aws:SourceIp"] = {"192.0.2.1"};
  r.context["s3:prefix"] = {"192.0.2.1/User/"};
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  r.context["s3:prefix"] = {"192.0.2.1/Account/"};
  EXPECT_FALSE(Eval(r, {&p}).allowed);
}

TEST(GlobalKeysTest, UserKeys) {
  EvalRequest r = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k");
  r.user_id = "AIDAEXAMPLE";
  r.context["aws:username"] = {"mallory"};  // overwritten: identity comes from auth
  absl::Time now = absl::FromCivil(absl::CivilSecond(2024, 5, 1, 12, 0, 0), absl::UTCTimeZone());
  AddGlobalContextKeys(r, now);
  EXPECT_EQ(r.context["aws:username"], std::vector<std::string>{"alice"});
  EXPECT_EQ(r.context["aws:userid"], std::vector<std::string>{"AIDAEXAMPLE"});
  EXPECT_EQ(r.context["aws:PrincipalType"], std::vector<std::string>{"User"});
  EXPECT_EQ(r.context["aws:PrincipalArn"],
            std::vector<std::string>{"arn:aws:iam::111122223333:user/alice"});
  EXPECT_EQ(r.context["aws:PrincipalAccount"], std::vector<std::string>{"111122223333"});
  EXPECT_EQ(r.context["aws:CurrentTime"], std::vector<std::string>{"2024-05-01T12:00:00Z"});
  EXPECT_EQ(r.context["aws:EpochTime"], std::vector<std::string>{"1714564800"});
}

TEST(GlobalKeysTest, RootAnonymousAndRoleKeys) {
  EvalRequest root = RootRequest("s3:GetObject", "arn:aws:s3:::b/k");
  AddGlobalContextKeys(root, absl::UnixEpoch());
  EXPECT_EQ(root.context["aws:PrincipalType"], std::vector<std::string>{"Account"});
  EXPECT_EQ(root.context["aws:userid"], std::vector<std::string>{"111122223333"});
  EXPECT_EQ(root.context.count("aws:username"), 0u);

  EvalRequest anon = AnonymousRequest("s3:GetObject", "arn:aws:s3:::b/k");
  anon.context["aws:PrincipalArn"] = {"arn:aws:iam::111122223333:root"};  // spoof attempt
  AddGlobalContextKeys(anon, absl::UnixEpoch());
  EXPECT_EQ(anon.context["aws:PrincipalType"], std::vector<std::string>{"Anonymous"});
  EXPECT_EQ(anon.context["aws:userid"], std::vector<std::string>{"anonymous"});
  EXPECT_EQ(anon.context.count("aws:PrincipalArn"), 0u);

  EvalRequest role = UserRequest("", "s3:GetObject", "arn:aws:s3:::b/k");
  role.principal_arn = "arn:aws:sts::111122223333:assumed-role/reader/s1";
  AddGlobalContextKeys(role, absl::UnixEpoch());
  EXPECT_EQ(role.context["aws:PrincipalType"], std::vector<std::string>{"AssumedRole"});
}

}  // namespace
}  // namespace sb::policy::eval
