// Service accounts and STS sessions in the IamStore: kinds and id prefixes, per-kind limits,
// expiry (refused at lookup, expired sessions purged by later creations), the session token
// hash, and what survives a restart.
#include <openssl/sha.h>

#include <string>

#include "policy/iam/iam_store.h"
#include "tests/policy/iam/iam_test_util.h"

namespace sb::policy::iam {
namespace {

using ::testing::HasSubstr;
using testing_util::IsOk;
using testing_util::kReadOnlyPolicy;
using testing_util::StatusIs;

std::string Sha256(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return std::string(reinterpret_cast<const char*>(d), sizeof(d));
}

class SessionsTest : public testing_util::IamStoreTest {
 protected:
  void SetUp() override {
    IamStoreTest::SetUp();
    ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  }
};

TEST_F(SessionsTest, ServiceAccountsHaveTheirOwnKindPrefixAndLimit) {
  AccessKeyOptions options;
  options.kind = KeyKind::kServiceAccount;
  options.policy = kReadOnlyPolicy;
  auto sa = iam_->CreateAccessKey("alice", options);
  ASSERT_THAT(sa, IsOk());
  EXPECT_TRUE(sa->info.access_key_id.starts_with("SBSA"));
  EXPECT_EQ(sa->info.kind, KeyKind::kServiceAccount);
  auto identity = iam_->LookupAccessKey(sa->info.access_key_id);
  ASSERT_THAT(identity, IsOk());
  EXPECT_EQ(identity->kind, KeyKind::kServiceAccount);
  EXPECT_NE(identity->key_policy, nullptr);
  EXPECT_TRUE(identity->session_token_sha256.empty());

  // Service accounts do not use up the user's access-key slots.
  for (size_t i = 0; i < kMaxAccessKeysPerUser; ++i)
    ASSERT_THAT(iam_->CreateAccessKey("alice"), IsOk());
  EXPECT_THAT(iam_->CreateAccessKey("alice"),
              StatusIs(absl::StatusCode::kResourceExhausted, ErrorReason::kLimitExceeded));
  EXPECT_THAT(iam_->CreateAccessKey("alice", options), IsOk());
  auto listed = iam_->ListAccessKeys("alice");
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), kMaxAccessKeysPerUser + 2);
}

TEST_F(SessionsTest, ExpiringServiceAccountIsRefusedAfterItsExpiryAndSurvivesRestart) {
  AccessKeyOptions options;
  options.kind = KeyKind::kServiceAccount;
  options.expires = clock_.Now() + absl::Hours(1);
  auto sa = iam_->CreateAccessKey("alice", options);
  ASSERT_THAT(sa, IsOk());
  ASSERT_THAT(Reopen(), IsOk());
  auto info = iam_->GetAccessKey(sa->info.access_key_id);
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->first.kind, KeyKind::kServiceAccount);
  EXPECT_EQ(info->first.expires, options.expires);
  EXPECT_THAT(iam_->LookupAccessKey(sa->info.access_key_id), IsOk());
  clock_.Advance(absl::Hours(1));
  EXPECT_THAT(iam_->LookupAccessKey(sa->info.access_key_id),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));

  options.expires = clock_.Now();  // not in the future
  EXPECT_THAT(iam_->CreateAccessKey("alice", options),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  options.kind = KeyKind::kSession;  // sessions only through CreateSession
  options.expires.reset();
  EXPECT_THAT(iam_->CreateAccessKey("alice", options),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(SessionsTest, SessionCarriesTokenHashPolicyAndExpiry) {
  auto session = iam_->CreateSession("alice", kReadOnlyPolicy, absl::Minutes(15));
  ASSERT_THAT(session, IsOk());
  EXPECT_TRUE(session->info.access_key_id.starts_with("SBST"));
  EXPECT_TRUE(session->session_token.starts_with("SBSESSION"));
  EXPECT_EQ(session->session_token.size(), 9u + 64u);
  EXPECT_EQ(session->info.expires, clock_.Now() + absl::Minutes(15));

  auto identity = iam_->LookupAccessKey(session->info.access_key_id);
  ASSERT_THAT(identity, IsOk());
  EXPECT_EQ(identity->kind, KeyKind::kSession);
  EXPECT_EQ(identity->user, "alice");
  EXPECT_EQ(identity->secret_access_key, session->secret_access_key);
  EXPECT_EQ(identity->session_token_sha256, Sha256(session->session_token));
  EXPECT_NE(identity->key_policy, nullptr);

  // Sessions are not listed with the user's keys, and survive a restart.
  auto listed = iam_->ListAccessKeys("alice");
  ASSERT_THAT(listed, IsOk());
  EXPECT_TRUE(listed->empty());
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(session->info.access_key_id), IsOk());

  clock_.Advance(absl::Minutes(15));
  EXPECT_THAT(iam_->LookupAccessKey(session->info.access_key_id),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kExpiredToken));
}

TEST_F(SessionsTest, SessionPolicyIsValidatedAndUnknownUsersRefused) {
  EXPECT_THAT(iam_->CreateSession("alice", "{not json", absl::Hours(1)),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy));
  EXPECT_THAT(iam_->CreateSession("nobody", "", absl::Hours(1)),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->CreateSession("alice", "", absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  auto unrestricted = iam_->CreateSession("alice", "", absl::Hours(1));
  ASSERT_THAT(unrestricted, IsOk());
  auto identity = iam_->LookupAccessKey(unrestricted->info.access_key_id);
  ASSERT_THAT(identity, IsOk());
  EXPECT_EQ(identity->key_policy, nullptr);
}

TEST_F(SessionsTest, DisablingOrDeletingTheUserEndsItsSessions) {
  auto session = iam_->CreateSession("alice", "", absl::Hours(1));
  ASSERT_THAT(session, IsOk());
  ASSERT_THAT(iam_->SetUserEnabled("alice", false), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(session->info.access_key_id),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  ASSERT_THAT(iam_->SetUserEnabled("alice", true), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(session->info.access_key_id), IsOk());
  ASSERT_THAT(iam_->DeleteUser("alice"), IsOk());
  EXPECT_THAT(iam_->GetAccessKey(session->info.access_key_id),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(SessionsTest, ExpiredSessionsArePurgedByLaterCreations) {
  ASSERT_THAT(iam_->CreateUser("bob"), IsOk());
  auto old_alice = iam_->CreateSession("alice", "", absl::Minutes(15));
  auto old_bob = iam_->CreateSession("bob", "", absl::Minutes(15));
  ASSERT_THAT(old_alice, IsOk());
  ASSERT_THAT(old_bob, IsOk());
  clock_.Advance(absl::Minutes(16));
  ASSERT_THAT(iam_->CreateSession("alice", "", absl::Minutes(15)), IsOk());
  EXPECT_THAT(iam_->GetAccessKey(old_alice->info.access_key_id),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->GetAccessKey(old_bob->info.access_key_id),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  ASSERT_THAT(Reopen(), IsOk());  // the purge was durable
  EXPECT_THAT(iam_->GetAccessKey(old_bob->info.access_key_id),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(SessionsTest, LiveSessionsPerUserAreLimited) {
  for (size_t i = 0; i < kMaxSessionsPerUser; ++i) {
    ASSERT_THAT(iam_->CreateSession("alice", "", absl::Hours(1)), IsOk());
  }
  auto over = iam_->CreateSession("alice", "", absl::Hours(1));
  EXPECT_THAT(over, StatusIs(absl::StatusCode::kResourceExhausted, ErrorReason::kLimitExceeded));
  EXPECT_THAT(over.status().message(), HasSubstr("sessions"));
}

}  // namespace
}  // namespace sb::policy::iam
