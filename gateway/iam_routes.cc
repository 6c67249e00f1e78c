#include "gateway/iam_routes.h"

#include "gateway/s3_request.h"

namespace sb::gateway {
namespace {

using Segments = std::vector<std::string>;

// users[/NAME[/enable|disable|access-keys|policies/POLICY]]
Operation RouteUsers(std::string_view m, const Segments& s) {
  if (s.size() == 1) {
    if (m == "GET") return Operation::kAdminIamListUsers;
    if (m == "POST") return Operation::kAdminIamCreateUser;
    return Operation::kUnknown;
  }
  if (s.size() == 2) {
    if (m == "GET") return Operation::kAdminIamGetUser;
    if (m == "PUT") return Operation::kAdminIamCreateUser;
    if (m == "DELETE") return Operation::kAdminIamDeleteUser;
    return Operation::kUnknown;
  }
  if (s.size() == 3) {
    if ((s[2] == "enable" || s[2] == "disable") && m == "POST") {
      return Operation::kAdminIamSetUserStatus;
    }
    if (s[2] == "access-keys" && m == "GET") return Operation::kAdminIamListAccessKeys;
    if (s[2] == "access-keys" && m == "POST") return Operation::kAdminIamCreateAccessKey;
    return Operation::kUnknown;
  }
  if (s.size() == 4 && s[2] == "policies") {
    if (m == "PUT") return Operation::kAdminIamAttachPolicy;
    if (m == "DELETE") return Operation::kAdminIamDetachPolicy;
  }
  return Operation::kUnknown;
}

// access-keys/ID[/enable|disable]
Operation RouteAccessKeys(std::string_view m, const Segments& s) {
  if (s.size() == 2 && m == "DELETE") return Operation::kAdminIamDeleteAccessKey;
  if (s.size() == 3 && (s[2] == "enable" || s[2] == "disable") && m == "POST") {
    return Operation::kAdminIamSetAccessKeyStatus;
  }
  return Operation::kUnknown;
}

// groups[/NAME[/members/USER|policies/POLICY]]
Operation RouteGroups(std::string_view m, const Segments& s) {
  if (s.size() == 1) {
    if (m == "GET") return Operation::kAdminIamListGroups;
    if (m == "POST") return Operation::kAdminIamCreateGroup;
    return Operation::kUnknown;
  }
  if (s.size() == 2) {
    if (m == "GET") return Operation::kAdminIamGetGroup;
    if (m == "PUT") return Operation::kAdminIamCreateGroup;
    if (m == "DELETE") return Operation::kAdminIamDeleteGroup;
    return Operation::kUnknown;
  }
  if (s.size() == 4 && s[2] == "members") {
    if (m == "PUT") return Operation::kAdminIamAddGroupMember;
    if (m == "DELETE") return Operation::kAdminIamRemoveGroupMember;
  }
  if (s.size() == 4 && s[2] == "policies") {
    if (m == "PUT") return Operation::kAdminIamAttachPolicy;
    if (m == "DELETE") return Operation::kAdminIamDetachPolicy;
  }
  return Operation::kUnknown;
}

// policies[/NAME]
Operation RoutePolicies(std::string_view m, const Segments& s) {
  if (s.size() == 1) return m == "GET" ? Operation::kAdminIamListPolicies : Operation::kUnknown;
  if (s.size() != 2) return Operation::kUnknown;
  if (m == "GET") return Operation::kAdminIamGetPolicy;
  if (m == "PUT") return Operation::kAdminIamPutPolicy;
  if (m == "DELETE") return Operation::kAdminIamDeletePolicy;
  return Operation::kUnknown;
}

}  // namespace

std::optional<std::vector<std::string>> IamPathSegments(std::string_view raw_path) {
  if (!raw_path.starts_with(kIamAdminPrefix)) return std::nullopt;
  raw_path.remove_prefix(kIamAdminPrefix.size());
  std::vector<std::string> segments;
  while (true) {
    size_t slash = raw_path.find('/');
    std::string_view raw = raw_path.substr(0, slash);
    std::string decoded;
    if (raw.empty() || !PercentDecode(raw, /*plus_is_space=*/false, &decoded)) {
      return std::nullopt;
    }
    segments.push_back(std::move(decoded));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash + 1);
  }
  return segments;
}

Operation RouteIam(std::string_view method, std::string_view raw_path) {
  std::optional<std::vector<std::string>> s = IamPathSegments(raw_path);
  if (!s.has_value()) return Operation::kUnknown;
  const std::string& family = (*s)[0];
  if (family == "users") return RouteUsers(method, *s);
  if (family == "access-keys") return RouteAccessKeys(method, *s);
  if (family == "groups") return RouteGroups(method, *s);
  if (family == "policies") return RoutePolicies(method, *s);
  if (family == "simulate" && s->size() == 1 && method == "POST") {
    return Operation::kAdminIamSimulate;
  }
  return Operation::kUnknown;
}

}  // namespace sb::gateway
