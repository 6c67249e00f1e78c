// IamStore on a real RocksDB metadata store: users, access keys, groups and managed
// policies; what survives a restart; secrets sealed at rest under the KMS root key; changes
// visible to the next lookup; last-used throttling.
#include "policy/iam/iam_store.h"

#include <string>
#include <thread>
#include <vector>

#include "tests/policy/iam/iam_test_util.h"

namespace sb::policy::iam {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_util::IsOk;
using testing_util::kReadOnlyPolicy;
using testing_util::kWritePolicy;
using testing_util::StatusIs;

class UsersAndKeysTest : public testing_util::IamStoreTest {};

TEST_F(UsersAndKeysTest, CreatesListsAndValidatesUsers) {
  auto alice = iam_->CreateUser("alice");
  ASSERT_THAT(alice, IsOk());
  EXPECT_TRUE(alice->enabled);
  EXPECT_TRUE(alice->user_id.starts_with("AIDA"));
  EXPECT_EQ(alice->user_id.size(), 21u);
  EXPECT_EQ(alice->created, clock_.Now());
  ASSERT_THAT(iam_->CreateUser("bob.smith@example.com"), IsOk());

  EXPECT_THAT(iam_->CreateUser("alice"),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kEntityAlreadyExists));
  // IAM names are unique regardless of case.
  EXPECT_THAT(iam_->CreateUser("ALICE"),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kEntityAlreadyExists));
  for (const std::string& bad :
       std::vector<std::string>{"", "has space", "slash/", "root", "Root", std::string(65, 'a')}) {
    EXPECT_THAT(iam_->CreateUser(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument))
        << bad;
  }
  EXPECT_THAT(iam_->CreateUser(std::string(64, 'a')), IsOk());

  std::vector<std::string> names;
  for (const UserInfo& u : iam_->ListUsers()) names.push_back(u.name);
  EXPECT_THAT(names, ElementsAre(std::string(64, 'a'), "alice", "bob.smith@example.com"));
  EXPECT_THAT(iam_->GetUser("nobody"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(UsersAndKeysTest, AccessKeyAuthenticatesItsUserUntilDeleted) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  auto key = iam_->CreateAccessKey("alice");
  ASSERT_THAT(key, IsOk());
  EXPECT_TRUE(key->info.access_key_id.starts_with("SBAK"));
  EXPECT_EQ(key->info.access_key_id.size(), 20u);
  EXPECT_EQ(key->secret_access_key.size(), 40u);
  EXPECT_EQ(key->info.status, KeyStatus::kActive);
  EXPECT_FALSE(key->info.last_used.has_value());

  auto identity = iam_->LookupAccessKey(key->info.access_key_id);
  ASSERT_THAT(identity, IsOk());
  EXPECT_EQ(identity->user, "alice");
  EXPECT_EQ(identity->secret_access_key, key->secret_access_key);
  EXPECT_EQ(identity->user_id, iam_->GetUser("alice")->user_id);

  ASSERT_THAT(iam_->DeleteAccessKey(key->info.access_key_id), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(key->info.access_key_id),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  EXPECT_THAT(iam_->DeleteAccessKey(key->info.access_key_id),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->CreateAccessKey("nobody"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(UsersAndKeysTest, InactiveKeysAndDisabledUsersDoNotAuthenticate) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  auto k1 = iam_->CreateAccessKey("alice");
  auto k2 = iam_->CreateAccessKey("alice");
  ASSERT_THAT(k1, IsOk());
  ASSERT_THAT(k2, IsOk());
  const std::string id1 = k1->info.access_key_id, id2 = k2->info.access_key_id;
  EXPECT_NE(id1, id2);
  EXPECT_NE(k1->secret_access_key, k2->secret_access_key);

  ASSERT_THAT(iam_->SetAccessKeyStatus(id1, KeyStatus::kInactive), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(id1),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  EXPECT_THAT(iam_->LookupAccessKey(id2), IsOk());

  ASSERT_THAT(iam_->SetUserEnabled("alice", false), IsOk());
  EXPECT_FALSE(iam_->GetUser("alice")->enabled);
  EXPECT_THAT(iam_->LookupAccessKey(id2),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  ASSERT_THAT(Reopen(), IsOk());  // both states are durable
  EXPECT_THAT(iam_->LookupAccessKey(id2),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  ASSERT_THAT(iam_->SetUserEnabled("alice", true), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(id2), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(id1),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  ASSERT_THAT(iam_->SetAccessKeyStatus(id1, KeyStatus::kActive), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(id1), IsOk());

  auto keys = iam_->ListAccessKeys("alice");
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].user, "alice");
}

TEST_F(UsersAndKeysTest, RestrictedKeysCarryTheirOwnPolicy) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  AccessKeyOptions options;
  options.policy = kReadOnlyPolicy;
  options.description = "backup job";
  auto key = iam_->CreateAccessKey("alice", options);
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(key->info.policy, kReadOnlyPolicy);
  EXPECT_EQ(key->info.description, "backup job");
  auto identity = iam_->LookupAccessKey(key->info.access_key_id);
  ASSERT_THAT(identity, IsOk());
  ASSERT_NE(identity->key_policy, nullptr);
  EXPECT_EQ(identity->key_policy->kind, eval::PolicyKind::kSession);
  EXPECT_EQ(identity->key_policy->statements[0].sid, "Read");
  // An unrestricted key of the same user has none.
  auto plain = iam_->CreateAccessKey("alice");
  EXPECT_EQ(iam_->LookupAccessKey(plain->info.access_key_id)->key_policy, nullptr);

  ASSERT_THAT(Reopen(), IsOk());
  auto details = iam_->GetAccessKey(key->info.access_key_id);
  ASSERT_THAT(details, IsOk());
  EXPECT_EQ(details->first.policy, kReadOnlyPolicy);
  EXPECT_EQ(details->first.description, "backup job");
  ASSERT_NE(details->second, nullptr);
  EXPECT_NE(iam_->LookupAccessKey(key->info.access_key_id)->key_policy, nullptr);

  options.policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
      "Action":"s3:*","Resource":"*"}]})";  // a Principal has no place in a key policy
  EXPECT_THAT(iam_->CreateAccessKey("alice", options),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy));
  options.policy = "";
  options.description = std::string(kMaxKeyDescriptionBytes + 1, 'x');
  EXPECT_THAT(iam_->CreateAccessKey("alice", options),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  EXPECT_THAT(*iam_->ListAccessKeys("alice"), ::testing::SizeIs(2));
  EXPECT_THAT(iam_->GetAccessKey("SBAKNONE"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(UsersAndKeysTest, KeysPerUserAreLimited) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  for (size_t i = 0; i < kMaxAccessKeysPerUser; ++i) {
    ASSERT_THAT(iam_->CreateAccessKey("alice"), IsOk());
  }
  EXPECT_THAT(iam_->CreateAccessKey("alice"),
              StatusIs(absl::StatusCode::kResourceExhausted, ErrorReason::kLimitExceeded));
  ASSERT_THAT(iam_->CreateUser("bob"), IsOk());
  EXPECT_THAT(iam_->CreateAccessKey("bob"), IsOk());
}

TEST_F(UsersAndKeysTest, DeletingAUserDeletesItsKeysDurably) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  ASSERT_THAT(iam_->CreateUser("bob"), IsOk());
  auto alice_key = iam_->CreateAccessKey("alice");
  auto bob_key = iam_->CreateAccessKey("bob");
  ASSERT_THAT(iam_->DeleteUser("alice"), IsOk());
  EXPECT_THAT(iam_->LookupAccessKey(alice_key->info.access_key_id),
              StatusIs(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId));
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(iam_->GetUser("alice"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(*meta_->ListIamRecords("accesskey"), ::testing::SizeIs(1));
  EXPECT_THAT(iam_->LookupAccessKey(bob_key->info.access_key_id), IsOk());
  // A user of the same name created later does not inherit anything.
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  EXPECT_THAT(*iam_->ListAccessKeys("alice"), IsEmpty());
  EXPECT_THAT(iam_->DeleteUser("carol"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(UsersAndKeysTest, SecretsAreSealedAtRestUnderTheRootKey) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  auto key = iam_->CreateAccessKey("alice");
  ASSERT_THAT(key, IsOk());
  const std::string id = key->info.access_key_id;
  auto raw = meta_->GetIamRecord("accesskey", id);
  ASSERT_THAT(raw, IsOk());
  EXPECT_THAT(*raw, ::testing::Not(HasSubstr(key->secret_access_key)));
  EXPECT_THAT(*raw, HasSubstr("\"secret\":\"v1:"));

  // The same root key opens it after a restart.
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_EQ(iam_->LookupAccessKey(id)->secret_access_key, key->secret_access_key);
  // Another root key does not: the server refuses to start rather than guess.
  EXPECT_THAT(Reopen(testing_util::TestRootKey('x')),
              StatusIs(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted));
  ASSERT_THAT(Reopen(), IsOk());

  // A sealed secret copied into another key's record does not open (the id is bound in).
  ASSERT_THAT(iam_->CreateUser("mallory"), IsOk());
  auto other = iam_->CreateAccessKey("mallory");
  ASSERT_THAT(other, IsOk());
  std::string forged = *meta_->GetIamRecord("accesskey", other->info.access_key_id);
  std::string alice_record = *raw;
  size_t at = alice_record.find("\"secret\":\"");
  size_t end = alice_record.find('"', at + 10);
  std::string alice_sealed = alice_record.substr(at, end - at);
  at = forged.find("\"secret\":\"");
  end = forged.find('"', at + 10);
  forged.replace(at, end - at, alice_sealed);
  ASSERT_THAT(meta_->PutIamRecord("accesskey", other->info.access_key_id, forged), IsOk());
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted));
}

TEST_F(UsersAndKeysTest, CorruptRecordsRefuseToLoad) {
  ASSERT_THAT(meta_->PutIamRecord("user", "alice", "{not json"), IsOk());
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted));
  ASSERT_THAT(meta_->PutIamRecord("user", "alice", R"({"v":2})"), IsOk());
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted));
}

TEST_F(UsersAndKeysTest, LastUsedIsWrittenAtMostOncePerMinute) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  auto key = iam_->CreateAccessKey("alice");
  const std::string id = key->info.access_key_id;
  auto last_used = [&]() { return (*iam_->ListAccessKeys("alice"))[0].last_used; };

  const absl::Time t0 = clock_.Now();
  iam_->NoteAccessKeyUsed(id);
  EXPECT_EQ(last_used(), t0);
  clock_.Advance(absl::Seconds(59));
  iam_->NoteAccessKeyUsed(id);
  EXPECT_EQ(last_used(), t0);  // within the resolution: no write
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_EQ(last_used(), t0);  // the first use was persisted
  clock_.Advance(absl::Seconds(2));
  iam_->NoteAccessKeyUsed(id);
  EXPECT_EQ(last_used(), t0 + absl::Seconds(61));
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_EQ(last_used(), t0 + absl::Seconds(61));
  iam_->NoteAccessKeyUsed("SBAKUNKNOWN");  // unknown keys are ignored
}

TEST_F(UsersAndKeysTest, ConcurrentLookupsSeeOnlyCommittedKeys) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  std::vector<std::string> ids;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto r = iam_->LookupAccessKey("SBAKNEVERCREATED0000");
      if (r.ok()) bad++;
      for (const UserInfo& u : iam_->ListUsers()) {
        if (u.name.empty()) bad++;
      }
    }
  });
  for (int i = 0; i < 10; ++i) {
    auto k = iam_->CreateAccessKey("alice");
    ASSERT_THAT(k, IsOk());
    EXPECT_THAT(iam_->LookupAccessKey(k->info.access_key_id), IsOk());
    ASSERT_THAT(iam_->DeleteAccessKey(k->info.access_key_id), IsOk());
    ASSERT_THAT(iam_->CreateUser("u" + std::to_string(i)), IsOk());
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace sb::policy::iam
