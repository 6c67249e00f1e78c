// LifecycleWorker: carries out the buckets' lifecycle rules (BucketRecord.lifecycle) on a
// background thread, every `interval`: expires current versions (Days, Date), removes
// expired object delete markers, expires noncurrent versions (NoncurrentDays, keeping
// NewerNoncurrentVersions), and aborts incomplete multipart uploads. Every removal goes
// through ObjectService, so Object Lock retention and legal holds are enforced (a locked
// version is skipped and counted), and each is an audit record by `system:lifecycle`.
// Restart-safe without state of its own: a pass decides from the records alone, so an
// interrupted pass is simply redone. Listings are paged (1,000 at a time); only the
// versions of one key at a time are held. Deletions are throttled to
// `max_deletes_per_second`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/metrics/registry.h"
#include "gateway/object_service.h"
#include "gateway/xml/lifecycle_xml.h"
#include "policy/audit/audit_log.h"
#include "server/periodic_thread.h"

namespace sb::server {

struct LifecycleOptions {
  absl::Duration interval = absl::Hours(1);
  // The length of a lifecycle "day" (S3: 24 h). Tests shorten it, as Ceph's
  // rgw_lc_debug_interval does.
  absl::Duration day = absl::Hours(24);
  int max_deletes_per_second = 1000;
};

class LifecycleWorker {
 public:
  LifecycleWorker(LifecycleOptions options, gateway::ObjectService& objects,
                  audit::AuditLog& audit_log, const Clock& clock, metrics::Registry& metrics);
  ~LifecycleWorker();  // Stop()
  LifecycleWorker(const LifecycleWorker&) = delete;
  LifecycleWorker& operator=(const LifecycleWorker&) = delete;

  void Start();
  void Stop();

  // One pass over every bucket with a lifecycle configuration. Errors of one bucket are
  // logged and do not stop the others; the first is returned.
  absl::Status RunOnce();

 private:
  using Rules = std::vector<gateway::xml::LifecycleRule>;
  absl::Status ExpireCurrent(const std::string& bucket, const Rules& rules);
  absl::Status ExpireVersions(const std::string& bucket, const Rules& rules);
  absl::Status ExpireKeyVersions(const std::string& bucket, const Rules& rules,
                                 const std::vector<metadata::VersionEntry>& versions);
  absl::Status AbortUploads(const std::string& bucket, const Rules& rules);
  // Due when `since` plus `days` lifecycle days has passed.
  bool Due(int64_t since_unix_nanos, int64_t days) const;
  // Removes one version (lock-checked); a lock refusal is counted, not an error.
  absl::Status RemoveVersion(const std::string& bucket, const metadata::ObjectRecord& version,
                             std::string_view operation);
  void Throttle();
  bool Stopping() { return thread_.stopping(); }
  void Record(std::string_view operation, const std::string& bucket, const std::string& key,
              const std::string& version_id);

  const LifecycleOptions options_;
  gateway::ObjectService& objects_;
  audit::AuditLog& audit_log_;
  const Clock& clock_;
  metrics::Family<metrics::Counter>& actions_;

  PeriodicThread thread_;
  absl::Time window_start_;  // throttling (worker thread only)
  int window_count_ = 0;
};

}  // namespace sb::server
