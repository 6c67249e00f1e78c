// Strict JSON parsing for policy documents: syntax errors carry the byte offset, and duplicate
// object keys are refused (Boost.JSON would silently keep the last one, so a reviewer reading
// the first "Effect" could see a different policy than the one enforced). Thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::policy::eval::internal {

// Returns InvalidArgument ("malformed JSON at byte N: ...", "duplicate key \"k\"") or the value.
absl::StatusOr<boost::json::value> ParseStrictJson(std::string_view json);

}  // namespace sb::policy::eval::internal
