// Clock: the only source of time in production code, injected so tests control it.
// SystemClock is thread-safe; FakeClock is for tests (thread-safe too).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance.
  static const Clock& Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : nanos_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(nanos_.load()); }
  void Advance(absl::Duration d) { nanos_ += absl::ToInt64Nanoseconds(d); }
  void Set(absl::Time t) { nanos_ = absl::ToUnixNanos(t); }

 private:
  std::atomic<int64_t> nanos_;
};

// An HTTP date (Date, If-Modified-Since, ...): IMF-fixdate, RFC 850 or asctime, as RFC 9110
// requires, plus RFC 2822's numeric zone ("Sun, 22 Nov 2026 09:48:58 -0000", what botocore
// writes into Date when it signs with it); nullopt otherwise.
std::optional<absl::Time> ParseHttpDate(std::string_view s);

// A duration as operators type it: "90s", "15m", "24h", "1h30m" (absl), "30d" (days) or
// plain seconds ("3600"); nullopt otherwise or if negative.
std::optional<absl::Duration> ParseOperatorDuration(std::string_view text);

// An instant as operators type it: RFC 3339 ("2026-11-22T06:40:00Z") or unix seconds
// ("1795329600", fractions allowed), in unix nanoseconds; nullopt if it is neither.
std::optional<int64_t> ParseInstantNanos(const std::string& text);

}  // namespace sb
