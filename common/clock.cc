#include "common/clock.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace sb {

const Clock& SystemClock::Get() {
  static const SystemClock kClock;
  return kClock;
}

std::optional<absl::Time> ParseHttpDate(std::string_view s) {
  static constexpr const char* kFormats[] = {"%a, %d %b %Y %H:%M:%S GMT",
                                             "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y",
                                             "%a, %d %b %Y %H:%M:%S %z"};
  std::string input(absl::StripAsciiWhitespace(absl::string_view(s.data(), s.size())));
  for (const char* f : kFormats) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime(f, input, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return std::nullopt;
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
