// Server metrics wiring: registers the series read at scrape time from the components the
// server owns (drives and erasure set, bitrot, audit log, KMS, RocksDB, HTTP connections,
// the process). Request series come from gateway::RequestMetrics. Every metric is
// documented in docs/operations.md, "Metrics".
#pragma once

#include <functional>

#include "common/metrics/registry.h"
#include "erasure/data_plane.h"
#include "metadata/metadata_store.h"
#include "policy/audit/audit_log.h"
#include "policy/sse/keyring.h"

namespace sb::server {

struct MetricsSources {
  const metadata::MetadataStore* meta = nullptr;
  const erasure::DataPlane* data = nullptr;
  const audit::AuditLog* audit = nullptr;
  const sse::Keyring* keyring = nullptr;
  std::function<size_t()> open_connections;  // may be empty until the listener exists
};

// The fdatasync histogram the audit log observes; register before opening the log.
metrics::Histogram& RegisterAuditSyncHistogram(metrics::Registry& registry);

// Registers the scrape-time series. `sources` members must outlive every Render().
void RegisterServerMetrics(metrics::Registry& registry, MetricsSources sources,
                           std::string_view version);

}  // namespace sb::server
