#include "policy/eval/evaluator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::AnonymousRequest;
using testing::Eval;
using testing::MustParse;
using testing::MustParseBucket;
using testing::RootRequest;
using testing::UserRequest;

constexpr char kAllowAllS3[] = R"({"Version": "2012-10-17", "Id": "full",
  "Statement": {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}})";

TEST(EvaluatorTest, ImplicitDenyWithoutPolicies) {
  Decision d = Eval(UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k"), {});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.kind, DecisionKind::kImplicitDeny);
  EXPECT_EQ(d.source, PolicySource::kNone);
  EXPECT_EQ(d.statement_index, -1);
  EXPECT_EQ(d.ToString(), "implicit deny: no statement allows this request");
}

TEST(EvaluatorTest, IdentityAllowReportsTheStatement) {
  Policy other = MustParse(R"({"Statement": {"Effect": "Allow", "Action": "s3:PutObject",
    "Resource": "*"}})");
  Policy full = MustParse(kAllowAllS3);
  Decision d = Eval(UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k"), {&other, &full});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.kind, DecisionKind::kAllow);
  EXPECT_EQ(d.source, PolicySource::kIdentity);
  EXPECT_EQ(d.policy_index, 1);
  EXPECT_EQ(d.policy_id, "full");
  EXPECT_EQ(d.statement_index, 0);
  EXPECT_EQ(d.sid, "All");
  EXPECT_EQ(d.ToString(), "allow by identity policy #1 (Id \"full\") statement 0 (Sid \"All\")");
}

TEST(EvaluatorTest, ActionMatchingIsCaseInsensitiveAndWildcarded) {
  Policy p = MustParse(R"({"Statement": {"Effect": "Allow", "Action": ["S3:get*", "s3:List?ucket"],
    "Resource": "*"}})");
  EXPECT_TRUE(Eval(UserRequest("a", "s3:GetObject", "arn:aws:s3:::b/k"), {&p}).allowed);
  EXPECT_TRUE(Eval(UserRequest("a", "s3:GETOBJECTACL", "arn:aws:s3:::b/k"), {&p}).allowed);
  EXPECT_TRUE(Eval(UserRequest("a", "s3:ListBucket", "arn:aws:s3:::b"), {&p}).allowed);
  EXPECT_FALSE(Eval(UserRequest("a", "s3:PutObject", "arn:aws:s3:::b/k"), {&p}).allowed);
  EXPECT_FALSE(Eval(UserRequest("a", "iam:GetUser", "arn:aws:s3:::b/k"), {&p}).allowed);
}

TEST(EvaluatorTest, ExplicitDenyWinsInEveryCombination) {
  Policy allow = MustParse(kAllowAllS3);
  Policy deny_identity = MustParse(R"({"Statement": {"Sid": "NoDelete", "Effect": "Deny",
    "Action": "s3:DeleteObject", "Resource": "*"}})");
  Policy bucket_allow = MustParseBucket(R"({"Statement": {"Effect": "Allow", "Principal": "*",
    "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}})");
  Policy bucket_deny = MustParseBucket(R"({"Id": "bp", "Statement": [{"Effect": "Allow",
    "Principal": "*", "Action": "s3:*", "Resource": "*"}, {"Sid": "Lock", "Effect": "Deny",
    "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}]})");
  Policy session_deny = MustParse(R"({"Statement": [{"Effect": "Allow", "Action": "*",
    "Resource": "*"}, {"Sid": "S", "Effect": "Deny", "Action": "s3:Delete*",
    "Resource": "*"}]})",
                                  PolicyKind::kSession);
  EvalRequest del = UserRequest("alice", "s3:DeleteObject", "arn:aws:s3:::b/k");

  Decision d = Eval(del, {&allow, &deny_identity}, &bucket_allow);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.source, PolicySource::kIdentity);
  EXPECT_EQ(d.policy_index, 1);
  EXPECT_EQ(d.sid, "NoDelete");

  d = Eval(del, {&allow}, &bucket_deny);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.source, PolicySource::kBucket);
  EXPECT_EQ(d.policy_id, "bp");
  EXPECT_EQ(d.statement_index, 1);
  EXPECT_EQ(d.sid, "Lock");
  EXPECT_EQ(d.ToString(), "explicit deny by bucket policy (Id \"bp\") statement 1 (Sid \"Lock\")");

  d = Eval(del, {&allow}, &bucket_allow, {&session_deny});
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.source, PolicySource::kSession);
  EXPECT_EQ(d.statement_index, 1);

  // The first deny in evaluation order (identity, bucket, session) is the one reported.
  d = Eval(del, {&deny_identity}, &bucket_deny, {&session_deny});
  EXPECT_EQ(d.source, PolicySource::kIdentity);

  // Root is denied by an explicit deny too.
  d = Eval(RootRequest("s3:DeleteObject", "arn:aws:s3:::b/k"), {}, &bucket_deny);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_FALSE(d.allowed);
}

TEST(EvaluatorTest, RootIsAllowedUnlessDenied) {
  Decision d = Eval(RootRequest("s3:PutBucketPolicy", "arn:aws:s3:::b"), {});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kRoot);
  EXPECT_EQ(d.ToString(), "allow: account root");
}

TEST(EvaluatorTest, BucketPolicyPrincipals) {
  Policy bp = MustParseBucket(R"({"Statement": [
    {"Sid": "Alice", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/logs/*"}]})");
  Decision d = Eval(UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kBucket);
  EXPECT_EQ(d.sid, "Alice");
  EXPECT_FALSE(Eval(UserRequest("bob", "s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp).allowed);
  EXPECT_FALSE(Eval(AnonymousRequest("s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp).allowed);
  // An account principal delegates to the account: its users still need their own allow...
  EXPECT_FALSE(Eval(UserRequest("bob", "s3:PutObject", "arn:aws:s3:::b/k"), {}, &bp).allowed);
  // ...while the account's root matches it directly.
  EvalRequest root = RootRequest("s3:PutObject", "arn:aws:s3:::b/k");
  root.resource_account = "444455556666";  // cross-account: root needs the bucket's allow
  d = Eval(root, {}, &bp);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.sid, "Account");
  EvalRequest svc;
  svc.service = "logging.s3.amazonaws.com";
  svc.action = "s3:PutObject";
  svc.resource = "arn:aws:s3:::b/logs/2024-05-01";
  EXPECT_TRUE(Eval(svc, {}, &bp).allowed);
  svc.resource = "arn:aws:s3:::b/other";
  EXPECT_FALSE(Eval(svc, {}, &bp).allowed);
}

TEST(EvaluatorTest, AccountPrincipalDenyCoversItsUsers) {
  Policy bp = MustParseBucket(R"({"Statement": {"Effect": "Deny",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*",
    "Resource": "*"}})");
  Policy allow = MustParse(kAllowAllS3);
  Decision d = Eval(UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k"), {&allow}, &bp);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
}

TEST(EvaluatorTest, AnonymousOnlyThroughBucketPolicy) {
  Policy bp = MustParseBucket(R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"},
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public/*"}})");
  Policy identity = MustParse(kAllowAllS3);
  EXPECT_TRUE(Eval(AnonymousRequest("s3:GetObject", "arn:aws:s3:::public/x"), {}, &bp).allowed);
  EXPECT_FALSE(Eval(AnonymousRequest("s3:PutObject", "arn:aws:s3:::public/x"), {}, &bp).allowed);
  EXPECT_FALSE(Eval(AnonymousRequest("s3:GetObject", "arn:aws:s3:::private/x"), {}, &bp).allowed);
  // Identity policies can never grant anything to an anonymous caller.
  EXPECT_FALSE(
      Eval(AnonymousRequest("s3:GetObject", "arn:aws:s3:::private/x"), {&identity}).allowed);
}

TEST(EvaluatorTest, CrossAccountNeedsBothSides) {
  Policy identity = MustParse(kAllowAllS3);
  Policy bp = MustParseBucket(R"({"Statement": {"Sid": "Partner", "Effect": "Allow",
    "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "*"}})");
  EvalRequest r = UserRequest("carol", "s3:GetObject", "arn:aws:s3:::b/k");
  r.account = "444455556666";
  r.principal_arn = "arn:aws:iam::444455556666:user/carol";
  r.resource_account = "111122223333";
  Decision d = Eval(r, {&identity}, &bp);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kBucket);
  EXPECT_EQ(d.sid, "Partner");
  d = Eval(r, {}, &bp);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kIdentity);
  d = Eval(r, {&identity}, nullptr);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kBucket);
  // Same account: the identity allow alone is enough.
  r.resource_account = "444455556666";
  EXPECT_TRUE(Eval(r, {&identity}, nullptr).allowed);
}

TEST(EvaluatorTest, SessionPolicyMustAlsoAllow) {
  Policy identity = MustParse(kAllowAllS3);
  Policy session = MustParse(R"({"Id": "sess", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}})",
                             PolicyKind::kSession);
  EvalRequest get = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k");
  EvalRequest put = UserRequest("alice", "s3:PutObject", "arn:aws:s3:::b/k");
  Decision d = Eval(get, {&identity}, nullptr, {&session});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.source, PolicySource::kIdentity);  // the grant, not the filter
  d = Eval(put, {&identity}, nullptr, {&session});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.kind, DecisionKind::kImplicitDeny);
  EXPECT_EQ(d.source, PolicySource::kSession);
  // A session policy alone grants nothing.
  EXPECT_FALSE(Eval(get, {}, nullptr, {&session}).allowed);
  // Null entries are skipped; a list of only nulls is "no session policy".
  EXPECT_TRUE(Eval(put, {&identity, nullptr}, nullptr, {nullptr}).allowed);
}

TEST(EvaluatorTest, NotActionAndNotResource) {
  Policy p = MustParse(R"({"Statement": [
    {"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::mine", "arn:aws:s3:::mine/*"]}]})");
  EXPECT_TRUE(Eval(UserRequest("a", "s3:GetObject", "arn:aws:s3:::mine/k"), {&p}).allowed);
  EXPECT_FALSE(Eval(UserRequest("a", "s3:DeleteObject", "arn:aws:s3:::mine/k"), {&p}).allowed);
  Decision d = Eval(UserRequest("a", "s3:GetObject", "arn:aws:s3:::theirs/k"), {&p});
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.statement_index, 1);
}

TEST(EvaluatorTest, NotPrincipalDeny) {
  // Deny everyone except the admin user (the account root is listed too, as AWS advises).
  Policy bp = MustParseBucket(R"({"Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "OnlyAdmin", "Effect": "Deny", "NotPrincipal": {"AWS": [
      "arn:aws:iam::111122223333:user/admin", "arn:aws:iam::111122223333:root"]},
     "Action": "s3:*", "Resource": "*"}]})");
  EXPECT_TRUE(Eval(UserRequest("admin", "s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp).allowed);
  EXPECT_TRUE(Eval(RootRequest("s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp).allowed);
  Decision d = Eval(UserRequest("bob", "s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp);
  EXPECT_EQ(d.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(d.sid, "OnlyAdmin");
  EXPECT_EQ(Eval(AnonymousRequest("s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp).kind,
            DecisionKind::kExplicitDeny);
}

TEST(EvaluatorTest, ConditionsAreAndedAcrossOperatorsAndKeys) {
  Policy p = MustParse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "*", "Condition": {
      "Bool": {"aws:SecureTransport": "true"},
      "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24"]},
      "StringEquals": {"s3:ExistingObjectTag/team": "blue", "aws:PrincipalTag/dept": "eng"}}}})");
  EvalRequest r = UserRequest("a", "s3:GetObject", "arn:aws:s3:::b/k");
  r.context = testing::Ctx({{"aws:SecureTransport", {"true"}},
                            {"aws:SourceIp", {"192.0.2.9"}},
                            {"s3:ExistingObjectTag/team", {"blue"}},
                            {"aws:PrincipalTag/dept", {"eng"}}});
  EXPECT_TRUE(Eval(r, {&p}).allowed);
  for (const char* key : {"aws:SecureTransport", "aws:SourceIp", "s3:ExistingObjectTag/team",
                          "aws:PrincipalTag/dept"}) {
    EvalRequest missing = r;
    missing.context.erase(key);
    EXPECT_FALSE(Eval(missing, {&p}).allowed) << key;
  }
  r.context["aws:SourceIp"] = {"172.16.0.1"};
  EXPECT_FALSE(Eval(r, {&p}).allowed);
}

TEST(ExplainTest, TracesEveryStatementAndAgreesWithEvaluate) {
  Policy identity = MustParse(R"({"Version": "2012-10-17", "Id": "id1", "Statement": [
    {"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"},
                   "StringLike": {"s3:prefix": "x*"}}},
    {"Sid": "Put", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]})");
  Policy bp = MustParseBucket(R"({"Statement": {"Sid": "Bob", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:*",
    "Resource": "*"}})");
  EvalRequest r = UserRequest("alice", "s3:GetObject", "arn:aws:s3:::b/k");
  r.context["aws:SecureTransport"] = {"true"};
  Explanation e = Explain(r, {&identity}, &bp, {});
  Decision d = Evaluate(r, {&identity}, &bp, {});
  EXPECT_EQ(e.decision.allowed, d.allowed);
  EXPECT_EQ(e.decision.kind, d.kind);
  EXPECT_FALSE(e.decision.allowed);
  ASSERT_EQ(e.statements.size(), 3u);

  const StatementTrace& get = e.statements[0];
  EXPECT_EQ(get.source, PolicySource::kIdentity);
  EXPECT_EQ(get.policy_id, "id1");
  EXPECT_EQ(get.sid, "Get");
  EXPECT_TRUE(get.action_matched);
  EXPECT_TRUE(get.resource_matched);
  EXPECT_EQ(get.principal, PrincipalMatch::kNotApplicable);
  ASSERT_EQ(get.conditions.size(), 2u);
  EXPECT_EQ(get.conditions[0].op, "Bool");
  EXPECT_TRUE(get.conditions[0].key_present);
  EXPECT_TRUE(get.conditions[0].result);
  EXPECT_EQ(get.conditions[1].key, "s3:prefix");
  EXPECT_FALSE(get.conditions[1].key_present);
  EXPECT_FALSE(get.conditions[1].result);
  EXPECT_FALSE(get.conditions_matched);
  EXPECT_FALSE(get.applies);

  EXPECT_FALSE(e.statements[1].action_matched);
  EXPECT_EQ(e.statements[2].source, PolicySource::kBucket);
  EXPECT_EQ(e.statements[2].principal, PrincipalMatch::kNo);
  EXPECT_TRUE(e.statements[2].action_matched);

  r.context["s3:prefix"] = {"xyz"};
  e = Explain(r, {&identity}, &bp, {});
  EXPECT_TRUE(e.decision.allowed);
  EXPECT_EQ(e.decision.sid, "Get");
  EXPECT_TRUE(e.statements[0].applies);
}

TEST(ExplainTest, AccountDelegationIsVisible) {
  Policy bp = MustParseBucket(R"({"Statement": {"Effect": "Allow",
    "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}})");
  Explanation e = Explain(UserRequest("bob", "s3:GetObject", "arn:aws:s3:::b/k"), {}, &bp, {});
  EXPECT_FALSE(e.decision.allowed);  // delegation alone grants a user nothing
  EXPECT_EQ(e.decision.kind, DecisionKind::kImplicitDeny);
  ASSERT_EQ(e.statements.size(), 1u);
  EXPECT_EQ(e.statements[0].principal, PrincipalMatch::kAccount);
  EXPECT_TRUE(e.statements[0].applies);
  EXPECT_EQ(PrincipalMatchName(e.statements[0].principal), "account");
}

TEST(ExplainTest, ExplicitDenyStillTracesEverything) {
  Policy deny = MustParse(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})");
  Policy later = MustParse(kAllowAllS3);
  Explanation e =
      Explain(UserRequest("a", "s3:GetObject", "arn:aws:s3:::b/k"), {&deny, &later}, nullptr, {});
  EXPECT_EQ(e.decision.kind, DecisionKind::kExplicitDeny);
  EXPECT_EQ(e.decision.statement_index, 0);
  EXPECT_EQ(e.statements.size(), 3u);
  for (const StatementTrace& t : e.statements) EXPECT_TRUE(t.applies);
}

TEST(ExplainTest, JsonRendering) {
  Policy p = MustParse(R"({"Statement": {"Sid": "S", "Effect": "Allow", "Action": "s3:*",
    "Resource": "*", "Condition": {"Null": {"aws:TokenIssueTime": "true"}}}})");
  Explanation e = Explain(UserRequest("a", "s3:GetObject", "arn:aws:s3:::b/k"), {&p}, nullptr, {});
  boost::json::value v = boost::json::parse(ExplanationToJson(e));
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("decision").at("allowed").as_bool(), true);
  EXPECT_EQ(o.at("decision").at("kind").as_string(), "Allow");
  EXPECT_EQ(o.at("decision").at("source").as_string(), "identity");
  EXPECT_EQ(o.at("decision").at("sid").as_string(), "S");
  const auto& st = o.at("statements").as_array().at(0).as_object();
  EXPECT_EQ(st.at("effect").as_string(), "Allow");
  EXPECT_EQ(st.at("principal").as_string(), "n/a");
  EXPECT_EQ(st.at("conditions").as_array().at(0).at("operator").as_string(), "Null");
  EXPECT_EQ(st.at("conditions").as_array().at(0).at("result").as_bool(), true);
  EXPECT_EQ(st.at("applies").as_bool(), true);
}

}  // namespace
}  // namespace sb::policy::eval
