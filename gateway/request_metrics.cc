#include "gateway/request_metrics.h"

#include <string>

namespace sb::gateway {

RequestMetrics::RequestMetrics(metrics::Registry& registry)
    : requests_(registry.AddCounter("strongbox_requests_total",
                                    "Requests finished, by S3 operation and HTTP status code.",
                                    {"operation", "code"})),
      latency_(registry.AddHistogram(
          "strongbox_request_duration_seconds",
          "Time from the request head to the end of the response (audit record included).",
          {"operation"}, metrics::LatencyBuckets())),
      received_(registry
                    .AddCounter("strongbox_received_bytes_total",
                                "Request body bytes received (after transport decoding).")
                    .Get({})),
      sent_(registry.AddCounter("strongbox_sent_bytes_total", "Response body bytes sent.").Get({})),
      ops_(std::make_unique<OpCells[]>(kMaxOperations)) {}

metrics::Counter& RequestMetrics::RequestsFor(size_t op_index, Operation op, int http_status) {
  OpCells& cells = ops_[op_index];
  for (size_t i = 0; i < kCodeSlots; ++i) {
    metrics::Counter* c = cells.counters[i].load(std::memory_order_acquire);
    if (c == nullptr) break;
    if (cells.codes[i] == http_status) return *c;
  }
  // First request of this (operation, status), or the slots are full.
  metrics::Counter& c =
      requests_.Get({std::string(OperationName(op)), std::to_string(http_status)});
  absl::MutexLock lock(&publish_mu_);
  for (size_t i = 0; i < kCodeSlots; ++i) {
    metrics::Counter* have = cells.counters[i].load(std::memory_order_relaxed);
    if (have != nullptr && cells.codes[i] == http_status) break;  // another thread won
    if (have == nullptr) {
      cells.codes[i] = http_status;
      cells.counters[i].store(&c, std::memory_order_release);
      break;
    }
  }
  return c;
}

metrics::Histogram& RequestMetrics::LatencyFor(size_t op_index, Operation op) {
  std::atomic<metrics::Histogram*>& slot = ops_[op_index].latency;
  if (metrics::Histogram* h = slot.load(std::memory_order_acquire)) return *h;
  metrics::Histogram& h = latency_.Get({std::string(OperationName(op))});
  slot.store(&h, std::memory_order_release);  // Get returns the same child to every racer
  return h;
}

void RequestMetrics::Observe(Operation op, int http_status, absl::Duration latency,
                             uint64_t bytes_in, uint64_t bytes_out) {
  size_t index = static_cast<size_t>(op);
  if (index >= kMaxOperations) {
    index = static_cast<size_t>(Operation::kUnknown);
    op = Operation::kUnknown;
  }
  RequestsFor(index, op, http_status).Inc();
  LatencyFor(index, op).Observe(absl::ToDoubleSeconds(latency));
  if (bytes_in != 0) received_.Inc(bytes_in);
  if (bytes_out != 0) sent_.Inc(bytes_out);
}

}  // namespace sb::gateway
