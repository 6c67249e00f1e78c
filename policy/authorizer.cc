#include "policy/authorizer.h"

namespace sb::policy {

Decision Authorizer::Authorize(const Principal& principal, std::string_view /*action*/,
                               std::string_view /*resource*/) const {
  if (!principal.anonymous && principal.is_root) return {true, "root"};
  return {false, "implicit-deny"};
}

}  // namespace sb::policy
