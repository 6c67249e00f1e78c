#include "policy/eval/values.h"

#include <arpa/inet.h>

#include <cmath>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "common/absl_compat.h"

namespace sb::policy::eval {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; false if any is missing or not a digit.
bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

constexpr int64_t kMaxEpochSeconds = 1'000'000'000'000'000;  // ~3e10 years

// Epoch seconds with an optional fraction: "1714566600" or "1714566600.5".
std::optional<absl::Time> ParseEpoch(std::string_view s) {
  size_t i = 0;
  int64_t secs = 0;
  while (i < s.size() && IsDigit(s[i])) {
    if (secs > kMaxEpochSeconds) return std::nullopt;  // absurd magnitude, avoids overflow
    secs = secs * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  absl::Time t = absl::FromUnixSeconds(secs);
  if (i == s.size()) return t;
  if (s[i] != '.' || i + 1 == s.size()) return std::nullopt;
  int64_t nanos = 0;
  int scale = 100000000;
  for (++i; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return std::nullopt;
    nanos += (s[i] - '0') * scale;
    scale /= 10;
  }
  return t + absl::Nanoseconds(nanos);
}

// Parses "Z", "+HH", "+HHMM" or "+HH:MM" at `pos` (the rest of the string).
bool ParseZone(std::string_view s, size_t pos, absl::Duration* offset) {
  if (pos == s.size()) {
    *offset = absl::ZeroDuration();  // no zone: UTC, as AWS does
    return true;
  }
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    *offset = absl::ZeroDuration();
    return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  int sign = s[pos] == '-' ? -1 : 1;
  int hh = 0, mm = 0;
  if (!ReadDigits(s, pos + 1, 2, &hh) || hh > 23) return false;
  size_t p = pos + 3;
  if (p < s.size()) {
    if (s[p] == ':') ++p;
    if (!ReadDigits(s, p, 2, &mm) || mm > 59 || p + 2 != s.size()) return false;
  }
  *offset = sign * (absl::Hours(hh) + absl::Minutes(mm));
  return true;
}

std::optional<absl::Time> ParseIso(std::string_view s) {
  int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  size_t p = 10;
  int64_t nanos = 0;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    if (!ReadDigits(s, p + 1, 2, &hh) || p + 3 >= s.size() || s[p + 3] != ':' ||
        !ReadDigits(s, p + 4, 2, &mi)) {
      return std::nullopt;
    }
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!ReadDigits(s, p + 1, 2, &ss)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        size_t start = p;
        int64_t scale = 100000000;
        while (p < s.size() && IsDigit(s[p])) {
          nanos += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
        if (p == start) return std::nullopt;
      }
    }
  }
  if (hh > 23 || mi > 59 || ss > 59) return std::nullopt;
  absl::Duration offset;
  if (!ParseZone(s, p, &offset)) return std::nullopt;
  absl::CivilSecond cs(y, mo, d, hh, mi, ss);
  if (cs.year() != y || cs.month() != mo || cs.day() != d) return std::nullopt;  // 2023-02-29
  return absl::FromCivil(cs, absl::UTCTimeZone()) - offset + absl::Nanoseconds(nanos);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::optional<absl::Time> ParseDateValue(std::string_view text) {
  if (text.size() >= 10 && text[4] == '-') return ParseIso(text);
  return ParseEpoch(text);
}

std::string FormatIsoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::optional<double> ParseNumberValue(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++int_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double v = 0;
  if (!absl::SimpleAtod(AsAbsl(text), &v) || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> ParseBoolValue(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  char buf[64];
  if (text.empty() || text.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress out;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, out.bytes.data()) != 1) return std::nullopt;
    out.v4 = true;
    return out;
  }
  if (inet_pton(AF_INET6, buf, out.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(out.bytes.data(), kMappedPrefix, sizeof(kMappedPrefix)) == 0) {
    std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
    std::memset(out.bytes.data() + 4, 0, 12);
    out.v4 = true;
  }
  return out;
}

std::optional<IpRange> IpRange::Parse(std::string_view text) {
  size_t slash = text.find('/');
  std::string_view addr_text = text.substr(0, slash);
  std::optional<IpAddress> addr = IpAddress::Parse(addr_text);
  if (!addr) return std::nullopt;
  bool mapped = addr->v4 && addr_text.find(':') != std::string_view::npos;
  int max_len = addr->v4 ? 32 : 128;
  int len = max_len;
  if (slash != std::string_view::npos) {
    std::string_view len_text = text.substr(slash + 1);
    if (len_text.empty() || len_text.size() > 3) return std::nullopt;
    len = 0;
    for (char c : len_text) {
      if (!IsDigit(c)) return std::nullopt;
      len = len * 10 + (c - '0');
    }
    if (mapped) {
      // "::ffff:10.0.0.0/104" is the IPv4 range 10.0.0.0/8.
      if (len < 96 || len > 128) return std::nullopt;
      len -= 96;
    }
    if (len > max_len) return std::nullopt;
  }
  IpRange r;
  r.base_ = *addr;
  r.prefix_len_ = len;
  return r;
}

bool IpRange::Contains(const IpAddress& addr) const {
  if (addr.v4 != base_.v4) return false;
  int full = prefix_len_ / 8;
  if (std::memcmp(addr.bytes.data(), base_.bytes.data(), full) != 0) return false;
  int rem = prefix_len_ % 8;
  if (rem == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rem));
  return (addr.bytes[full] & mask) == (base_.bytes[full] & mask);
}

}  // namespace sb::policy::eval
