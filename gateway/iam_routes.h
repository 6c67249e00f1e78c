// Routes of the IAM admin API under /_strongbox/admin/v1/iam/ (users, access keys, groups,
// managed policies, simulate) to Operations, and the decoded path segments the handlers
// read names from. Pure functions; thread-safe. The API is described in docs/operations.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/s3_router.h"

namespace sb::gateway {

inline constexpr std::string_view kIamAdminPrefix = "/_strongbox/admin/v1/iam/";

// The percent-decoded segments of `raw_path` after kIamAdminPrefix ("users", "alice",
// "access-keys"); nullopt if the path is not under the prefix, has an empty segment or a
// bad escape.
std::optional<std::vector<std::string>> IamPathSegments(std::string_view raw_path);

// The IAM admin operation for `method` + `raw_path`, or kUnknown (then 405).
Operation RouteIam(std::string_view method, std::string_view raw_path);

}  // namespace sb::gateway
