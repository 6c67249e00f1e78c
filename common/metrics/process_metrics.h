// Process metrics in the names every Prometheus client library uses (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_start_time_seconds), read from /proc/self at scrape time.
#pragma once

#include <cstdint>
#include <optional>

#include "common/metrics/registry.h"

namespace sb::metrics {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  uint64_t resident_bytes = 0;
  uint64_t virtual_bytes = 0;
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;
  double start_time_seconds = 0;  // since the Unix epoch
};

// Reads /proc/self/stat, /proc/stat (boot time), /proc/self/fd and RLIMIT_NOFILE.
// nullopt if /proc is not readable.
std::optional<ProcessStats> ReadProcessStats();

void RegisterProcessMetrics(Registry& registry);

}  // namespace sb::metrics
