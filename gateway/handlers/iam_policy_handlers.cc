// IAM admin API, managed policies, attachments and `simulate` (which runs the Authorizer's
// explanation for a hypothetical request). Root only; see iam_handlers.cc.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/iam_json.h"
#include "policy/eval/evaluator.h"

namespace sb::gateway::iam_json {
namespace {

namespace json = boost::json;
using policy::iam::IamStore;

absl::Status BadRequest(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

absl::Status ListPolicies(RequestContext& ctx, IamStore& iam) {
  json::array out;
  for (const auto& p : iam.ListPolicies()) out.push_back(PolicyJson(p, false));
  return RespondJson(ctx, 200, {{"policies", std::move(out)}});
}

absl::Status GetPolicy(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(policy::iam::PolicyInfo policy, iam.GetPolicy(name));
  return RespondJson(ctx, 200, PolicyJson(policy, true));
}

absl::Status PutPolicy(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  absl::StatusOr<std::string> body = ReadSmallBody(ctx, policy::iam::kMaxManagedPolicyBytes);
  if (GetReason(body.status()) == ErrorReason::kMalformedXml) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy,
                     absl::StrCat("policy documents are limited to ",
                                  policy::iam::kMaxManagedPolicyBytes, " bytes"));
  }
  SB_RETURN_IF_ERROR(body.status());
  SB_ASSIGN_OR_RETURN(policy::iam::PolicyInfo policy, iam.PutPolicy(name, *body));
  return RespondJson(ctx, 200, PolicyJson(policy, true));
}

absl::Status DeletePolicy(RequestContext& ctx, IamStore& iam) {
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 1));
  SB_RETURN_IF_ERROR(iam.DeletePolicy(name));
  return ctx.Respond(204, {}, "");
}

// users/NAME/policies/POLICY or groups/NAME/policies/POLICY.
absl::Status SetAttachment(RequestContext& ctx, IamStore& iam, bool attach) {
  SB_ASSIGN_OR_RETURN(std::string family, PathSegment(ctx, 0));
  SB_ASSIGN_OR_RETURN(std::string owner, PathSegment(ctx, 1));
  SB_ASSIGN_OR_RETURN(std::string name, PathSegment(ctx, 3));
  absl::Status status;
  if (family == "groups") {
    status = attach ? iam.AttachGroupPolicy(owner, name) : iam.DetachGroupPolicy(owner, name);
  } else {
    status = attach ? iam.AttachUserPolicy(owner, name) : iam.DetachUserPolicy(owner, name);
  }
  SB_RETURN_IF_ERROR(status);
  return ctx.Respond(204, {}, "");
}

// {"aws:SourceIp": "10.0.0.1", "aws:TagKeys": ["a", "b"], "s3:max-keys": 10}
absl::StatusOr<policy::eval::ContextMap> ContextFromJson(const json::object& body) {
  policy::eval::ContextMap context;
  const json::value* v = body.if_contains("context");
  if (v == nullptr || v->is_null()) return context;
  if (!v->is_object()) return BadRequest("\"context\" must be an object");
  for (const auto& [key, value] : v->as_object()) {
    std::vector<std::string> values;
    auto add = [&](const json::value& e) -> absl::Status {
      if (e.is_string()) {
        values.emplace_back(e.as_string());
      } else if (e.is_number() || e.is_bool()) {
        values.push_back(json::serialize(e));
      } else {
        return BadRequest(absl::StrCat("context value of ", std::string(key), " is not scalar"));
      }
      return absl::OkStatus();
    };
    if (value.is_array()) {
      for (const auto& e : value.as_array()) SB_RETURN_IF_ERROR(add(e));
    } else {
      SB_RETURN_IF_ERROR(add(value));
    }
    context.insert_or_assign(std::string(key), std::move(values));
  }
  return context;
}

// The bucket named by an S3 ARN without wildcards in the bucket part; empty otherwise.
std::string BucketOfArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:s3:::";
  if (!arn.starts_with(kPrefix)) return "";
  std::string_view rest = arn.substr(kPrefix.size());
  std::string_view bucket = rest.substr(0, rest.find('/'));
  if (bucket.find_first_of("*?$") != std::string_view::npos) return "";
  return std::string(bucket);
}

absl::Status Simulate(RequestContext& ctx, Services& s, IamStore& iam) {
  if (s.authorizer == nullptr) return RequireIam(s).status();
  SB_ASSIGN_OR_RETURN(json::object body, ReadJsonObject(ctx));
  SB_ASSIGN_OR_RETURN(std::string action, RequiredString(body, "action"));
  SB_ASSIGN_OR_RETURN(std::string resource, RequiredString(body, "resource"));
  std::string user;
  if (body.if_contains("user") != nullptr) {
    SB_ASSIGN_OR_RETURN(user, RequiredString(body, "user"));
  }
  std::string bucket = BucketOfArn(resource);
  if (body.if_contains("bucket") != nullptr) {
    SB_ASSIGN_OR_RETURN(bucket, RequiredString(body, "bucket"));
  }
  policy::Principal principal;
  if (body.if_contains("access_key") != nullptr) {
    // As a request signed with this key: its user's policies and the key's own policy.
    SB_ASSIGN_OR_RETURN(std::string id, RequiredString(body, "access_key"));
    SB_ASSIGN_OR_RETURN(auto key, iam.GetAccessKey(id));
    if (!user.empty() && user != key.first.user) {
      return BadRequest(absl::StrCat("access key ", id, " belongs to ", key.first.user));
    }
    user = key.first.user;
    principal.access_key = id;
    principal.key_policy = key.second;
  }
  if (user == "root") {
    principal.anonymous = false;
    principal.is_root = true;
    principal.user = "root";
  } else if (!user.empty() && user != "anonymous") {
    SB_ASSIGN_OR_RETURN(policy::iam::UserInfo info, iam.GetUser(user));
    principal.anonymous = false;
    principal.user = info.name;
    principal.user_id = info.user_id;
    principal.groups = info.groups;
  }
  policy::AuthzRequest request;
  request.principal = &principal;
  request.action = action;
  request.resource = resource;
  request.bucket = bucket;
  SB_ASSIGN_OR_RETURN(request.context, ContextFromJson(body));
  SB_ASSIGN_OR_RETURN(policy::Simulation sim, s.authorizer->Simulate(request));

  json::value explanation = json::parse(policy::eval::ExplanationToJson(sim.explanation));
  json::object out = std::move(explanation.as_object());
  out["allowed"] = sim.decision.allowed;
  out["decided_by"] = sim.decision.decided_by;
  json::array names;
  for (const auto& n : sim.identity_policies) names.emplace_back(n);
  out["identity_policies"] = std::move(names);
  out["bucket_policy"] = sim.has_bucket_policy ? json::value(bucket) : json::value(nullptr);
  return RespondJson(ctx, 200, out);
}

}  // namespace

absl::Status HandleIamPolicyOperation(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(IamStore * iam, RequireIam(s));
  switch (ctx.req.op) {
    case Operation::kAdminIamListPolicies:
      return ListPolicies(ctx, *iam);
    case Operation::kAdminIamGetPolicy:
      return GetPolicy(ctx, *iam);
    case Operation::kAdminIamPutPolicy:
      return PutPolicy(ctx, *iam);
    case Operation::kAdminIamDeletePolicy:
      return DeletePolicy(ctx, *iam);
    case Operation::kAdminIamAttachPolicy:
      return SetAttachment(ctx, *iam, true);
    case Operation::kAdminIamDetachPolicy:
      return SetAttachment(ctx, *iam, false);
    case Operation::kAdminIamSimulate:
      return Simulate(ctx, s, *iam);
    default:
      return absl::InternalError("not an IAM operation");
  }
}

}  // namespace sb::gateway::iam_json
