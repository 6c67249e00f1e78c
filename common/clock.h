// Clock: the only source of time in production code, injected so tests control it.
// SystemClock is thread-safe; FakeClock is for tests (thread-safe too).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

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

// An instant as operators type it: RFC 3339 ("2026-11-22T06:40:00Z") or unix seconds
// ("1795329600", fractions allowed), in unix nanoseconds; nullopt if it is neither.
std::optional<int64_t> ParseInstantNanos(const std::string& text);

}  // namespace sb
