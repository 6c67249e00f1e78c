#include "gateway/handlers/range.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"

namespace sb::gateway {
namespace {

absl::Status Unsatisfiable() {
  return MakeError(absl::StatusCode::kOutOfRange, ErrorReason::kInvalidRange,
                   "The requested range is not satisfiable");
}

// Digits only. A syntactically valid position too large for 64 bits saturates: RFC 9110
// allows any digit count, and a huge last-pos still means "to the end".
bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  if (!absl::SimpleAtoi(AsAbsl(s), out)) *out = std::numeric_limits<uint64_t>::max();
  return true;
}

}  // namespace

absl::StatusOr<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size) {
  std::string_view h = AsStd(absl::StripAsciiWhitespace(AsAbsl(header)));
  if (!h.starts_with("bytes=")) return std::nullopt;
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) return std::nullopt;
  size_t dash = h.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first = h.substr(0, dash);
  std::string_view last = h.substr(dash + 1);
  uint64_t a = 0;
  uint64_t b = 0;
  if (first.empty()) {  // suffix range: the last b bytes
    if (!ParseU64(last, &b)) return std::nullopt;
    if (b == 0) return Unsatisfiable();
    // RFC 9110 14.1.1: a non-zero suffix is satisfiable even for an empty representation;
    // there is no byte to select, so the whole (empty) object is served with 200, as AWS does.
    if (size == 0) return std::nullopt;
    b = std::min(b, size);
    return ByteRange{size - b, b};
  }
  if (!ParseU64(first, &a)) return std::nullopt;
  if (last.empty()) {
    b = std::numeric_limits<uint64_t>::max();  // "a-": to the end, whatever the size
  } else if (!ParseU64(last, &b)) {
    return std::nullopt;
  }
  if (b < a) return std::nullopt;  // RFC 9110: invalid, ignore the header
  if (a >= size) return Unsatisfiable();
  b = std::min(b, size - 1);
  return ByteRange{a, b - a + 1};
}

absl::StatusOr<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size) {
  auto invalid = [] {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "The x-amz-copy-source-range value must be of the form bytes=first-last "
                     "where first and last are the zero-based offsets of the first and last "
                     "bytes to copy");
  };
  std::string_view h = header;
  if (!h.starts_with("bytes=")) return invalid();
  h.remove_prefix(6);
  size_t dash = h.find('-');
  if (dash == std::string_view::npos) return invalid();
  uint64_t a = 0;
  uint64_t b = 0;
  if (!ParseU64(h.substr(0, dash), &a) || !ParseU64(h.substr(dash + 1), &b) || b < a) {
    return invalid();
  }
  if (b >= size) return Unsatisfiable();
  return ByteRange{a, b - a + 1};
}

}  // namespace sb::gateway
