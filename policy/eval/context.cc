#include "policy/eval/context.h"

#include "absl/strings/str_cat.h"
#include "policy/eval/values.h"

namespace sb::policy::eval {
namespace {

// AWS's aws:PrincipalType values, derived from the principal ARN.
std::string_view PrincipalType(const EvalRequest& r) {
  if (r.is_root) return "Account";
  if (r.anonymous()) return "Anonymous";
  if (r.principal_arn.find(":assumed-role/") != std::string::npos) return "AssumedRole";
  if (r.principal_arn.find(":federated-user/") != std::string::npos) return "FederatedUser";
  if (!r.service.empty() && r.principal_arn.empty()) return "Service";
  return "User";
}

void Set(ContextMap& m, std::string_view key, std::string value) {
  m.insert_or_assign(std::string(key), std::vector<std::string>{std::move(value)});
}

}  // namespace

size_t CaseInsensitiveHash::operator()(std::string_view s) const {
  // FNV-1a over lower-cased bytes; keys are short and few.
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(AsciiLower(c));
    h *= 1099511628211ULL;
  }
  return static_cast<size_t>(h);
}

bool CaseInsensitiveEq::operator()(std::string_view a, std::string_view b) const {
  return EqualsIgnoreCase(a, b);
}

const std::vector<std::string>* FindContextValues(const ContextMap& context, std::string_view key) {
  auto it = context.find(key);
  if (it == context.end() || it->second.empty()) return nullptr;
  return &it->second;
}

void AddGlobalContextKeys(EvalRequest& r, absl::Time now) {
  ContextMap& m = r.context;
  Set(m, "aws:CurrentTime", FormatIsoTime(now));
  Set(m, "aws:EpochTime", absl::StrCat(absl::ToUnixSeconds(now)));
  std::string_view type = PrincipalType(r);
  Set(m, "aws:PrincipalType", std::string(type));
  for (std::string_view k :
       {"aws:username", "aws:userid", "aws:PrincipalArn", "aws:PrincipalAccount"}) {
    m.erase(k);
  }
  if (r.anonymous()) {
    Set(m, "aws:userid", "anonymous");
    return;
  }
  if (r.is_root) {
    Set(m, "aws:userid", r.account);
  } else if (!r.user_id.empty() || !r.user.empty()) {
    Set(m, "aws:userid", r.user_id.empty() ? r.user : r.user_id);
  }
  if (type == "User" && !r.user.empty()) Set(m, "aws:username", r.user);
  if (!r.principal_arn.empty()) Set(m, "aws:PrincipalArn", r.principal_arn);
  if (!r.account.empty()) Set(m, "aws:PrincipalAccount", r.account);
}

}  // namespace sb::policy::eval
