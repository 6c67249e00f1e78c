// Cat(): string concatenation that accepts std::string_view (absl::StrCat in Debian's abseil
// 20220623 does not) and arithmetic values. For error messages; not for hot paths.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

namespace sb::policy::eval::internal {

inline void AppendPiece(std::string& out, std::string_view s) { out.append(s); }
inline void AppendPiece(std::string& out, char c) { out.push_back(c); }
template <typename T>
requires(std::integral<T> && !std::same_as<T, char> &&
         !std::same_as<T, bool>) void AppendPiece(std::string& out, T v) {
  out.append(std::to_string(v));
}

template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (AppendPiece(out, args), ...);
  return out;
}

}  // namespace sb::policy::eval::internal
