// Lock-free metric cells: Counter, Gauge and fixed-bucket Histogram. Updates are single
// atomic operations (relaxed order; a scrape is a statistical snapshot), never allocate and
// never lock, so they are safe on the request hot path. Cells are neither copyable nor
// movable: a Registry family hands out stable references (see registry.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace sb::metrics {

// A monotonically increasing count.
class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Per-bucket counts (not cumulative), sum and count of a histogram at one instant.
struct HistogramSnapshot {
  std::vector<double> bounds;    // upper bounds, ascending; +Inf is implicit
  std::vector<uint64_t> counts;  // bounds.size() + 1 entries, the last one for +Inf
  double sum = 0;
  uint64_t count = 0;
};

// Observations counted into fixed buckets (upper bounds inclusive, Prometheus "le").
class Histogram {
 public:
  // `bounds` must be ascending and finite; +Inf is added implicitly.
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double v);
  HistogramSnapshot Snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

// Bucket bounds for request and disk latencies in seconds: 0.5 ms .. 30 s.
std::vector<double> LatencyBuckets();
// `count` bounds start, start*factor, start*factor^2, ...
std::vector<double> ExponentialBuckets(double start, double factor, int count);

}  // namespace sb::metrics
