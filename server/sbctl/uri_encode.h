// URI encoding as AWS SigV4 defines it, used to build admin request targets whose on-wire
// form already is the canonical form that gets signed. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::sbctl {

// Every byte except A-Z a-z 0-9 - _ . ~ becomes %XX (uppercase hex); '/' is kept when
// `keep_slash` (object keys in paths) and encoded otherwise (query values).
std::string UriEncode(std::string_view s, bool keep_slash);

// Canonical form of a query string: each name and value percent-decoded, re-encoded with
// UriEncode and sorted by name then value ("a=1&b=&c=x%2Fy"). A parameter without '=' gets an
// empty value. Returns InvalidArgument on a malformed %-escape.
absl::StatusOr<std::string> CanonicalQuery(std::string_view query);

}  // namespace sb::sbctl
