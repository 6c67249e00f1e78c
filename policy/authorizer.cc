#include "policy/authorizer.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace sb::policy {

struct Authorizer::Inputs {
  eval::EvalRequest request;
  std::vector<iam::NamedPolicy> identity;  // keeps the parsed policies alive
  std::vector<const eval::Policy*> identity_ptrs;
  std::shared_ptr<const eval::Policy> bucket_policy;
  std::vector<const eval::Policy*> session_ptrs;  // a restricted key's policy
};

namespace {

constexpr std::string_view kExistingObjectTag = "s3:ExistingObjectTag/";

bool AnyReads(const std::vector<const eval::Policy*>& policies, const eval::Policy* bucket_policy) {
  if (bucket_policy != nullptr &&
      eval::ReferencesContextKeyPrefix(*bucket_policy, kExistingObjectTag)) {
    return true;
  }
  for (const eval::Policy* policy : policies) {
    if (eval::ReferencesContextKeyPrefix(*policy, kExistingObjectTag)) return true;
  }
  return false;
}

std::string StatementRef(const eval::Decision& d) {
  return d.sid.empty() ? absl::StrCat(d.statement_index) : d.sid;
}

Decision FromEval(const eval::Decision& d, const std::vector<iam::NamedPolicy>& identity,
                  std::string_view bucket, const Principal& principal) {
  Decision out;
  out.allowed = d.allowed;
  if (d.kind == eval::DecisionKind::kImplicitDeny) {
    out.decided_by = "implicit-deny";
    return out;
  }
  switch (d.source) {
    case eval::PolicySource::kRoot:
      out.decided_by = "root";
      return out;
    case eval::PolicySource::kIdentity:
      if (d.policy_index >= 0 && static_cast<size_t>(d.policy_index) < identity.size()) {
        out.policy_id = identity[d.policy_index].name;
      }
      break;
    case eval::PolicySource::kBucket:
      out.policy_id = absl::StrCat("bucket-policy:", std::string(bucket));
      break;
    case eval::PolicySource::kSession:
      out.policy_id = absl::StrCat("access-key-policy:", principal.access_key);
      break;
    case eval::PolicySource::kNone:
      out.policy_id = std::string(eval::PolicySourceName(d.source));
      break;
  }
  out.statement_id = d.sid;
  out.decided_by = absl::StrCat(d.source == eval::PolicySource::kIdentity ? "policy:" : "",
                                out.policy_id, "#", StatementRef(d));
  return out;
}

}  // namespace

absl::StatusOr<Authorizer::Inputs> Authorizer::Gather(const AuthzRequest& request) const {
  const Principal& p = *request.principal;
  Inputs in;
  eval::EvalRequest& r = in.request;
  r.action = std::string(request.action);
  r.resource = std::string(request.resource);
  r.context = request.context;
  if (!p.anonymous) {
    r.account = iam::kAccountId;
    if (p.is_root) {
      r.is_root = true;
      r.principal_arn = iam::RootArn();
    } else {
      r.principal_arn = iam::UserArn(p.user);
      r.user = p.user;
      r.user_id = p.user_id;
      if (iam_ != nullptr) {
        // A user deleted since it authenticated simply has no policies.
        absl::StatusOr<std::vector<iam::NamedPolicy>> policies = iam_->PoliciesForUser(p.user);
        if (policies.ok()) in.identity = *std::move(policies);
      }
    }
  }
  for (const iam::NamedPolicy& named : in.identity) in.identity_ptrs.push_back(named.policy.get());
  if (!p.anonymous && p.key_policy != nullptr) in.session_ptrs.push_back(p.key_policy.get());
  eval::AddGlobalContextKeys(r, clock_ != nullptr ? clock_->Now() : absl::Now());
  if (bucket_policies_ != nullptr && !request.bucket.empty()) {
    SB_ASSIGN_OR_RETURN(in.bucket_policy, bucket_policies_->Get(request.bucket, p.anonymous));
  }
  if (request.existing_object_tags &&
      (AnyReads(in.identity_ptrs, in.bucket_policy.get()) || AnyReads(in.session_ptrs, nullptr))) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> tags =
        request.existing_object_tags();
    if (!tags.ok() && !absl::IsNotFound(tags.status())) return tags.status();
    if (tags.ok()) {
      for (auto& [key, value] : *tags) {
        r.context.insert_or_assign(std::string(kExistingObjectTag) + key,
                                   std::vector<std::string>{std::move(value)});
      }
    }
  }
  return in;
}

absl::StatusOr<Decision> Authorizer::Authorize(const AuthzRequest& request) const {
  const Principal& p = *request.principal;
  if (request.action.starts_with("admin:") && request.action != kPrometheusAction) {
    if (!p.anonymous && p.is_root) return Decision{true, "root", "", ""};
    return Decision{false, "admin-requires-root", "", ""};
  }
  // AWS: the account root can always read, replace and delete a bucket policy, so a policy
  // that denies everyone (or one that no longer parses) cannot lock a bucket for good.
  if (!p.anonymous && p.is_root &&
      (request.action == "s3:GetBucketPolicy" || request.action == "s3:PutBucketPolicy" ||
       request.action == "s3:DeleteBucketPolicy")) {
    return Decision{true, "root", "", ""};
  }
  SB_ASSIGN_OR_RETURN(Inputs in, Gather(request));
  eval::Decision d =
      eval::Evaluate(in.request, in.identity_ptrs, in.bucket_policy.get(), in.session_ptrs);
  return FromEval(d, in.identity, request.bucket, p);
}

Decision Authorizer::Authorize(const Principal& principal, std::string_view action,
                               std::string_view resource) const {
  AuthzRequest request;
  request.principal = &principal;
  request.action = action;
  request.resource = resource;
  absl::StatusOr<Decision> decision = Authorize(request);
  if (!decision.ok()) return Decision{false, "error", "", ""};
  return *std::move(decision);
}

absl::StatusOr<Simulation> Authorizer::Simulate(const AuthzRequest& request) const {
  SB_ASSIGN_OR_RETURN(Inputs in, Gather(request));
  Simulation out;
  out.explanation =
      eval::Explain(in.request, in.identity_ptrs, in.bucket_policy.get(), in.session_ptrs);
  SB_ASSIGN_OR_RETURN(out.decision, Authorize(request));
  for (const iam::NamedPolicy& named : in.identity) out.identity_policies.push_back(named.name);
  out.has_bucket_policy = in.bucket_policy != nullptr;
  return out;
}

}  // namespace sb::policy
