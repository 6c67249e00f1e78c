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
  // NotFound(kNoSuchBucket); FailedPrecondition(kBucketNotEmpty) if any object or
  // multipart upload exists in it.
  virtual absl::Status DeleteBucket(std::string_view name) = 0;
  virtual absl::StatusOr<std::vector<BucketRecord>> ListBuckets() = 0;
  // Read-modify-write of a bucket's configuration, atomic with respect to every other
  // bucket mutation: `update` edits the current record and the result is committed.
  // NotFound(kNoSuchBucket); an error from `update` is returned and nothing is written;
  // InvalidArgument if `update` changed the name. Returns the committed record.
  virtual absl::StatusOr<BucketRecord> UpdateBucket(
      std::string_view name, const std::function<absl::Status(BucketRecord&)>& update) = 0;

  // Makes `object` the current version of its key. Returns the record it replaced (so the
  // caller can free its data) or nullopt. NotFound(kNoSuchBucket); InvalidArgument for an
  // empty key.
  virtual absl::StatusOr<std::optional<ObjectRecord>> PutObject(std::string_view bucket,
                                                                const ObjectRecord& object) = 0;
  // NotFound(kNoSuchBucket) or NotFound(kNoSuchKey).
  virtual absl::StatusOr<ObjectRecord> GetObject(std::string_view bucket, std::string_view key) = 0;
  // Removes the current version; returns it, or nullopt if there was none (not an error).
  // NotFound(kNoSuchBucket).
  virtual absl::StatusOr<std::optional<ObjectRecord>> DeleteObject(std::string_view bucket,
                                                                   std::string_view key) = 0;
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
  virtual absl::StatusOr<std::optional<ObjectRecord>> CompleteUpload(
      std::string_view bucket, std::string_view upload_id, const ObjectRecord& object,
      std::vector<DataPart>* unused_parts) = 0;
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
};

}  // namespace sb::metadata
