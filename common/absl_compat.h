// Debian 12's abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0 (and std optional/
// variant/any off), so absl::string_view is a distinct type from std::string_view. Our APIs
// use std::string_view; convert at abseil call sites with AsAbsl().
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace sb {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view AsStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace sb
