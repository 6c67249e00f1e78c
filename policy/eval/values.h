// Typed values of the IAM policy language: ISO 8601 / epoch dates, numbers, booleans and
// IPv4/IPv6 CIDR ranges. Parsing is strict and allocation-free so the evaluator can parse
// request-context values on every request. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace sb::policy::eval {

// ASCII-only case folding: AWS compares condition keys and actions case-insensitively in ASCII.
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Parses an AWS date condition value: ISO 8601 ("2024-05-01", "2024-05-01T12:30Z",
// "2024-05-01T12:30:00.250+02:00"; no zone means UTC) or epoch seconds ("1714566600",
// optionally with a fraction). Returns nullopt for anything else, including calendar-invalid
// dates such as 2023-02-29.
std::optional<absl::Time> ParseDateValue(std::string_view text);

// Formats `t` as aws:CurrentTime does: "2024-05-01T12:30:00Z" (UTC, whole seconds).
std::string FormatIsoTime(absl::Time t);

// Parses a decimal number ("42", "-3.5", "1e3"); rejects empty strings, spaces, hex, inf, nan.
std::optional<double> ParseNumberValue(std::string_view text);

// Parses "true" / "false" (ASCII case-insensitive), as AWS's Bool operator does.
std::optional<bool> ParseBoolValue(std::string_view text);

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are normalised to
// IPv4 so that IPv4 ranges in policies still match dual-stack listeners.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes
  bool v4 = false;

  // Parses a textual address without a prefix length; nullopt if malformed.
  static std::optional<IpAddress> Parse(std::string_view text);
};

// A CIDR range ("192.0.2.0/24", "2001:db8::/32"); a bare address means a single host.
// Host bits beyond the prefix are ignored, as AWS does.
class IpRange {
 public:
  // Returns nullopt if the address is malformed or the prefix exceeds 32 / 128.
  static std::optional<IpRange> Parse(std::string_view text);

  // True if `addr` is of the same family and inside the range.
  bool Contains(const IpAddress& addr) const;

  bool v4() const { return base_.v4; }
  int prefix_len() const { return prefix_len_; }

 private:
  IpAddress base_;
  int prefix_len_ = 0;
};

}  // namespace sb::policy::eval
