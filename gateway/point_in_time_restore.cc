#include "gateway/point_in_time_restore.h"

#include <optional>
#include <utility>

#include "absl/time/time.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/lock/object_lock.h"

namespace sb::gateway {
namespace {

using metadata::ObjectRecord;

// True if `a` and `b` are the same object state: the same version, or a version that
// shares all of the other's data (a restored copy).
bool SameState(const ObjectRecord& a, const ObjectRecord& b) {
  if (a.version_id() == b.version_id()) return true;
  if (a.etag() != b.etag() || a.size() != b.size() || a.parts_size() != b.parts_size()) {
    return false;
  }
  for (int i = 0; i < a.parts_size(); ++i) {
    if (a.parts(i).data_ref() != b.parts(i).data_ref()) return false;
  }
  return true;
}

class Restorer {
 public:
  Restorer(ObjectService& objects, const RestoreRequest& request,
           const metadata::BucketRecord& bucket)
      : objects_(objects), request_(request), bucket_(bucket) {}

  // `versions`: every version of one key, newest first.
  absl::Status RestoreKey(const std::vector<ObjectRecord>& versions) {
    if (versions.empty()) return absl::OkStatus();
    ++report_.keys_examined;
    const ObjectRecord& latest = versions.front();
    const ObjectRecord* at_t = nullptr;
    for (const ObjectRecord& v : versions) {
      if (v.last_modified_unix_nanos() <= request_.to_unix_nanos) {
        at_t = &v;
        break;
      }
    }
    RestoreAction action;
    action.key = latest.key();
    if (at_t == nullptr || at_t->delete_marker()) {
      if (latest.delete_marker()) return Unchanged();
      action.kind = RestoreAction::Kind::kDeleteMarker;
      if (!request_.dry_run) {
        SB_ASSIGN_OR_RETURN(metadata::DeleteResult deleted,
                            objects_.DeleteObject(request_.bucket, latest.key(), request_.owner));
        if (deleted.marker.has_value()) action.new_version_id = deleted.marker->version_id();
      }
    } else {
      if (!latest.delete_marker() && SameState(latest, *at_t)) return Unchanged();
      action.kind = RestoreAction::Kind::kRestoreVersion;
      action.source_version_id = at_t->version_id();
      if (!request_.dry_run) {
        ObjectRecord tmpl;
        tmpl.set_owner(request_.owner);
        const absl::Time now = objects_.clock().Now();
        tmpl.set_last_modified_unix_nanos(absl::ToUnixNanos(now));
        // A restored version is a new version: it gets the bucket's default retention.
        policy::lock::ApplyDefaultRetention(bucket_, now, tmpl);
        SB_ASSIGN_OR_RETURN(ObjectRecord written,
                            objects_.meta().PutSharedVersion(request_.bucket, latest.key(),
                                                             at_t->version_id(), tmpl));
        action.new_version_id = written.version_id();
      }
    }
    report_.actions.push_back(std::move(action));
    return absl::OkStatus();
  }

  RestoreReport Take() { return std::move(report_); }

 private:
  absl::Status Unchanged() {
    ++report_.keys_unchanged;
    return absl::OkStatus();
  }

  ObjectService& objects_;
  const RestoreRequest& request_;
  const metadata::BucketRecord& bucket_;
  RestoreReport report_;
};

}  // namespace

absl::StatusOr<RestoreReport> RestoreToTime(ObjectService& objects, const RestoreRequest& request) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, objects.meta().GetBucket(request.bucket));
  if (bucket.versioning() != metadata::VERSIONING_ENABLED) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "point-in-time restore needs a bucket with versioning Enabled");
  }
  Restorer restorer(objects, request, bucket);
  metadata::ListVersionsOptions options;
  options.prefix = request.prefix;
  options.max_keys = 1000;
  // A key's versions can span pages: they are collected until the key changes.
  std::vector<ObjectRecord> current;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListVersionsResult page,
                        objects.meta().ListObjectVersions(request.bucket, options));
    for (metadata::VersionEntry& entry : page.versions) {
      if (!current.empty() && current.front().key() != entry.record.key()) {
        SB_RETURN_IF_ERROR(restorer.RestoreKey(current));
        current.clear();
      }
      current.push_back(std::move(entry.record));
    }
    if (!page.is_truncated) break;
    options.key_marker = page.next_key_marker;
    options.version_id_marker = page.next_version_id_marker;
  }
  SB_RETURN_IF_ERROR(restorer.RestoreKey(current));
  return restorer.Take();
}

}  // namespace sb::gateway
