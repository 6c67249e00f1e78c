#include "server/lifecycle_worker.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "metadata/proto/records.pb.h"

namespace sb::server {
namespace {

constexpr char kPrincipal[] = "system:lifecycle";
constexpr int kPage = 1000;

std::map<std::string, std::string> TagsOf(const metadata::ObjectRecord& r) {
  return {r.tags().begin(), r.tags().end()};
}

bool Matches(const gateway::xml::LifecycleRule& rule, const metadata::ObjectRecord& r) {
  return rule.enabled && gateway::xml::LifecycleFilterMatches(rule, r.key(), r.size(), TagsOf(r));
}

}  // namespace

LifecycleWorker::LifecycleWorker(LifecycleOptions options, gateway::ObjectService& objects,
                                 audit::AuditLog& audit_log, const Clock& clock,
                                 metrics::Registry& metrics)
    : options_(std::move(options)),
      objects_(objects),
      audit_log_(audit_log),
      clock_(clock),
      actions_(metrics.AddCounter(
          "strongbox_lifecycle_actions_total",
          "Lifecycle actions carried out (expired, noncurrent_expired, delete_marker_removed, "
          "upload_aborted) or refused by Object Lock (locked).",
          {"action"})) {}

LifecycleWorker::~LifecycleWorker() { Stop(); }

void LifecycleWorker::Start() {
  thread_.Start(options_.interval, [this] { (void)RunOnce(); });  // errors are logged
}

void LifecycleWorker::Stop() { thread_.Stop(); }

absl::Status LifecycleWorker::RunOnce() {
  SB_ASSIGN_OR_RETURN(std::vector<metadata::BucketRecord> buckets, objects_.meta().ListBuckets());
  absl::Status first = absl::OkStatus();
  for (const metadata::BucketRecord& bucket : buckets) {
    if (bucket.lifecycle().empty() || Stopping()) continue;
    absl::StatusOr<Rules> rules = gateway::xml::ParseLifecycleConfiguration(bucket.lifecycle());
    absl::Status s = rules.status();
    if (s.ok()) s = ExpireCurrent(bucket.name(), *rules);
    if (s.ok()) s = ExpireVersions(bucket.name(), *rules);
    if (s.ok()) s = AbortUploads(bucket.name(), *rules);
    if (!s.ok() && GetReason(s) != ErrorReason::kNoSuchBucket) {
      Log(LogLevel::kError, "lifecycle pass failed for a bucket; retried next interval",
          {{"bucket", bucket.name()}, {"error", s.ToString()}});
      if (first.ok()) first = s;
    }
  }
  return first;
}

bool LifecycleWorker::Due(int64_t since_unix_nanos, int64_t days) const {
  return clock_.Now() >= absl::FromUnixNanos(since_unix_nanos) + options_.day * days;
}

// Current versions: Expiration Days (from the version's creation) or Date.
absl::Status LifecycleWorker::ExpireCurrent(const std::string& bucket, const Rules& rules) {
  metadata::ListObjectsOptions opts;
  opts.max_keys = kPage;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListObjectsResult page,
                        objects_.meta().ListObjects(bucket, opts));
    for (const metadata::ObjectRecord& obj : page.objects) {
      if (Stopping()) return absl::OkStatus();
      bool due = false;
      for (const auto& rule : rules) {
        if (!Matches(rule, obj)) continue;
        due =
            due ||
            (rule.expiration_days && Due(obj.last_modified_unix_nanos(), *rule.expiration_days)) ||
            (rule.expiration_date_unix &&
             clock_.Now() >= absl::FromUnixSeconds(*rule.expiration_date_unix));
      }
      if (!due) continue;
      // Only the version that was listed: a key written since is not expired with it.
      absl::StatusOr<metadata::ObjectRecord> now = objects_.meta().GetObject(bucket, obj.key());
      if (!now.ok() || now->version_id() != obj.version_id() ||
          now->last_modified_unix_nanos() != obj.last_modified_unix_nanos()) {
        continue;
      }
      Throttle();
      absl::StatusOr<metadata::DeleteResult> deleted =
          objects_.DeleteObject(bucket, obj.key(), kPrincipal);
      if (!deleted.ok()) {
        if (GetReason(deleted.status()) != ErrorReason::kAccessDenied) return deleted.status();
        actions_.Get({"locked"}).Inc();
        continue;
      }
      actions_.Get({"expired"}).Inc();
      Record("LifecycleExpire", bucket, obj.key(), obj.version_id());
    }
    if (!page.is_truncated) return absl::OkStatus();
    opts.start_after = page.next_marker;
  }
}

// Version listing, one key at a time: noncurrent versions and expired delete markers.
absl::Status LifecycleWorker::ExpireVersions(const std::string& bucket, const Rules& rules) {
  bool wanted = false;
  for (const auto& r : rules) {
    wanted = wanted || (r.enabled && (r.noncurrent_days || r.expired_object_delete_marker));
  }
  if (!wanted) return absl::OkStatus();
  metadata::ListVersionsOptions opts;
  opts.max_keys = kPage;
  std::vector<metadata::VersionEntry> key_versions;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListVersionsResult page,
                        objects_.meta().ListObjectVersions(bucket, opts));
    for (metadata::VersionEntry& v : page.versions) {
      if (Stopping()) return absl::OkStatus();
      if (!key_versions.empty() && key_versions.front().record.key() != v.record.key()) {
        SB_RETURN_IF_ERROR(ExpireKeyVersions(bucket, rules, key_versions));
        key_versions.clear();
      }
      key_versions.push_back(std::move(v));
    }
    if (!page.is_truncated) break;
    opts.key_marker = page.next_key_marker;
    opts.version_id_marker = page.next_version_id_marker;
  }
  if (key_versions.empty()) return absl::OkStatus();
  return ExpireKeyVersions(bucket, rules, key_versions);
}

// `versions`: one key, newest first.
absl::Status LifecycleWorker::ExpireKeyVersions(
    const std::string& bucket, const Rules& rules,
    const std::vector<metadata::VersionEntry>& versions) {
  // A delete marker that is the key's only version is an expired object delete marker.
  const metadata::ObjectRecord& newest = versions.front().record;
  if (versions.size() == 1 && versions.front().is_latest && newest.delete_marker()) {
    for (const auto& rule : rules) {
      if (rule.enabled && rule.expired_object_delete_marker &&
          newest.key().starts_with(rule.prefix) && rule.tags.empty()) {
        return RemoveVersion(bucket, newest, "LifecycleRemoveDeleteMarker");
      }
    }
    return absl::OkStatus();
  }
  int64_t rank = 0;  // among noncurrent versions, newest first
  for (size_t i = 1; i < versions.size(); ++i) {
    const metadata::ObjectRecord& v = versions[i].record;
    // A version became noncurrent when its successor was written.
    const int64_t noncurrent_since = versions[i - 1].record.last_modified_unix_nanos();
    ++rank;
    for (const auto& rule : rules) {
      if (!rule.noncurrent_days || !Matches(rule, v)) continue;
      if (rule.newer_noncurrent_versions && rank <= *rule.newer_noncurrent_versions) continue;
      if (!Due(noncurrent_since, *rule.noncurrent_days)) continue;
      SB_RETURN_IF_ERROR(RemoveVersion(bucket, v, "LifecycleExpireNoncurrent"));
      break;
    }
  }
  return absl::OkStatus();
}

absl::Status LifecycleWorker::RemoveVersion(const std::string& bucket,
                                            const metadata::ObjectRecord& version,
                                            std::string_view operation) {
  Throttle();
  absl::StatusOr<metadata::DeleteResult> deleted =
      objects_.DeleteObjectVersion(bucket, version.key(), version.version_id());
  if (!deleted.ok()) {
    if (GetReason(deleted.status()) != ErrorReason::kAccessDenied) return deleted.status();
    actions_.Get({"locked"}).Inc();  // retention or legal hold: kept
    return absl::OkStatus();
  }
  actions_.Get({version.delete_marker() ? "delete_marker_removed" : "noncurrent_expired"}).Inc();
  Record(operation, bucket, version.key(), version.version_id());
  return absl::OkStatus();
}

absl::Status LifecycleWorker::AbortUploads(const std::string& bucket, const Rules& rules) {
  bool wanted = false;
  for (const auto& r : rules) wanted = wanted || (r.enabled && r.abort_incomplete_days);
  if (!wanted) return absl::OkStatus();
  metadata::ListUploadsOptions opts;
  opts.max_uploads = kPage;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListUploadsResult page,
                        objects_.meta().ListUploads(bucket, opts));
    for (const metadata::UploadRecord& up : page.uploads) {
      if (Stopping()) return absl::OkStatus();
      for (const auto& rule : rules) {
        if (!rule.enabled || !rule.abort_incomplete_days || !up.key().starts_with(rule.prefix) ||
            !Due(up.initiated_unix_nanos(), *rule.abort_incomplete_days)) {
          continue;
        }
        Throttle();
        absl::Status s = objects_.AbortUpload(bucket, up.key(), up.upload_id());
        if (!s.ok() && GetReason(s) != ErrorReason::kNoSuchUpload) return s;
        if (s.ok()) {
          actions_.Get({"upload_aborted"}).Inc();
          Record("LifecycleAbortUpload", bucket, up.key(), up.upload_id());
        }
        break;
      }
    }
    if (!page.is_truncated) return absl::OkStatus();
    opts.key_marker = page.next_key_marker;
    opts.upload_id_marker = page.next_upload_id_marker;
  }
}

void LifecycleWorker::Throttle() {
  const absl::Time now = absl::Now();
  if (now - window_start_ >= absl::Seconds(1)) {
    window_start_ = now;
    window_count_ = 0;
  }
  if (++window_count_ > options_.max_deletes_per_second) {
    absl::SleepFor(window_start_ + absl::Seconds(1) - now);
    window_start_ = absl::Now();
    window_count_ = 1;
  }
}

void LifecycleWorker::Record(std::string_view operation, const std::string& bucket,
                             const std::string& key, const std::string& version_id) {
  audit::AuditRecord r;
  r.request_id = absl::StrCat("lifecycle-", absl::ToUnixNanos(clock_.Now()));
  r.principal.user = kPrincipal;
  r.operation = std::string(operation);
  r.bucket = bucket;
  r.key = key;
  r.version_id = version_id;
  r.decision = {true, "system", "", ""};
  r.http_status = 200;
  absl::Status s = audit_log_.Append(r);
  if (!s.ok()) {
    Log(LogLevel::kError, "audit: could not record a lifecycle action", {{"error", s.ToString()}});
  }
}

}  // namespace sb::server
