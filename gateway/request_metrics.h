// RequestMetrics: per-request series, observed by the pipeline once a request is finished
// (after its audit record): strongbox_requests_total{operation,code},
// strongbox_request_duration_seconds{operation}, strongbox_received_bytes_total and
// strongbox_sent_bytes_total. The hot path takes no lock and allocates nothing once a
// (operation, status) pair has been seen: children are resolved on first use and cached in
// per-operation slots published with atomics. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/registry.h"
#include "gateway/s3_router.h"

namespace sb::gateway {

class RequestMetrics {
 public:
  explicit RequestMetrics(metrics::Registry& registry);

  void Observe(Operation op, int http_status, absl::Duration latency, uint64_t bytes_in,
               uint64_t bytes_out);

 private:
  static constexpr size_t kMaxOperations = 256;
  static constexpr size_t kCodeSlots = 16;  // distinct statuses cached per operation
  struct OpCells {
    std::atomic<metrics::Histogram*> latency{nullptr};
    std::array<int, kCodeSlots> codes{};  // written before the matching counter is published
    std::array<std::atomic<metrics::Counter*>, kCodeSlots> counters{};
  };

  metrics::Counter& RequestsFor(size_t op_index, Operation op, int http_status);
  metrics::Histogram& LatencyFor(size_t op_index, Operation op);

  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& latency_;
  metrics::Counter& received_;
  metrics::Counter& sent_;
  const std::unique_ptr<OpCells[]> ops_;
  absl::Mutex publish_mu_;  // serializes first-time publication only
};

}  // namespace sb::gateway
