// Access control lists under S3 Object Ownership "BucketOwnerEnforced": the owner always
// has FULL_CONTROL and nothing else can be granted. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::gateway::xml {

// AccessControlPolicy granting FULL_CONTROL to `owner` (GetBucketAcl / GetObjectAcl).
std::string OwnerOnlyAclXml(std::string_view owner);

// True if an AccessControlPolicy body grants exactly FULL_CONTROL to `owner` and nothing
// else (the only ACL an ACL-disabled bucket accepts). InvalidArgument(kMalformedXml) for
// bad XML.
absl::StatusOr<bool> IsOwnerOnlyAcl(std::string_view body, std::string_view owner);

}  // namespace sb::gateway::xml
