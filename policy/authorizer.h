// Authorizer: decides whether a principal may perform an action on a resource, and says
// why. AWS semantics: explicit deny wins, then allow, else implicit deny. Until the policy
// engine lands (issue 10) the only grant is the root principal's implicit full access.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "policy/identity.h"

namespace sb::policy {

struct Decision {
  bool allowed = false;
  // Which rule decided, e.g. "root" or "implicit-deny"; goes into the audit record.
  std::string decided_by;
};

class Authorizer {
 public:
  // `action` is an IAM action ("s3:GetObject"), `resource` an ARN ("arn:aws:s3:::b/k").
  Decision Authorize(const Principal& principal, std::string_view action,
                     std::string_view resource) const;
};

}  // namespace sb::policy
