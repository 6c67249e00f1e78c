// AuditShipper: copies sealed audit segments into a bucket with COMPLIANCE Object Lock, so
// the log itself is WORM, and prunes local segments past a retention (docs/audit.md,
// "Shipping and local retention"). Writes go through ObjectService, so shipped segments are
// encrypted, versioned and locked like any object; each shipment and each pruned segment is
// itself an audit record. Thread-safe; one background thread.
#pragma once

#include <memory>
#include <set>
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
#include "policy/audit/audit_log.h"
#include "policy/audit/segments.h"
#include "server/periodic_thread.h"

namespace sb::server {

struct AuditShipperOptions {
  std::string audit_dir;
  std::string bucket;             // empty: no shipping
  std::string prefix = "audit/";  // object keys: PREFIX + segment file name
  absl::Duration interval = absl::Seconds(60);
  // Sealed local segments older than this are deleted, once shipped if shipping is on.
  // Zero: keep them all.
  absl::Duration local_retention = absl::ZeroDuration();
  std::string public_key_pem;  // shipped beside the segments for offline verification
};

class AuditShipper {
 public:
  AuditShipper(AuditShipperOptions options, gateway::ObjectService& objects,
               audit::AuditLog& audit_log, const Clock& clock, metrics::Registry& metrics);
  ~AuditShipper();  // Stop()
  AuditShipper(const AuditShipper&) = delete;
  AuditShipper& operator=(const AuditShipper&) = delete;

  // Runs RunOnce every interval on a background thread.
  void Start();
  void Stop();

  // One pass: ships every sealed segment not shipped yet (oldest first, stopping at the
  // first failure), then prunes. FailedPrecondition when the bucket is missing or not
  // COMPLIANCE-locked; other errors from the object write.
  absl::Status RunOnce();

 private:
  absl::Status CheckBucket();
  absl::Status Ship(const std::string& name, const std::string& path, uint64_t last_seq);
  absl::Status Put(const std::string& key, std::string_view content_type, gateway::BodySource& body,
                   const gateway::WriteChecks& checks, std::string* etag);
  absl::Status PutBytes(const std::string& key, const std::string& bytes, std::string* etag);
  absl::Status PutFile(const std::string& key, const std::string& path, std::string* etag);
  // Deletes `sealed` segments (oldest first) past the local retention.
  absl::Status Prune(const std::vector<audit::SealedSegment>& sealed);
  void Record(std::string_view operation, const std::string& key, const std::string& etag,
              uint64_t bytes);
  // Reads shipped.log into shipped_names_ (once; MarkShipped keeps both in step after).
  void LoadShipped();
  absl::Status MarkShipped(const std::string& name);

  const AuditShipperOptions options_;
  gateway::ObjectService& objects_;
  audit::AuditLog& audit_log_;
  const Clock& clock_;
  metrics::Counter& shipped_;
  metrics::Counter& ship_errors_;
  metrics::Counter& pruned_;

  absl::Mutex run_mu_;  // one pass at a time
  std::set<std::string> shipped_names_ ABSL_GUARDED_BY(run_mu_);
  bool shipped_loaded_ ABSL_GUARDED_BY(run_mu_) = false;
  bool key_shipped_ ABSL_GUARDED_BY(run_mu_) = false;
  std::string last_error_ ABSL_GUARDED_BY(run_mu_);  // logged once per distinct error

  PeriodicThread thread_;
};

}  // namespace sb::server
