// IamStore groups and managed policies: validation with the policy engine's parser,
// attachments, the per-user policy set (own policies, then groups'), cascading deletes and
// DeleteConflict, all durable across a restart.
#include <string>
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

std::vector<std::string> Names(const std::vector<NamedPolicy>& policies) {
  std::vector<std::string> out;
  for (const NamedPolicy& p : policies) {
    EXPECT_NE(p.policy, nullptr) << p.name;
    out.push_back(p.name);
  }
  return out;
}

class GroupsPoliciesTest : public testing_util::IamStoreTest {};

TEST_F(GroupsPoliciesTest, PolicyDocumentsAreValidated) {
  auto stored = iam_->PutPolicy("read-data", kReadOnlyPolicy);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->document, kReadOnlyPolicy);
  EXPECT_EQ(stored->attachments, 0u);

  // Not JSON, unknown element, a Principal in an identity policy, a bad Effect.
  for (const char* bad : {"{", R"({"Version":"2012-10-17","Statement":[],"Extra":1})",
                          R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*",
            "Action":"s3:*","Resource":"*"}})",
                          R"({"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:*",
            "Resource":"*"}})"}) {
    EXPECT_THAT(iam_->PutPolicy("bad", bad),
                StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy))
        << bad;
  }
  auto message = iam_->PutPolicy("bad", R"({"Version":"2012-10-17","Statement":{"Effect":
      "allow","Action":"s3:*","Resource":"*"}})");
  EXPECT_THAT(std::string(message.status().message()), HasSubstr("Effect"));
  EXPECT_THAT(iam_->GetPolicy("bad"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->PutPolicy("bad name", kReadOnlyPolicy),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  EXPECT_THAT(iam_->PutPolicy("READ-DATA", kReadOnlyPolicy),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kEntityAlreadyExists));
  std::string huge = R"({"Version":"2012-10-17","Statement":[)";
  while (huge.size() < kMaxManagedPolicyBytes) {
    huge += R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},)";
  }
  huge += R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  EXPECT_THAT(iam_->PutPolicy("huge", huge),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy));
}

TEST_F(GroupsPoliciesTest, UpdateReplacesTheDocumentAndKeepsCreation) {
  ASSERT_THAT(iam_->PutPolicy("p", kReadOnlyPolicy), IsOk());
  const absl::Time created = clock_.Now();
  clock_.Advance(absl::Hours(1));
  auto updated = iam_->PutPolicy("p", kWritePolicy);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->created, created);
  EXPECT_EQ(updated->updated, created + absl::Hours(1));
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "p"), IsOk());
  auto policies = iam_->PoliciesForUser("alice");
  ASSERT_THAT(policies, IsOk());
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].policy->statements[0].sid, "Write");  // the new document
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_EQ(iam_->GetPolicy("p")->document, kWritePolicy);
  EXPECT_EQ(iam_->GetPolicy("p")->created, created);
}

TEST_F(GroupsPoliciesTest, UserPoliciesComeFromTheUserAndItsGroups) {
  ASSERT_THAT(iam_->PutPolicy("read", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->PutPolicy("write", kWritePolicy), IsOk());
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  ASSERT_THAT(iam_->CreateUser("bob"), IsOk());
  ASSERT_THAT(iam_->CreateGroup("writers"), IsOk());
  EXPECT_THAT(*iam_->PoliciesForUser("alice"), IsEmpty());

  ASSERT_THAT(iam_->AttachUserPolicy("alice", "read"), IsOk());
  ASSERT_THAT(iam_->AttachUserPolicy("alice", "read"), IsOk());  // no-op
  ASSERT_THAT(iam_->AttachGroupPolicy("writers", "write"), IsOk());
  ASSERT_THAT(iam_->AttachGroupPolicy("writers", "read"), IsOk());
  ASSERT_THAT(iam_->AddUserToGroup("writers", "alice"), IsOk());
  ASSERT_THAT(iam_->AddUserToGroup("writers", "bob"), IsOk());
  // Own policies first, then the groups'; "read" once although attached twice.
  EXPECT_THAT(Names(*iam_->PoliciesForUser("alice")), ElementsAre("read", "write"));
  EXPECT_THAT(Names(*iam_->PoliciesForUser("bob")), ElementsAre("read", "write"));
  EXPECT_THAT(iam_->GetUser("alice")->groups, ElementsAre("writers"));
  EXPECT_THAT(iam_->GetGroup("writers")->members, ElementsAre("alice", "bob"));
  EXPECT_EQ(iam_->GetPolicy("read")->attachments, 2u);
  // The lookup carries the groups (for the audit record).
  auto key = iam_->CreateAccessKey("bob");
  EXPECT_THAT(iam_->LookupAccessKey(key->info.access_key_id)->groups, ElementsAre("writers"));

  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(Names(*iam_->PoliciesForUser("alice")), ElementsAre("read", "write"));

  ASSERT_THAT(iam_->RemoveUserFromGroup("writers", "bob"), IsOk());
  ASSERT_THAT(iam_->RemoveUserFromGroup("writers", "bob"), IsOk());  // no-op
  EXPECT_THAT(*iam_->PoliciesForUser("bob"), IsEmpty());
  ASSERT_THAT(iam_->DetachGroupPolicy("writers", "write"), IsOk());
  EXPECT_THAT(Names(*iam_->PoliciesForUser("alice")), ElementsAre("read"));
  ASSERT_THAT(iam_->DetachUserPolicy("alice", "read"), IsOk());
  EXPECT_THAT(Names(*iam_->PoliciesForUser("alice")), ElementsAre("read"));  // via the group
  EXPECT_THAT(iam_->PoliciesForUser("nobody"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity));
}

TEST_F(GroupsPoliciesTest, UnknownNamesAreNoSuchEntity) {
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  ASSERT_THAT(iam_->CreateGroup("g"), IsOk());
  ASSERT_THAT(iam_->PutPolicy("p", kReadOnlyPolicy), IsOk());
  const auto kNotFound = absl::StatusCode::kNotFound;
  EXPECT_THAT(iam_->AttachUserPolicy("alice", "nope"),
              StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->AttachUserPolicy("nobody", "p"),
              StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->AttachGroupPolicy("nogroup", "p"),
              StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->AddUserToGroup("nogroup", "alice"),
              StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->AddUserToGroup("g", "nobody"), StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->DeleteGroup("nogroup"), StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->DeletePolicy("nope"), StatusIs(kNotFound, ErrorReason::kNoSuchEntity));
  EXPECT_THAT(iam_->CreateGroup("G"),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kEntityAlreadyExists));
}

TEST_F(GroupsPoliciesTest, AttachedPoliciesCannotBeDeleted) {
  ASSERT_THAT(iam_->PutPolicy("p", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->CreateGroup("g"), IsOk());
  ASSERT_THAT(iam_->AttachGroupPolicy("g", "p"), IsOk());
  EXPECT_THAT(iam_->DeletePolicy("p"),
              StatusIs(absl::StatusCode::kFailedPrecondition, ErrorReason::kDeleteConflict));
  ASSERT_THAT(iam_->DetachGroupPolicy("g", "p"), IsOk());
  ASSERT_THAT(iam_->DeletePolicy("p"), IsOk());
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(iam_->ListPolicies(), IsEmpty());
}

TEST_F(GroupsPoliciesTest, DeletingAGroupRemovesItsMembershipsDurably) {
  ASSERT_THAT(iam_->PutPolicy("p", kReadOnlyPolicy), IsOk());
  ASSERT_THAT(iam_->CreateGroup("g"), IsOk());
  ASSERT_THAT(iam_->CreateGroup("h"), IsOk());
  ASSERT_THAT(iam_->AttachGroupPolicy("g", "p"), IsOk());
  ASSERT_THAT(iam_->CreateUser("alice"), IsOk());
  ASSERT_THAT(iam_->AddUserToGroup("g", "alice"), IsOk());
  ASSERT_THAT(iam_->AddUserToGroup("h", "alice"), IsOk());
  ASSERT_THAT(iam_->DeleteGroup("g"), IsOk());
  EXPECT_THAT(iam_->GetUser("alice")->groups, ElementsAre("h"));
  EXPECT_THAT(*iam_->PoliciesForUser("alice"), IsEmpty());
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(iam_->GetUser("alice")->groups, ElementsAre("h"));
  std::vector<std::string> groups;
  for (const GroupInfo& g : iam_->ListGroups()) groups.push_back(g.name);
  EXPECT_THAT(groups, ElementsAre("h"));
  // The policy is no longer attached anywhere.
  EXPECT_THAT(iam_->DeletePolicy("p"), IsOk());
}

}  // namespace
}  // namespace sb::policy::iam
