// Routing of ?policy (bucket policies) and of the IAM admin API under
// /_strongbox/admin/v1/iam/, every name decoded from its path segment, and the IAM action
// each operation is authorized as.
#include "gateway/iam_routes.h"

#include <string>
#include <utility>
#include <vector>

#include "gateway/s3_router.h"
#include "gateway/stages/stages.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

Operation RouteOf(std::string method, std::string path, Query query = {}) {
  RouteInput in;
  in.method = method;
  in.raw_path = path;
  std::string_view rest = std::string_view(path).substr(1);
  size_t slash = rest.find('/');
  in.has_bucket = !rest.substr(0, slash).empty();
  in.has_key = slash != std::string_view::npos && slash + 1 < rest.size();
  in.query = &query;
  return Route(in);
}

TEST(BucketPolicyRouteTest, PolicySubresourceOfBuckets) {
  EXPECT_EQ(RouteOf("GET", "/b", {{"policy", ""}}), Operation::kGetBucketPolicy);
  EXPECT_EQ(RouteOf("PUT", "/b", {{"policy", ""}}), Operation::kPutBucketPolicy);
  EXPECT_EQ(RouteOf("DELETE", "/b", {{"policy", ""}}), Operation::kDeleteBucketPolicy);
  EXPECT_EQ(RouteOf("POST", "/b", {{"policy", ""}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf("HEAD", "/b", {{"policy", ""}}), Operation::kNotImplemented);
  // Never DeleteBucket / CreateBucket, and never with another unsupported subresource.
  EXPECT_EQ(RouteOf("DELETE", "/b", {{"policy", ""}, {"cors", ""}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf("GET", "/b", {{"policyStatus", ""}}), Operation::kGetBucketPolicyStatus);
  // Objects have no policy subresource.
  for (const char* m : {"GET", "PUT", "DELETE"}) {
    EXPECT_EQ(RouteOf(m, "/b/k", {{"policy", ""}}), Operation::kNotImplemented) << m;
  }
  EXPECT_EQ(ActionFor(Operation::kPutBucketPolicy), "s3:PutBucketPolicy");
  EXPECT_EQ(ActionFor(Operation::kGetBucketPolicy), "s3:GetBucketPolicy");
  EXPECT_EQ(ActionFor(Operation::kDeleteBucketPolicy), "s3:DeleteBucketPolicy");
}

TEST(IamRouteTest, UsersAndAccessKeys) {
  const std::string p = "/_strongbox/admin/v1/iam/";
  EXPECT_EQ(RouteOf("GET", p + "users"), Operation::kAdminIamListUsers);
  EXPECT_EQ(RouteOf("POST", p + "users"), Operation::kAdminIamCreateUser);
  EXPECT_EQ(RouteOf("PUT", p + "users/alice"), Operation::kAdminIamCreateUser);
  EXPECT_EQ(RouteOf("GET", p + "users/alice"), Operation::kAdminIamGetUser);
  EXPECT_EQ(RouteOf("DELETE", p + "users/alice"), Operation::kAdminIamDeleteUser);
  EXPECT_EQ(RouteOf("POST", p + "users/alice/disable"), Operation::kAdminIamSetUserStatus);
  EXPECT_EQ(RouteOf("POST", p + "users/alice/enable"), Operation::kAdminIamSetUserStatus);
  EXPECT_EQ(RouteOf("GET", p + "users/alice/access-keys"), Operation::kAdminIamListAccessKeys);
  EXPECT_EQ(RouteOf("POST", p + "users/alice/access-keys"), Operation::kAdminIamCreateAccessKey);
  EXPECT_EQ(RouteOf("PUT", p + "users/alice/policies/read"), Operation::kAdminIamAttachPolicy);
  EXPECT_EQ(RouteOf("DELETE", p + "users/alice/policies/read"), Operation::kAdminIamDetachPolicy);
  EXPECT_EQ(RouteOf("DELETE", p + "access-keys/SBAK1"), Operation::kAdminIamDeleteAccessKey);
  EXPECT_EQ(RouteOf("POST", p + "access-keys/SBAK1/disable"),
            Operation::kAdminIamSetAccessKeyStatus);
  // Wrong methods, unknown verbs, empty segments and trailing slashes are 405s.
  EXPECT_EQ(RouteOf("GET", p + "users/alice/disable"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("POST", p + "users/alice/explode"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("GET", p + "users/"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("GET", p + "users//x"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("GET", p + "access-keys"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("GET", p + "nothing"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("GET", "/_strongbox/admin/v1/iam"), Operation::kUnknown);
}

TEST(IamRouteTest, GroupsPoliciesAndSimulate) {
  const std::string p = "/_strongbox/admin/v1/iam/";
  EXPECT_EQ(RouteOf("GET", p + "groups"), Operation::kAdminIamListGroups);
  EXPECT_EQ(RouteOf("POST", p + "groups"), Operation::kAdminIamCreateGroup);
  EXPECT_EQ(RouteOf("PUT", p + "groups/devs"), Operation::kAdminIamCreateGroup);
  EXPECT_EQ(RouteOf("GET", p + "groups/devs"), Operation::kAdminIamGetGroup);
  EXPECT_EQ(RouteOf("DELETE", p + "groups/devs"), Operation::kAdminIamDeleteGroup);
  EXPECT_EQ(RouteOf("PUT", p + "groups/devs/members/alice"), Operation::kAdminIamAddGroupMember);
  EXPECT_EQ(RouteOf("DELETE", p + "groups/devs/members/alice"),
            Operation::kAdminIamRemoveGroupMember);
  EXPECT_EQ(RouteOf("PUT", p + "groups/devs/policies/read"), Operation::kAdminIamAttachPolicy);
  EXPECT_EQ(RouteOf("DELETE", p + "groups/devs/policies/read"), Operation::kAdminIamDetachPolicy);
  EXPECT_EQ(RouteOf("GET", p + "policies"), Operation::kAdminIamListPolicies);
  EXPECT_EQ(RouteOf("GET", p + "policies/read"), Operation::kAdminIamGetPolicy);
  EXPECT_EQ(RouteOf("PUT", p + "policies/read"), Operation::kAdminIamPutPolicy);
  EXPECT_EQ(RouteOf("DELETE", p + "policies/read"), Operation::kAdminIamDeletePolicy);
  EXPECT_EQ(RouteOf("POST", p + "simulate"), Operation::kAdminIamSimulate);
  EXPECT_EQ(RouteOf("GET", p + "simulate"), Operation::kUnknown);
  EXPECT_EQ(RouteOf("POST", p + "policies"), Operation::kUnknown);
}

TEST(IamRouteTest, SegmentsAreDecoded) {
  auto s = IamPathSegments("/_strongbox/admin/v1/iam/users/bob%40example.com/policies/a%2Bb");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, (std::vector<std::string>{"users", "bob@example.com", "policies", "a+b"}));
  EXPECT_FALSE(IamPathSegments("/_strongbox/admin/v1/iam/users/%zz").has_value());
  EXPECT_FALSE(IamPathSegments("/_strongbox/admin/v1/audit/verify").has_value());
}

TEST(IamRouteTest, EveryIamOperationIsAnAdminAction) {
  for (int op = static_cast<int>(Operation::kAdminIamListUsers);
       op <= static_cast<int>(Operation::kAdminIamSimulate); ++op) {
    auto o = static_cast<Operation>(op);
    EXPECT_TRUE(ActionFor(o).starts_with("admin:")) << OperationName(o);
    EXPECT_TRUE(OperationName(o).starts_with("AdminIam")) << OperationName(o);
  }
  EXPECT_EQ(ActionFor(Operation::kAdminIamCreateAccessKey), "admin:CreateAccessKey");
  EXPECT_EQ(ActionFor(Operation::kAdminIamSimulate), "admin:SimulatePolicy");
}

}  // namespace
}  // namespace sb::gateway
