#include "policy/identity.h"

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "policy/authorizer.h"

namespace sb::policy {
namespace {

IdentityStore MakeStore() {
  Credential root;
  root.access_key = "AKROOT";
  root.secret_key = "secret";
  root.user = "root";
  return IdentityStore(root);
}

TEST(IdentityStoreTest, FindsRootAndMarksIt) {
  auto store = MakeStore();
  auto cred = store.Lookup("AKROOT");
  ASSERT_TRUE(cred.ok());
  EXPECT_EQ(cred->secret_key, "secret");
  EXPECT_TRUE(cred->is_root);
}

TEST(IdentityStoreTest, UnknownKeyIsInvalidAccessKeyId) {
  auto store = MakeStore();
  for (const char* key : {"AKROO", "AKROOX", "", "akroot"}) {
    auto cred = store.Lookup(key);
    ASSERT_FALSE(cred.ok()) << key;
    EXPECT_EQ(GetReason(cred.status()), ErrorReason::kInvalidAccessKeyId);
  }
}

TEST(AuthorizerTest, RootAllowedAnonymousAndOthersDenied) {
  Authorizer authz;
  Principal root{false, true, "AKROOT", "root", "127.0.0.1", false, "", {}, nullptr};
  EXPECT_TRUE(authz.Authorize(root, "s3:GetObject", "arn:aws:s3:::b/k").allowed);
  Principal anon;
  Decision d = authz.Authorize(anon, "s3:GetObject", "arn:aws:s3:::b/k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.decided_by, "implicit-deny");
  Principal user{false, false, "AKUSER", "alice", "127.0.0.1", false, "", {}, nullptr};
  EXPECT_FALSE(authz.Authorize(user, "s3:GetObject", "arn:aws:s3:::b/k").allowed);
}

}  // namespace
}  // namespace sb::policy
