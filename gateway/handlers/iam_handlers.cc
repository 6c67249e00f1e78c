// IAM admin API, users, access keys and groups (root only; see policy::Authorizer). Routes
// in gateway/iam_routes.cc; policies, attachments and simulate in iam_policy_handlers.cc.
// A created access key's secret is in the creation response and nowhere else, ever.
#include <boost/json.hpp>

#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/iam_json.h"

namespace sb::gateway {
namespace {

namespace json = boost::json;
using iam_json::PathSegment;
using iam_json::RespondJson;
using policy::iam::IamStore;

// The name of a created user or group: the path (PUT .../NAME) or {"name": ...} (POST).
absl::StatusOr<std::string> NameToCreate(RequestContext& ctx) {
  if (ctx.http.method == "PUT") return PathSegment(ctx, 1);
  SB_ASSIGN_OR_RETURN(json::object body, iam_json::ReadJsonObject(ctx));
  return iam_json::RequiredString(body, "name");
}

absl::Status ListUsers(RequestContext& ctx, IamStore& iam) {
  json::array users;
  for (const auto& u : iam.ListUsers()) users.push_back(iam_json::UserJson(u));
  return RespondJson(ctx, 200, {{"users", std::move(users)}});
}

absl::Status CreateUser(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, NameToCreate(ctx));
  SB_ASSIGN_OR_RETURN(policy::iam::UserInfo user, iam.CreateUser(name));
  return RespondJson(ctx, 200, iam_json::UserJson(user));
}

absl::Status GetUser(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(policy::iam::UserInfo user, iam.GetUser(name));
  json::object out = iam_json::UserJson(user);
  SB_ASSIGN_OR_RETURN(auto keys, iam.ListAccessKeys(name));
  json::array key_list;
  for (const auto& k : keys) key_list.push_back(iam_json::KeyJson(k));
  out["access_keys"] = std::move(key_list);
  return RespondJson(ctx, 200, out);
}

absl::Status DeleteUser(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_RETURN_IF_ERROR(iam.DeleteUser(name));
  return ctx.Respond(204, {}, "");
}

absl::Status SetUserStatus(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(std::string verb, PathSegment(ctx, 2));
  SB_RETURN_IF_ERROR(iam.SetUserEnabled(name, verb == "enable"));
  SB_ASSIGN_OR_RETURN(policy::iam::UserInfo user, iam.GetUser(name));
  return RespondJson(ctx, 200, iam_json::UserJson(user));
}

absl::Status ListAccessKeys(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(auto keys, iam.ListAccessKeys(name));
  json::array out;
  for (const auto& k : keys) out.push_back(iam_json::KeyJson(k));
  return RespondJson(ctx, 200, {{"access_keys", std::move(out)}});
}

// Body (optional): {"policy": {...} or "...", "description": "...", "kind": "access-key" or
// "service-account", "expires_in_seconds": N}; a policy makes the key a restricted one (see
// policy::iam::AccessKeyOptions).
absl::Status CreateAccessKey(RequestContext& ctx, IamStore& iam, const Clock& clock) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(json::object body, iam_json::ReadJsonObject(ctx, /*allow_empty=*/true));
  policy::iam::AccessKeyOptions options;
  if (const json::value* p = body.if_contains("policy"); p != nullptr && !p->is_null()) {
    options.policy = p->is_string() ? std::string(p->as_string()) : json::serialize(*p);
  }
  if (body.if_contains("description") != nullptr) {
    SB_ASSIGN_OR_RETURN(options.description, iam_json::RequiredString(body, "description"));
  }
  if (body.if_contains("kind") != nullptr) {
    SB_ASSIGN_OR_RETURN(std::string kind, iam_json::RequiredString(body, "kind"));
    std::optional<policy::iam::KeyKind> parsed = policy::iam::ParseKeyKind(kind);
    if (!parsed || *parsed == policy::iam::KeyKind::kSession) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "kind must be access-key or service-account");
    }
    options.kind = *parsed;
  }
  if (const json::value* e = body.if_contains("expires_in_seconds"); e != nullptr) {
    if (!e->is_int64() || e->as_int64() <= 0) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "expires_in_seconds must be a positive integer");
    }
    options.expires = clock.Now() + absl::Seconds(e->as_int64());
  }
  SB_ASSIGN_OR_RETURN(policy::iam::NewAccessKey key, iam.CreateAccessKey(name, options));
  json::object out = iam_json::KeyJson(key.info);
  out["secret_access_key"] = key.secret_access_key;
  return RespondJson(ctx, 200, out);
}

absl::Status DeleteAccessKey(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string id, PathSegment(ctx, 1));
  SB_RETURN_IF_ERROR(iam.DeleteAccessKey(id));
  return ctx.Respond(204, {}, "");
}

absl::Status SetAccessKeyStatus(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string id, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(std::string verb, PathSegment(ctx, 2));
  SB_RETURN_IF_ERROR(iam.SetAccessKeyStatus(
      id, verb == "enable" ? policy::iam::KeyStatus::kActive : policy::iam::KeyStatus::kInactive));
  return ctx.Respond(204, {}, "");
}

absl::Status ListGroups(RequestContext& ctx, IamStore& iam) {
  json::array groups;
  for (const auto& g : iam.ListGroups()) groups.push_back(iam_json::GroupJson(g));
  return RespondJson(ctx, 200, {{"groups", std::move(groups)}});
}

absl::Status CreateGroup(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, NameToCreate(ctx));
  SB_ASSIGN_OR_RETURN(policy::iam::GroupInfo group, iam.CreateGroup(name));
  return RespondJson(ctx, 200, iam_json::GroupJson(group));
}

absl::Status GetGroup(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(policy::iam::GroupInfo group, iam.GetGroup(name));
  return RespondJson(ctx, 200, iam_json::GroupJson(group));
}

absl::Status DeleteGroup(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_RETURN_IF_ERROR(iam.DeleteGroup(name));
  return ctx.Respond(204, {}, "");
}

absl::Status SetGroupMember(RequestContext& ctx, IamStore& iam, bool add) {
  SB_ASSIGN_OR_RETURN(std::string group, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(std::string user, PathSegment(ctx, 3));
  SB_RETURN_IF_ERROR(add ? iam.AddUserToGroup(group, user) : iam.RemoveUserFromGroup(group, user));
  return ctx.Respond(204, {}, "");
}

}  // namespace

absl::Status HandleIamOperation(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(IamStore * iam, iam_json::RequireIam(s));
  switch (ctx.req.op) {
    case Operation::kAdminIamListUsers:
      return ListUsers(ctx, *iam);
    case Operation::kAdminIamCreateUser:
      return CreateUser(ctx, *iam);
    case Operation::kAdminIamGetUser:
      return GetUser(ctx, *iam);
    case Operation::kAdminIamDeleteUser:
      return DeleteUser(ctx, *iam);
    case Operation::kAdminIamSetUserStatus:
      return SetUserStatus(ctx, *iam);
    case Operation::kAdminIamListAccessKeys:
      return ListAccessKeys(ctx, *iam);
    case Operation::kAdminIamCreateAccessKey:
      return CreateAccessKey(ctx, *iam, s.clock);
    case Operation::kAdminIamDeleteAccessKey:
      return DeleteAccessKey(ctx, *iam);
    case Operation::kAdminIamSetAccessKeyStatus:
      return SetAccessKeyStatus(ctx, *iam);
    case Operation::kAdminIamListGroups:
      return ListGroups(ctx, *iam);
    case Operation::kAdminIamCreateGroup:
      return CreateGroup(ctx, *iam);
    case Operation::kAdminIamGetGroup:
      return GetGroup(ctx, *iam);
    case Operation::kAdminIamDeleteGroup:
      return DeleteGroup(ctx, *iam);
    case Operation::kAdminIamAddGroupMember:
      return SetGroupMember(ctx, *iam, true);
    case Operation::kAdminIamRemoveGroupMember:
      return SetGroupMember(ctx, *iam, false);
    default:
      return iam_json::HandleIamPolicyOperation(ctx, s);
  }
}

}  // namespace sb::gateway
