#include "common/clock.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/absl_compat.h"

namespace sb {

const Clock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

std::optional<absl::Time> ParseHttpDate(std::string_view s) {
  static constexpr const char* kFormats[] = {"%a, %d %b %Y %H:%M:%S GMT",
                                             "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y",
                                             "%a, %d %b %Y %H:%M:%S %z"};
  std::string input(absl::StripAsciiWhitespace(AsAbsl(s)));
  for (const char* f : kFormats) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime(f, input, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return std::nullopt;
}

std::optional<absl::Duration> ParseOperatorDuration(std::string_view text) {
  const absl::string_view t = AsAbsl(text);
  int64_t n = 0;
  absl::Duration d;
  if (absl::SimpleAtoi(t, &n)) {
    d = absl::Seconds(n);
  } else if (t.size() > 1 && t.back() == 'd' && absl::SimpleAtoi(t.substr(0, t.size() - 1), &n)) {
    d = absl::Hours(24 * n);
  } else if (!absl::ParseDuration(t, &d)) {
    return std::nullopt;
  }
  if (d < absl::ZeroDuration()) return std::nullopt;
  return d;
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
