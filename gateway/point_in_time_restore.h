// Point-in-time restore: makes every key under a prefix of a versioned bucket current again
// as it was at an instant T, without copying object data. For each key, the version that
// was current at T (the newest one last modified at or before T) is made current again by
// a new version that shares its data (MetadataStore::PutSharedVersion); a key that did not
// exist at T, or whose current-at-T entry was a delete marker, gets a delete marker. Keys
// already in their state at T are left alone, so running a restore twice changes nothing
// the second time. Thread-safe (each key is changed under the store's key lock; keys
// written concurrently with a restore end in whichever state committed last).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/object_service.h"

namespace sb::gateway {

struct RestoreRequest {
  std::string bucket;
  std::string prefix;  // empty: the whole bucket
  int64_t to_unix_nanos = 0;
  bool dry_run = false;  // report what would change, change nothing
  std::string owner;     // owner of the versions and delete markers written
};

struct RestoreAction {
  enum class Kind { kRestoreVersion, kDeleteMarker };
  Kind kind = Kind::kRestoreVersion;
  std::string key;
  std::string source_version_id;  // kRestoreVersion: the version current at T
  std::string new_version_id;     // the version or delete marker written (empty: dry run)
};

struct RestoreReport {
  uint64_t keys_examined = 0;
  uint64_t keys_unchanged = 0;
  std::vector<RestoreAction> actions;  // in key order
};

// NotFound(kNoSuchBucket); InvalidArgument(kInvalidRequest) unless the bucket's versioning
// is Enabled. On an error part-way, the keys before it stay restored (each key is one
// atomic write); running the restore again completes it.
absl::StatusOr<RestoreReport> RestoreToTime(ObjectService& objects, const RestoreRequest& request);

}  // namespace sb::gateway
