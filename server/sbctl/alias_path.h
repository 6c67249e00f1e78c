// Parsing of sbctl's target arguments: "ALIAS", "ALIAS/BUCKET" or "ALIAS/BUCKET/PREFIX", the
// way MinIO's `mc` addresses a deployment, a bucket or a prefix inside it. Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::sbctl {

struct AliasPath {
  std::string alias;   // always non-empty
  std::string bucket;  // empty when only the alias was given
  std::string prefix;  // everything after "BUCKET/", verbatim (may end with '/')

  // Renders the path back to "ALIAS[/BUCKET[/PREFIX]]".
  std::string ToString() const;
};

// Returns InvalidArgument unless `name` is a valid alias name: 1-64 characters from
// [A-Za-z0-9_.-], starting with a letter or digit.
absl::Status ValidateAliasName(std::string_view name);

// Splits "ALIAS[/BUCKET[/PREFIX]]". A single trailing '/' after the alias or bucket is
// accepted ("local/" == "local"). Returns InvalidArgument for an invalid alias name, an empty
// bucket followed by a prefix ("local//x"), or a bucket containing characters S3 never allows.
absl::StatusOr<AliasPath> ParseAliasPath(std::string_view arg);

}  // namespace sb::sbctl
