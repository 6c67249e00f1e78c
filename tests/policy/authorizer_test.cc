// Authorizer over a real IamStore and bucket policies in a real metadata store: identity
// policies (own and group), bucket policies (anonymous grants, explicit deny beating root),
// condition keys from the request and from the principal, admin actions for root only, and
// the names that end up in the audit record.
#include "policy/authorizer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "policy/bucket_policy.h"
#include "tests/policy/iam/iam_test_util.h"

namespace sb::policy {
namespace {

using iam::testing_util::IsOk;
using iam::testing_util::kReadOnlyPolicy;
using iam::testing_util::StatusIs;
using ::testing::HasSubstr;

class IamAuthorizerTest : public iam::testing_util::IamStoreTest {
 protected:
  void SetUp() override {
    IamStoreTest::SetUp();
    cache_ = std::make_unique<BucketPolicyCache>(*meta_);
    authz_ = std::make_unique<Authorizer>(iam_.get(), cache_.get(), &clock_);
    metadata::BucketRecord bucket;
    bucket.set_name("data");
    bucket.set_owner("root");
    ASSERT_THAT(meta_->CreateBucket(bucket), IsOk());
    ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
    alice_.anonymous = false;
    alice_.user = "alice";
    alice_.user_id = iam_->GetUser("alice")->user_id;
    root_.anonymous = false;
    root_.is_root = true;
    root_.user = "root";
  }

  void SetBucketPolicy(const std::string& doc) {
    ASSERT_THAT(ParseBucketPolicy(doc), IsOk());
    ASSERT_THAT(meta_->UpdateBucket("data",
                                    [&](metadata::BucketRecord& r) {
                                      r.set_policy(doc);
                                      return absl::OkStatus();
                                    }),
                IsOk());
  }

  Decision Decide(const Principal& p, std::string_view action, std::string_view resource,
                  eval::ContextMap context = {}) {
    AuthzRequest request;
    request.principal = &p;
    request.action = action;
    request.resource = resource;
    request.bucket = "data";
    request.context = std::move(context);
    auto d = authz_->Authorize(request);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? *d : Decision{};
  }

  std::unique_ptr<BucketPolicyCache> cache_;
  std::unique_ptr<Authorizer> authz_;
  Principal alice_;
  Principal root_;
  Principal anonymous_;
};

TEST_F(IamAuthorizerTest, UserNeedsAnAttachedPolicy) {
  Decision d = Decide(alice_, "s3:GetObject", "arn:aws:s3:::data/a.txt");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, "implicit-deny");

  ASSERT_THAT(iam_->PutPolicy("read-data", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "read-data"), IsOk());
  d = Decide(alice_, "s3:GetObject", "arn:aws:s3:::data/a.txt");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, "policy:read-data#Read");
  EXPECT_EQ(d.policy_id, "read-data");
  EXPECT_EQ(d.statement_id, "Read");
  EXPECT_FALSE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/a.txt").allowed);
  EXPECT_FALSE(Decide(alice_, "s3:GetObject", "arn:aws:s3:::other/a.txt").allowed);

  // Detaching takes effect on the next decision.
  ASSERT_THAT(iam_->DetachUserPolicy("alice", "read-data"), IsOk());
  EXPECT_FALSE(Decide(alice_, "s3:GetObject", "arn:aws:s3:::data/a.txt").allowed);
}

TEST_F(IamAuthorizerTest, GroupPoliciesApplyToMembers) {
  ASSERT_THAT(iam_->PutPolicy("anything", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"),
              IsOk());
  ASSERT_THAT(iam_->CreateGroup("admins"), IsOk());
  ASSERT_THAT(iam_->AttachGroupPolicy("admins", "anything"), IsOk());
  EXPECT_FALSE(Decide(alice_, "s3:DeleteObject", "arn:aws:s3:::data/x").allowed);
  ASSERT_THAT(iam_->AddUserToGroup("admins", "alice"), IsOk());
  Decision d = Decide(alice_, "s3:DeleteObject", "arn:aws:s3:::data/x");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, "policy:anything#0");  // no Sid: the statement index
}

TEST_F(IamAuthorizerTest, AdminActionsAreForRootOnly) {
  ASSERT_THAT(iam_->PutPolicy("everything", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"*","Resource":"*"}]})"),
              IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "everything"), IsOk());
  Decision d = authz_->Authorize(alice_, "admin:CreateUser", "arn:aws:s3:::*");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, "admin-requires-root");
  EXPECT_TRUE(authz_->Authorize(root_, "admin:CreateUser", "arn:aws:s3:::*").allowed);
  EXPECT_FALSE(authz_->Authorize(anonymous_, "admin:ServerInfo", "arn:aws:s3:::*").allowed);
}

TEST_F(IamAuthorizerTest, PrometheusIsTheOneAdminActionPoliciesMayGrant) {
  EXPECT_TRUE(authz_->Authorize(root_, "admin:Prometheus", "arn:aws:s3:::*").allowed);
  EXPECT_FALSE(authz_->Authorize(anonymous_, "admin:Prometheus", "arn:aws:s3:::*").allowed);
  Decision d = authz_->Authorize(alice_, "admin:Prometheus", "arn:aws:s3:::*");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, "implicit-deny");
  ASSERT_THAT(iam_->PutPolicy("scrape", R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Scrape","Effect":"Allow","Action":"admin:Prometheus","Resource":"*"}]})"),
              IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "scrape"), IsOk());
  d = authz_->Authorize(alice_, "admin:Prometheus", "arn:aws:s3:::*");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, "policy:scrape#Scrape");
  // The grant does not reach any other admin action.
  EXPECT_FALSE(authz_->Authorize(alice_, "admin:ServerInfo", "arn:aws:s3:::*").allowed);
}

TEST_F(IamAuthorizerTest, BucketPolicyGrantsAnonymousReadsOfAPrefixOnly) {
  EXPECT_FALSE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/public/a").allowed);
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::data/public/*"}]})");
  Decision d = Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/public/a");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, "bucket-policy:data#PublicRead");
  EXPECT_EQ(d.policy_id, "bucket-policy:data");
  EXPECT_FALSE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/private/a").allowed);
  EXPECT_FALSE(Decide(anonymous_, "s3:PutObject", "arn:aws:s3:::data/public/a").allowed);
  // Removing the policy takes effect on the next decision.
  ASSERT_THAT(meta_->UpdateBucket("data",
                                  [](metadata::BucketRecord& r) {
                                    r.clear_policy();
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_FALSE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/public/a").allowed);
}

TEST_F(IamAuthorizerTest, RestrictPublicBucketsDropsAPublicPolicyForAnonymousCallersOnly) {
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::data/*"}]})");
  ASSERT_TRUE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  auto set_restrict = [&](bool on) {
    ASSERT_THAT(
        meta_->UpdateBucket("data",
                            [&](metadata::BucketRecord& r) {
                              r.mutable_public_access_block()->set_restrict_public_buckets(on);
                              return absl::OkStatus();
                            }),
        IsOk());
  };
  set_restrict(true);
  EXPECT_FALSE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  // The account's own users keep the policy's grants.
  EXPECT_TRUE(Decide(alice_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  // A policy that is not public is untouched.
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},
       "Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]})");
  EXPECT_TRUE(Decide(alice_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  set_restrict(false);
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::data/*"}]})");
  EXPECT_TRUE(Decide(anonymous_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
}

TEST_F(IamAuthorizerTest, ExplicitDenyInTheBucketPolicyBindsRootToo) {
  EXPECT_EQ(Decide(root_, "s3:DeleteObject", "arn:aws:s3:::data/locked/a").decided_by, "root");
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",
       "Resource":"arn:aws:s3:::data/locked/*"}]})");
  Decision d = Decide(root_, "s3:DeleteObject", "arn:aws:s3:::data/locked/a");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, "bucket-policy:data#NoDeletes");
  EXPECT_TRUE(Decide(root_, "s3:DeleteObject", "arn:aws:s3:::data/open/a").allowed);
}

TEST_F(IamAuthorizerTest, RootCanAlwaysManageTheBucketPolicy) {
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*",
       "Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"]}]})");
  EXPECT_FALSE(Decide(root_, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  for (const char* action : {"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}) {
    EXPECT_TRUE(Decide(root_, action, "arn:aws:s3:::data").allowed) << action;
  }
  ASSERT_THAT(iam_->PutPolicy("all", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"),
              IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "all"), IsOk());
  EXPECT_FALSE(Decide(alice_, "s3:DeleteBucketPolicy", "arn:aws:s3:::data").allowed);
}

TEST_F(IamAuthorizerTest, BucketPolicyCanNameAUser) {
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},
       "Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"}]})");
  EXPECT_EQ(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/a").decided_by,
            "bucket-policy:data#Alice");
  ASSERT_THAT(iam_->CreateUser("bob"), IsOk());
  Principal bob = alice_;
  bob.user = "bob";
  EXPECT_FALSE(Decide(bob, "s3:PutObject", "arn:aws:s3:::data/a").allowed);
}

TEST_F(IamAuthorizerTest, ConditionsSeeRequestAndPrincipalKeys) {
  // A home folder by ${aws:username}, listing only with the matching s3:prefix, and only
  // from 10.0.0.0/8.
  ASSERT_THAT(iam_->PutPolicy("home", R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Objects","Effect":"Allow","Action":"s3:*",
       "Resource":"arn:aws:s3:::data/home/${aws:username}/*",
       "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
      {"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::data",
       "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}]})"),
              IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "home"), IsOk());
  eval::ContextMap inside{{"aws:SourceIp", {"10.1.2.3"}}};
  eval::ContextMap outside{{"aws:SourceIp", {"192.168.1.1"}}};
  EXPECT_TRUE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/home/alice/f", inside).allowed);
  EXPECT_FALSE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/home/alice/f", outside).allowed);
  EXPECT_FALSE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/home/bob/f", inside).allowed);
  EXPECT_TRUE(
      Decide(alice_, "s3:ListBucket", "arn:aws:s3:::data", {{"s3:prefix", {"home/alice/docs/"}}})
          .allowed);
  EXPECT_FALSE(
      Decide(alice_, "s3:ListBucket", "arn:aws:s3:::data", {{"s3:prefix", {"home/"}}}).allowed);
  EXPECT_FALSE(Decide(alice_, "s3:ListBucket", "arn:aws:s3:::data").allowed);
  // The principal keys are the Authorizer's, not the client's.
  EXPECT_FALSE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/home/bob/f",
                      {{"aws:SourceIp", {"10.1.2.3"}}, {"aws:username", {"bob"}}})
                   .allowed);
}

TEST_F(IamAuthorizerTest, ExistingObjectTagsAreLookedUpOnlyWhenAPolicyReadsThem) {
  int lookups = 0;
  auto tagged = [&lookups](std::string value) {
    return [&lookups, value]() -> absl::StatusOr<std::vector<std::pair<std::string, std::string>>> {
      ++lookups;
      if (value.empty()) return absl::NotFoundError("no such key");
      return std::vector<std::pair<std::string, std::string>>{{"class", value}};
    };
  };
  auto decide = [&](const Principal& p, std::string value) {
    AuthzRequest request;
    request.principal = &p;
    request.action = "s3:GetObject";
    request.resource = "arn:aws:s3:::data/a.txt";
    request.bucket = "data";
    request.existing_object_tags = tagged(std::move(value));
    absl::StatusOr<Decision> d = authz_->Authorize(request);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? d->allowed : false;
  };
  ASSERT_THAT(iam_->PutPolicy("read-data", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "read-data"), IsOk());
  EXPECT_TRUE(decide(alice_, "secret"));
  EXPECT_EQ(lookups, 0);  // no policy in play reads s3:ExistingObjectTag

  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[{"Sid":"NoSecrets","Effect":"Deny",
      "Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*",
      "Condition":{"StringEquals":{"s3:ExistingObjectTag/class":"secret"}}}]})");
  EXPECT_FALSE(decide(alice_, "secret"));
  EXPECT_FALSE(decide(root_, "secret"));  // an explicit deny binds root too
  EXPECT_TRUE(decide(alice_, "public"));
  EXPECT_TRUE(decide(alice_, ""));  // no such object: no tags, the deny does not apply
  EXPECT_EQ(lookups, 4);

  AuthzRequest failing;
  failing.principal = &alice_;
  failing.action = "s3:GetObject";
  failing.resource = "arn:aws:s3:::data/a.txt";
  failing.bucket = "data";
  failing.existing_object_tags =
      []() -> absl::StatusOr<std::vector<std::pair<std::string, std::string>>> {
    return absl::UnavailableError("metadata down");
  };
  EXPECT_EQ(authz_->Authorize(failing).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(IamAuthorizerTest, ARestrictedKeyNeedsItsOwnPolicyToAllowToo) {
  ASSERT_THAT(iam_->PutPolicy("all", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:*","Resource":"*"}]})"),
              IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "all"), IsOk());
  iam::AccessKeyOptions options;
  options.policy = R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
      {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data/secret/*"}]})";
  auto key = iam_->CreateAccessKey("alice", options);
  ASSERT_THAT(key, IsOk());
  Principal restricted = alice_;
  restricted.access_key = key->info.access_key_id;
  restricted.key_policy = iam_->LookupAccessKey(key->info.access_key_id)->key_policy;

  EXPECT_EQ(Decide(restricted, "s3:GetObject", "arn:aws:s3:::data/a").decided_by, "policy:all#0");
  Decision put = Decide(restricted, "s3:PutObject", "arn:aws:s3:::data/a");
  EXPECT_FALSE(put.allowed);  // the user may, the key may not
  EXPECT_EQ(put.decided_by, "implicit-deny");
  Decision secret = Decide(restricted, "s3:GetObject", "arn:aws:s3:::data/secret/a");
  EXPECT_FALSE(secret.allowed);
  EXPECT_EQ(secret.decided_by, "access-key-policy:" + key->info.access_key_id + "#NoSecrets");
  // The key policy never grants on its own.
  ASSERT_THAT(iam_->DetachUserPolicy("alice", "all"), IsOk());
  EXPECT_FALSE(Decide(restricted, "s3:GetObject", "arn:aws:s3:::data/a").allowed);
  // The same user with an unrestricted key is bounded by its policies only.
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "all"), IsOk());
  EXPECT_TRUE(Decide(alice_, "s3:PutObject", "arn:aws:s3:::data/a").allowed);
}

TEST_F(IamAuthorizerTest, SimulateExplainsWithPolicyNames) {
  ASSERT_THAT(iam_->PutPolicy("read-data", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "read-data"), IsOk());
  SetBucketPolicy(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"DenyTmp","Effect":"Deny","Principal":"*","Action":"s3:*",
       "Resource":"arn:aws:s3:::data/tmp/*"}]})");
  AuthzRequest request;
  request.principal = &alice_;
  request.action = "s3:GetObject";
  request.resource = "arn:aws:s3:::data/tmp/x";
  request.bucket = "data";
  auto sim = authz_->Simulate(request);
  ASSERT_THAT(sim, IsOk());
  EXPECT_FALSE(sim->decision.allowed);
  EXPECT_EQ(sim->decision.decided_by, "bucket-policy:data#DenyTmp");
  EXPECT_EQ(sim->explanation.decision.kind, eval::DecisionKind::kExplicitDeny);
  EXPECT_EQ(sim->identity_policies, std::vector<std::string>{"read-data"});
  EXPECT_TRUE(sim->has_bucket_policy);
  EXPECT_EQ(sim->explanation.statements.size(), 2u);
  EXPECT_THAT(eval::ExplanationToJson(sim->explanation), HasSubstr("\"sid\":\"DenyTmp\""));
}

TEST_F(IamAuthorizerTest, UnparsableStoredBucketPolicyFailsClosed) {
  ASSERT_THAT(meta_->UpdateBucket("data",
                                  [](metadata::BucketRecord& r) {
                                    r.set_policy("{not a policy");
                                    return absl::OkStatus();
                                  }),
              IsOk());
  AuthzRequest request;
  request.principal = &root_;
  request.action = "s3:GetObject";
  request.resource = "arn:aws:s3:::data/x";
  request.bucket = "data";
  EXPECT_THAT(authz_->Authorize(request),
              StatusIs(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted));
  // Root can still replace or delete it.
  request.action = "s3:DeleteBucketPolicy";
  EXPECT_THAT(authz_->Authorize(request), IsOk());
  request.action = "s3:GetObject";
  // No bucket: no bucket policy, no error.
  request.bucket = "nonexistent";
  EXPECT_THAT(authz_->Authorize(request), IsOk());
}

TEST(BucketPolicyParseTest, MalformedDocumentsAreMalformedPolicy) {
  for (const char* bad : {"", "[]", R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})"}) {
    EXPECT_THAT(ParseBucketPolicy(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy))
        << bad;
  }
}

TEST(BucketPolicyParseTest, PublicMeansEveryoneWithoutAPinningCondition) {
  auto is_public = [](const char* statement) {
    absl::StatusOr<eval::Policy> p = ParseBucketPolicy(
        absl::StrCat(R"({"Version":"2012-10-17","Statement":[)", statement, "]}"));
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() && IsPublicPolicy(*p);
  };
  EXPECT_TRUE(is_public(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*"})"));
  EXPECT_TRUE(is_public(R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:Referer":"x*"}}})"));
  EXPECT_TRUE(is_public(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}})"));
  EXPECT_FALSE(is_public(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})"));
  EXPECT_FALSE(is_public(R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*"})"));
  EXPECT_FALSE(is_public(R"({"Effect":"Allow",
      "Principal":{"AWS":"arn:aws:iam::000000000000:user/a"},"Action":"s3:GetObject",
      "Resource":"arn:aws:s3:::b/*"})"));
}

}  // namespace
}  // namespace sb::policy
