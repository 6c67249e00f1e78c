#include "common/clock.h"

#include "absl/strings/numbers.h"

namespace sb {

const Clock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

std::optional<int64_t> ParseInstantNanos(const std::string& text) {
  double seconds = 0;
  if (text.find_first_not_of("0123456789.") == std::string::npos &&
      absl::SimpleAtod(text, &seconds)) {
    return static_cast<int64_t>(seconds * 1e9);
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return absl::ToUnixNanos(t);
  return std::nullopt;
}

}  // namespace sb
