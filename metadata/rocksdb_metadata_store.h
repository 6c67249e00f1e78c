// RocksDbMetadataStore: the MetadataStore on RocksDB (layout in metadata/keys.h and
// docs/on-disk-format.md). Thread-safe.
//
// Atomicity of read-modify-write operations uses striped locks rather than a TransactionDB:
// every operation knows its (bucket, key) up front, so two fixed lock arrays give exact
// mutual exclusion with no lock manager, no deadlock detection and no Busy/retry paths.
// - bucket stripe (hash of the bucket name): CreateBucket and DeleteBucket hold it
//   exclusively; every operation that writes inside a bucket holds it shared while it
//   checks the bucket exists and commits. So a put either commits before DeleteBucket's
//   emptiness check (and the delete fails with BucketNotEmpty) or sees NoSuchBucket.
// - key stripe (hash of bucket and key): held exclusively around the read and the commit of
//   every version write or delete and of every multipart mutation of that key, so "the
//   record I replaced" is exact, version sequences of a key strictly increase, and a part
//   can never be both replaced and completed. Versioning state is read from the bucket
//   record under the shared bucket stripe, so it cannot change between read and commit.
// Locks are always taken bucket stripe first, then one key stripe: no cycles. Reads take
// no locks; they use a RocksDB snapshot so each call sees one consistent point in time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "metadata/metadata_store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class WriteBatch;
struct ReadOptions;
}  // namespace rocksdb

namespace sb::metadata {

class RocksDbMetadataStore final : public MetadataStore {
 public:
  // Opens or creates the store in `path` (directories are created). Opens every column
  // family present on disk, creating missing ones. FailedPrecondition if the store was
  // written by a newer on-disk format; Internal/Unavailable for RocksDB errors.
  static absl::StatusOr<std::unique_ptr<RocksDbMetadataStore>> OpenStore(const std::string& path);
  ~RocksDbMetadataStore() override;

  RocksDbMetadataStore(const RocksDbMetadataStore&) = delete;
  RocksDbMetadataStore& operator=(const RocksDbMetadataStore&) = delete;

  absl::Status CreateBucket(const BucketRecord& bucket) override;
  absl::StatusOr<BucketRecord> GetBucket(std::string_view name) override;
  absl::Status DeleteBucket(std::string_view name) override;
  absl::StatusOr<std::vector<BucketRecord>> ListBuckets() override;
  absl::StatusOr<BucketRecord> UpdateBucket(
      std::string_view name, const std::function<absl::Status(BucketRecord&)>& update) override;

  // Runs `check` (if set) on the key's current version; call under the key's lock.
  absl::Status RunWriteCheck(const rocksdb::ReadOptions& options, std::string_view bucket,
                             std::string_view key, const WriteCheck& check);
  absl::StatusOr<WriteVersionResult> PutObjectVersion(std::string_view bucket,
                                                      const ObjectRecord& object,
                                                      const WriteCheck& check = {}) override;
  absl::StatusOr<ObjectRecord> GetObject(std::string_view bucket, std::string_view key) override;
  absl::StatusOr<ObjectRecord> GetLatestVersion(std::string_view bucket,
                                                std::string_view key) override;
  absl::StatusOr<ObjectRecord> GetObjectVersion(std::string_view bucket, std::string_view key,
                                                std::string_view version_id) override;
  absl::StatusOr<DeleteResult> DeleteKey(std::string_view bucket, std::string_view key,
                                         const ObjectRecord& marker) override;
  absl::StatusOr<DeleteResult> DeleteObjectVersion(std::string_view bucket, std::string_view key,
                                                   std::string_view version_id,
                                                   const RemovalCheck& may_remove = {}) override;
  absl::StatusOr<ListVersionsResult> ListObjectVersions(
      std::string_view bucket, const ListVersionsOptions& options) override;
  absl::StatusOr<ObjectRecord> UpdateObjectVersion(
      std::string_view bucket, std::string_view key, std::string_view version_id,
      const std::function<absl::Status(ObjectRecord&)>& update) override;
  absl::StatusOr<ListObjectsResult> ListObjects(std::string_view bucket,
                                                const ListObjectsOptions& options) override;

  absl::Status CreateUpload(const UploadRecord& upload) override;
  absl::StatusOr<UploadRecord> GetUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id) override;
  absl::StatusOr<std::optional<DataPart>> PutPart(std::string_view bucket, std::string_view key,
                                                  std::string_view upload_id,
                                                  const DataPart& part) override;
  absl::StatusOr<ListPartsResult> ListParts(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id, uint32_t part_number_marker,
                                            int max_parts) override;
  absl::StatusOr<ListUploadsResult> ListUploads(std::string_view bucket,
                                                const ListUploadsOptions& options) override;
  absl::StatusOr<WriteVersionResult> CompleteUploadVersion(std::string_view bucket,
                                                           std::string_view upload_id,
                                                           const ObjectRecord& object,
                                                           std::vector<DataPart>* unused_parts,
                                                           const WriteCheck& check = {}) override;
  absl::Status UpdatePart(std::string_view bucket, std::string_view key, std::string_view upload_id,
                          uint32_t part_number,
                          const std::function<absl::Status(DataPart&)>& update) override;
  absl::StatusOr<std::vector<DataPart>> AbortUpload(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id) override;

  absl::Status PutIamRecord(std::string_view kind, std::string_view name,
                            std::string_view value) override;
  absl::StatusOr<std::string> GetIamRecord(std::string_view kind, std::string_view name) override;
  absl::Status DeleteIamRecord(std::string_view kind, std::string_view name) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListIamRecords(
      std::string_view kind) override;
  absl::Status WriteIamRecords(const std::vector<IamRecordWrite>& writes) override;

  // rocksdb_metadata_shared.cc
  absl::StatusOr<ObjectRecord> PutSharedVersion(std::string_view bucket, std::string_view key,
                                                std::string_view source_version_id,
                                                const ObjectRecord& tmpl) override;

  MetadataStats Stats() const override;  // rocksdb_metadata_stats.cc

  // Iterator positioning calls (Seek + Next) made by all listings so far. Lets tests check
  // that a listing skips a common prefix with a seek instead of walking its keys.
  uint64_t IteratorStepsForTest() const { return iterator_steps_.load(); }

 private:
  static constexpr size_t kBucketStripes = 64;
  static constexpr size_t kKeyStripes = 1024;

  RocksDbMetadataStore(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles);

  absl::Mutex& BucketStripe(std::string_view bucket);
  absl::Mutex& KeyStripe(std::string_view bucket, std::string_view key);

  // Commits `batch` with sync=true.
  absl::Status Commit(rocksdb::WriteBatch* batch);
  // Reads `key` of `cf` into `*record`. Returns false if absent; DataLoss if unparsable.
  absl::StatusOr<bool> ReadRecord(const rocksdb::ReadOptions& options,
                                  rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                  google::protobuf::MessageLite* record);
  // NotFound(kNoSuchBucket) unless the bucket exists as of `options`.
  absl::Status RequireBucket(const rocksdb::ReadOptions& options, std::string_view bucket);
  // The bucket's record, NotFound(kNoSuchBucket).
  absl::StatusOr<BucketRecord> ReadBucket(const rocksdb::ReadOptions& options,
                                          std::string_view bucket);

  // Versions (rocksdb_metadata_versions.cc). Callers hold the key stripe for writes.
  // The newest version of `key`, delete markers included; nullopt if none.
  absl::StatusOr<std::optional<ObjectRecord>> ReadLatestVersion(const rocksdb::ReadOptions& options,
                                                                std::string_view bucket,
                                                                std::string_view key);
  // The version `version_id` names ("null" included); nullopt if absent. InvalidArgument
  // for a malformed id.
  absl::StatusOr<std::optional<ObjectRecord>> ReadVersion(const rocksdb::ReadOptions& options,
                                                          std::string_view bucket,
                                                          std::string_view key,
                                                          std::string_view version_id);
  // Adds to `batch` the writes that make `record` the newest version of its key under
  // `state` (id and sequence assigned here), replacing the null version unless ENABLED.
  absl::StatusOr<WriteVersionResult> StageNewVersion(const rocksdb::ReadOptions& options,
                                                     rocksdb::WriteBatch* batch,
                                                     std::string_view bucket, VersioningState state,
                                                     ObjectRecord record);
  // Adds to `batch` the writes that remove `version` for good, updating the objects CF if it
  // was the newest.
  absl::Status StageRemoveVersion(const rocksdb::ReadOptions& options, rocksdb::WriteBatch* batch,
                                  std::string_view bucket, const ObjectRecord& version);
  // Shared data (rocksdb_metadata_shared.cc). Adds to `batch` the release of `removed`'s
  // data by the version being removed: a part whose data another version of the key still
  // holds has its holder count decremented and is dropped from `removed->parts()`, so the
  // caller frees only data nothing references any more. Callers hold the key stripe.
  absl::Status StageReleaseData(const rocksdb::ReadOptions& options, rocksdb::WriteBatch* batch,
                                std::string_view bucket, ObjectRecord* removed);
  // Format 1 -> 2: every object of the objects CF becomes its key's null version.
  absl::Status MigrateToVersions();
  // The upload's record, NotFound(kNoSuchBucket) or NotFound(kNoSuchUpload).
  absl::StatusOr<UploadRecord> RequireUpload(const rocksdb::ReadOptions& options,
                                             std::string_view bucket, std::string_view key,
                                             std::string_view upload_id);
  // All parts of an upload, by ascending part number.
  absl::StatusOr<std::vector<DataPart>> ReadAllParts(const rocksdb::ReadOptions& options,
                                                     std::string_view bucket, std::string_view key,
                                                     std::string_view upload_id);
  // True if any key of `cf` starts with `prefix`.
  absl::StatusOr<bool> AnyKeyWithPrefix(const rocksdb::ReadOptions& options,
                                        rocksdb::ColumnFamilyHandle* cf, const std::string& prefix);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // all open CFs, owned; freed first
  rocksdb::ColumnFamilyHandle* buckets_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* objects_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* uploads_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* parts_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* iam_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* versions_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* null_versions_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* shared_data_cf_ = nullptr;
  std::array<absl::Mutex, kBucketStripes> bucket_stripes_;
  std::array<absl::Mutex, kKeyStripes> key_stripes_;
  std::atomic<uint64_t> iterator_steps_{0};
};

}  // namespace sb::metadata
