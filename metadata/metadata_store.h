// MetadataStore: buckets, objects and multipart uploads in RocksDB, plus opaque IAM records.
// Every mutation is one atomic write batch committed with sync=true (the commit point of an
// S3 write).
// Thread-safe. Never returns data that was not committed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "metadata/proto/records.pb.h"

namespace sb::metadata {

struct ListObjectsOptions {
  std::string prefix;
  std::string delimiter;    // empty: no grouping
  std::string start_after;  // exclusive; keys and common prefixes <= this are skipped
  int max_keys = 1000;      // 0 returns nothing but still reports IsTruncated correctly
};

struct ListObjectsResult {
  std::vector<ObjectRecord> objects;         // sorted by key
  std::vector<std::string> common_prefixes;  // sorted
  bool is_truncated = false;
  // The last key or common prefix returned (the V1 NextMarker / V2 continuation point).
  std::string next_marker;
};

struct ListUploadsOptions {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;  // exclusive, together with upload_id_marker
  std::string upload_id_marker;
  int max_uploads = 1000;
};

struct ListUploadsResult {
  // Sorted by (key, upload id). Upload ids are time-ordered (NewTimeOrderedId), so within a
  // key this is initiation order.
  std::vector<UploadRecord> uploads;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct ListVersionsOptions {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;         // exclusive, together with version_id_marker
  std::string version_id_marker;  // needs key_marker; "null" names the null version
  int max_keys = 1000;
};

struct VersionEntry {
  ObjectRecord record;  // a version or a delete marker (record.delete_marker())
  bool is_latest = false;
};

struct ListVersionsResult {
  // Sorted by key, then newest version first.
  std::vector<VersionEntry> versions;
  std::vector<std::string> common_prefixes;  // sorted
  bool is_truncated = false;
  std::string next_key_marker;         // the last key or common prefix returned
  std::string next_version_id_marker;  // its version id ("" after a common prefix)
};

// The outcome of writing a version (PutObjectVersion, CompleteUploadVersion, and the
// delete marker a DeleteKey may write).
struct WriteVersionResult {
  ObjectRecord version;  // as committed: version_id ("null" or a new id) and version_seq set
  // The null version this write replaced (unversioned or suspended buckets); the data of
  // its parts() is no longer referenced and must be freed by the caller. Parts whose data
  // another version still holds (PutSharedVersion) are left out of parts().
  std::optional<ObjectRecord> replaced;
};

struct DeleteResult {
  // A version removed for good (the data of its parts(), if any, must be freed by the
  // caller; parts whose data another version still holds are left out of parts()).
  std::optional<ObjectRecord> removed;
  // The delete marker written (versioning enabled or suspended).
  std::optional<ObjectRecord> marker;
};

// RocksDB properties summed over the column families (MetadataStore::Stats).
struct MetadataStats {
  uint64_t live_data_bytes = 0;           // rocksdb.estimate-live-data-size
  uint64_t sst_files_bytes = 0;           // rocksdb.total-sst-files-size
  uint64_t memtable_bytes = 0;            // rocksdb.cur-size-all-mem-tables
  uint64_t estimated_keys = 0;            // rocksdb.estimate-num-keys
  uint64_t pending_compaction_bytes = 0;  // rocksdb.estimate-pending-compaction-bytes
  uint64_t compaction_pending = 0;        // rocksdb.compaction-pending (column families)
  uint64_t running_compactions = 0;       // rocksdb.num-running-compactions
  uint64_t delayed_write_rate = 0;        // rocksdb.actual-delayed-write-rate, bytes/s (0: none)
  bool writes_stopped = false;            // rocksdb.is-write-stopped
};

// One write of WriteIamRecords: puts `value` under (kind, name), or deletes it if nullopt.
struct IamRecordWrite {
  std::string kind;
  std::string name;
  std::optional<std::string> value;
};

struct ListPartsResult {
  std::vector<DataPart> parts;  // sorted by part number
  bool is_truncated = false;
  uint32_t next_part_number_marker = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Opens or creates the store in directory `path`.
  static absl::StatusOr<std::unique_ptr<MetadataStore>> Open(const std::string& path);

  // AlreadyExists(kBucketAlreadyOwnedByYou) if it exists with the same owner,
  // AlreadyExists(kBucketAlreadyExists) if another owner has it.
  virtual absl::Status CreateBucket(const BucketRecord& bucket) = 0;
  // NotFound(kNoSuchBucket).
  virtual absl::StatusOr<BucketRecord> GetBucket(std::string_view name) = 0;
  // NotFound(kNoSuchBucket); FailedPrecondition(kBucketNotEmpty) if any object version,
  // delete marker or multipart upload exists in it.
  virtual absl::Status DeleteBucket(std::string_view name) = 0;
  virtual absl::StatusOr<std::vector<BucketRecord>> ListBuckets() = 0;
  // Read-modify-write of a bucket's configuration, atomic with respect to every other
  // bucket mutation: `update` edits the current record and the result is committed.
  // NotFound(kNoSuchBucket); an error from `update` is returned and nothing is written;
  // InvalidArgument if `update` changed the name. Returns the committed record.
  virtual absl::StatusOr<BucketRecord> UpdateBucket(
      std::string_view name, const std::function<absl::Status(BucketRecord&)>& update) = 0;

  // Makes `object` the newest version of its key, as the bucket's versioning state says
  // (read under the same lock as the commit): ENABLED gives it a new version id; otherwise
  // it becomes the "null" version, replacing the previous null version (returned so the
  // caller can free its data). The caller's version_id/version_seq are ignored; the
  // sequence is derived from last_modified_unix_nanos. NotFound(kNoSuchBucket);
  // InvalidArgument for an empty key.
  // `check`, if set, is called under the key's lock with the key's current version (not a
  // delete marker; nullptr if none) and an error from it is returned with nothing written:
  // conditional writes (If-Match / If-None-Match), atomic with the commit.
  using WriteCheck = std::function<absl::Status(const ObjectRecord* current)>;
  virtual absl::StatusOr<WriteVersionResult> PutObjectVersion(std::string_view bucket,
                                                              const ObjectRecord& object,
                                                              const WriteCheck& check = {}) = 0;
  // PutObjectVersion, returning only the replaced record.
  absl::StatusOr<std::optional<ObjectRecord>> PutObject(std::string_view bucket,
                                                        const ObjectRecord& object) {
    absl::StatusOr<WriteVersionResult> result = PutObjectVersion(bucket, object);
    if (!result.ok()) return result.status();
    return std::move(result->replaced);
  }
  // The newest version unless it is a delete marker. NotFound(kNoSuchBucket) or
  // NotFound(kNoSuchKey). One point read.
  virtual absl::StatusOr<ObjectRecord> GetObject(std::string_view bucket, std::string_view key) = 0;
  // The newest version, delete markers included. NotFound(kNoSuchBucket) or
  // NotFound(kNoSuchKey) if the key has no version at all.
  virtual absl::StatusOr<ObjectRecord> GetLatestVersion(std::string_view bucket,
                                                        std::string_view key) = 0;
  // One version by id ("null" for the null version), delete markers included.
  // NotFound(kNoSuchBucket), NotFound(kNoSuchVersion); InvalidArgument for a malformed id.
  virtual absl::StatusOr<ObjectRecord> GetObjectVersion(std::string_view bucket,
                                                        std::string_view key,
                                                        std::string_view version_id) = 0;
  // DELETE without a version id. UNVERSIONED: removes the null version (if any). ENABLED:
  // writes a delete marker with a new id. SUSPENDED: replaces the null version by a null
  // delete marker. `marker` supplies owner and last_modified_unix_nanos of the marker.
  // Deleting a key that does not exist is not an error. NotFound(kNoSuchBucket).
  virtual absl::StatusOr<DeleteResult> DeleteKey(std::string_view bucket, std::string_view key,
                                                 const ObjectRecord& marker) = 0;
  // Removes one version (or delete marker) for good; the next newer-than-nothing version
  // becomes the latest. A version that does not exist is not an error (empty result).
  // `may_remove`, if set, is called with the version under the key's lock and an error from
  // it is returned with nothing removed (Object Lock's check, atomic with the removal).
  // NotFound(kNoSuchBucket); InvalidArgument for a malformed id.
  using RemovalCheck = std::function<absl::Status(const ObjectRecord&)>;
  virtual absl::StatusOr<DeleteResult> DeleteObjectVersion(std::string_view bucket,
                                                           std::string_view key,
                                                           std::string_view version_id,
                                                           const RemovalCheck& may_remove = {}) = 0;
  // DeleteKey in an unversioned way of speaking: returns the removed version, if any.
  absl::StatusOr<std::optional<ObjectRecord>> DeleteObject(std::string_view bucket,
                                                           std::string_view key) {
    absl::StatusOr<DeleteResult> result = DeleteKey(bucket, key, ObjectRecord());
    if (!result.ok()) return result.status();
    return std::move(result->removed);
  }
  // Point-in-time restore: makes a copy of version `source_version_id` of `key` the newest
  // version (a new version id; owner and last_modified_unix_nanos from `tmpl`), sharing the
  // source's data instead of copying it. Each shared part's holder count (shared_data CF)
  // goes up in the same batch, and removing a version frees only data no other version
  // holds. Retention and legal hold are not copied: the copy is a new version and takes
  // them from `tmpl` (the bucket's default retention, as a PUT would get it).
  // NotFound(kNoSuchBucket), NotFound(kNoSuchVersion) (also for a delete-marker source),
  // InvalidArgument(kInvalidRequest) unless the bucket's versioning is ENABLED.
  virtual absl::StatusOr<ObjectRecord> PutSharedVersion(std::string_view bucket,
                                                        std::string_view key,
                                                        std::string_view source_version_id,
                                                        const ObjectRecord& tmpl) {
    (void)bucket, (void)key, (void)source_version_id, (void)tmpl;
    return absl::UnimplementedError("PutSharedVersion");
  }
  // Read-modify-write of one version's record (e.g. its tags), atomic with every other
  // write of the key: `update` edits the record (a delete marker too, when named by id) and
  // the result is committed to the version and, if it is the newest, to the current copy.
  // Empty `version_id`: the newest version, NotFound(kNoSuchKey) if that is a delete marker
  // or there is none. NotFound(kNoSuchBucket), NotFound(kNoSuchVersion); InvalidArgument for
  // a malformed id or if `update` changed the key, version id or delete-marker flag; an
  // error from `update` is returned and nothing is written. Returns the committed record.
  virtual absl::StatusOr<ObjectRecord> UpdateObjectVersion(
      std::string_view bucket, std::string_view key, std::string_view version_id,
      const std::function<absl::Status(ObjectRecord&)>& update) = 0;
  // S3 ListObjectVersions: every version and delete marker, newest first per key.
  // NotFound(kNoSuchBucket); InvalidArgument if max_keys < 0, a version_id_marker comes
  // without key_marker, or the version_id_marker is malformed.
  virtual absl::StatusOr<ListVersionsResult> ListObjectVersions(
      std::string_view bucket, const ListVersionsOptions& options) = 0;
  // S3 ListObjects semantics; seeks past whole common prefixes instead of scanning them.
  // NotFound(kNoSuchBucket); InvalidArgument if max_keys < 0.
  virtual absl::StatusOr<ListObjectsResult> ListObjects(std::string_view bucket,
                                                        const ListObjectsOptions& options) = 0;

  // Multipart uploads. NotFound(kNoSuchUpload) for unknown (bucket, key, upload id), but
  // NotFound(kNoSuchBucket) if the bucket itself does not exist.
  // CreateUpload: AlreadyExists if the upload id is already in use for that key.
  virtual absl::Status CreateUpload(const UploadRecord& upload) = 0;
  virtual absl::StatusOr<UploadRecord> GetUpload(std::string_view bucket, std::string_view key,
                                                 std::string_view upload_id) = 0;
  // Records a part; returns the part it replaced (same number), if any.
  // InvalidArgument for part number 0.
  virtual absl::StatusOr<std::optional<DataPart>> PutPart(std::string_view bucket,
                                                          std::string_view key,
                                                          std::string_view upload_id,
                                                          const DataPart& part) = 0;
  // Edits part `part_number` of an upload under the key's lock (KMS rotation re-seals its
  // data key). `update` must keep the data reference (InvalidArgument otherwise); an error
  // from it is returned with nothing written. NotFound(kNoSuchUpload), NotFound(kInvalidPart)
  // if the part is not there.
  virtual absl::Status UpdatePart(std::string_view bucket, std::string_view key,
                                  std::string_view upload_id, uint32_t part_number,
                                  const std::function<absl::Status(DataPart&)>& update) = 0;
  // Parts with number > part_number_marker, at most max_parts (InvalidArgument if < 0).
  virtual absl::StatusOr<ListPartsResult> ListParts(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id,
                                                    uint32_t part_number_marker, int max_parts) = 0;
  virtual absl::StatusOr<ListUploadsResult> ListUploads(std::string_view bucket,
                                                        const ListUploadsOptions& options) = 0;
  // Atomically: removes the upload and all its parts, and puts `object` as the current
  // version. Returns the replaced object record (if any) so its data can be freed.
  // Parts of the upload not named in `object.parts` are returned in `unused_parts`.
  // The upload is found by (bucket, object.key, upload_id). InvalidArgument(kInvalidPartOrder)
  // unless part numbers ascend strictly; InvalidArgument(kInvalidPart) unless each named part
  // is the one currently stored under its number (same data_ref). Nothing changes on error.
  // The new version is written as PutObjectVersion writes it.
  virtual absl::StatusOr<WriteVersionResult> CompleteUploadVersion(
      std::string_view bucket, std::string_view upload_id, const ObjectRecord& object,
      std::vector<DataPart>* unused_parts, const WriteCheck& check = {}) = 0;
  // CompleteUploadVersion, returning only the replaced record.
  absl::StatusOr<std::optional<ObjectRecord>> CompleteUpload(std::string_view bucket,
                                                             std::string_view upload_id,
                                                             const ObjectRecord& object,
                                                             std::vector<DataPart>* unused_parts) {
    absl::StatusOr<WriteVersionResult> result =
        CompleteUploadVersion(bucket, upload_id, object, unused_parts);
    if (!result.ok()) return result.status();
    return std::move(result->replaced);
  }
  // Removes the upload and returns its parts so their data can be freed.
  virtual absl::StatusOr<std::vector<DataPart>> AbortUpload(std::string_view bucket,
                                                            std::string_view key,
                                                            std::string_view upload_id) = 0;

  // IAM records: opaque bytes under (kind, name), e.g. ("user", "alice"). The store does not
  // interpret them; the IAM layer owns their format and serializes its own mutations.
  // InvalidArgument for an empty kind or name (every IAM method below).
  virtual absl::Status PutIamRecord(std::string_view kind, std::string_view name,
                                    std::string_view value) = 0;
  // NotFound (no reason attached) if absent.
  virtual absl::StatusOr<std::string> GetIamRecord(std::string_view kind,
                                                   std::string_view name) = 0;
  // Deleting an absent record is not an error.
  virtual absl::Status DeleteIamRecord(std::string_view kind, std::string_view name) = 0;
  // Every record of `kind` as (name, value), sorted by name (byte order).
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListIamRecords(
      std::string_view kind) = 0;
  // Applies all `writes` in one atomic batch (all or nothing), in order.
  virtual absl::Status WriteIamRecords(const std::vector<IamRecordWrite>& writes) = 0;

  // Storage engine statistics for monitoring; zeros for stores without an engine behind them.
  virtual MetadataStats Stats() const { return {}; }
};

}  // namespace sb::metadata
