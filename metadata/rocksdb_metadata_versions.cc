// Object versions of RocksDbMetadataStore: writes and deletes of versions and delete
// markers, point reads by version id, and the one-time migration from format 1. Layout in
// metadata/keys.h; ListObjectVersions lives in rocksdb_metadata_listing.cc.
//
// Invariants (each kept by one write batch):
// - every version of a key, delete markers and the null version included, is in the
//   versions CF under VersionKey(bucket, key, seq); sequences of a key strictly increase;
// - the objects CF holds a copy of the newest version iff that version is not a delete
//   marker;
// - the null_versions CF holds the sequence of the key's null version iff it has one;
// - the shared_data CF counts the extra holders of data shared between versions
//   (rocksdb_metadata_shared.cc); every removal of a version releases its data there.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "metadata/internal/rocksdb_support.h"
#include "metadata/keys.h"
#include "metadata/rocksdb_metadata_store.h"
#include "metadata/version_id.h"
#include "rocksdb/db.h"
#include "rocksdb/snapshot.h"
#include "rocksdb/write_batch.h"

namespace sb::metadata {
namespace {

absl::Status InvalidVersionId() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   "Invalid version id specified");
}

absl::Status EmptyKey() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   "empty object key");
}

uint64_t MicrosOf(const ObjectRecord& record) {
  int64_t nanos = record.last_modified_unix_nanos();
  return nanos > 0 ? static_cast<uint64_t>(nanos / 1000) : 0;
}

}  // namespace

absl::StatusOr<std::optional<ObjectRecord>> RocksDbMetadataStore::ReadLatestVersion(
    const rocksdb::ReadOptions& options, std::string_view bucket, std::string_view key) {
  const std::string prefix = VersionKeyPrefix(bucket, key);
  rocksdb::ReadOptions bounded = options;
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) bounded.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(bounded, versions_cf_));
  it->Seek(prefix);
  if (!it->Valid() || !it->key().starts_with(prefix)) {
    SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "read latest version"));
    return std::optional<ObjectRecord>();
  }
  ObjectRecord record;
  SB_RETURN_IF_ERROR(
      ParseRecord(std::string_view(it->value().data(), it->value().size()), &record, key));
  return std::optional<ObjectRecord>(std::move(record));
}

absl::StatusOr<std::optional<ObjectRecord>> RocksDbMetadataStore::ReadVersion(
    const rocksdb::ReadOptions& options, std::string_view bucket, std::string_view key,
    std::string_view version_id) {
  uint64_t seq = 0;
  if (version_id == kNullVersionId) {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->Get(options, null_versions_cf_, ObjectKey(bucket, key), &value);
    if (s.IsNotFound()) return std::optional<ObjectRecord>();
    SB_RETURN_IF_ERROR(FromRocksDb(s, "read null version"));
    std::optional<uint64_t> decoded = DecodeSeq(std::string_view(value.data(), value.size()));
    if (!decoded.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed null version entry");
    }
    seq = *decoded;
  } else {
    std::optional<uint64_t> parsed = VersionIdSeq(version_id);
    if (!parsed.has_value()) return InvalidVersionId();
    seq = *parsed;
  }
  ObjectRecord record;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(options, versions_cf_, VersionKey(bucket, key, seq), &record));
  // The random half of the id must match too: an id is not guessable from its time.
  if (!found || record.version_id() != version_id) return std::optional<ObjectRecord>();
  return std::optional<ObjectRecord>(std::move(record));
}

absl::StatusOr<WriteVersionResult> RocksDbMetadataStore::StageNewVersion(
    const rocksdb::ReadOptions& options, rocksdb::WriteBatch* batch, std::string_view bucket,
    VersioningState state, ObjectRecord record) {
  const std::string& key = record.key();
  SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> latest, ReadLatestVersion(options, bucket, key));
  uint64_t seq = MicrosOf(record);
  if (latest.has_value()) seq = std::max(seq, latest->version_seq() + 1);
  WriteVersionResult result;
  if (state == VERSIONING_ENABLED) {
    record.set_version_id(MakeVersionId(seq));
  } else {
    record.set_version_id(std::string(kNullVersionId));
    SB_ASSIGN_OR_RETURN(result.replaced, ReadVersion(options, bucket, key, kNullVersionId));
    if (result.replaced.has_value()) {
      SB_RETURN_IF_ERROR(FromRocksDb(
          batch->Delete(versions_cf_, VersionKey(bucket, key, result.replaced->version_seq())),
          "batch"));
      SB_RETURN_IF_ERROR(StageReleaseData(options, batch, bucket, &*result.replaced));
    }
    SB_RETURN_IF_ERROR(FromRocksDb(
        batch->Put(null_versions_cf_, ObjectKey(bucket, key), EncodeSeq(seq)), "batch"));
  }
  record.set_version_seq(seq);
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(record, &value));
  SB_RETURN_IF_ERROR(
      FromRocksDb(batch->Put(versions_cf_, VersionKey(bucket, key, seq), value), "batch"));
  if (record.delete_marker()) {
    SB_RETURN_IF_ERROR(FromRocksDb(batch->Delete(objects_cf_, ObjectKey(bucket, key)), "batch"));
  } else {
    SB_RETURN_IF_ERROR(
        FromRocksDb(batch->Put(objects_cf_, ObjectKey(bucket, key), value), "batch"));
  }
  result.version = std::move(record);
  return result;
}

absl::Status RocksDbMetadataStore::StageRemoveVersion(const rocksdb::ReadOptions& options,
                                                      rocksdb::WriteBatch* batch,
                                                      std::string_view bucket,
                                                      const ObjectRecord& version) {
  const std::string& key = version.key();
  SB_RETURN_IF_ERROR(FromRocksDb(
      batch->Delete(versions_cf_, VersionKey(bucket, key, version.version_seq())), "batch"));
  if (version.version_id() == kNullVersionId) {
    SB_RETURN_IF_ERROR(
        FromRocksDb(batch->Delete(null_versions_cf_, ObjectKey(bucket, key)), "batch"));
  }
  // Only removing the newest version changes what the objects CF shows: then the next one
  // (if any, and unless it is a delete marker) becomes current.
  const std::string prefix = VersionKeyPrefix(bucket, key);
  rocksdb::ReadOptions bounded = options;
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) bounded.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(bounded, versions_cf_));
  it->Seek(prefix);
  if (!it->Valid() || it->key() != rocksdb::Slice(VersionKey(bucket, key, version.version_seq()))) {
    return FromRocksDb(it->status(), "read versions");
  }
  it->Next();
  std::optional<ObjectRecord> next;
  if (it->Valid() && it->key().starts_with(prefix)) {
    next.emplace();
    SB_RETURN_IF_ERROR(
        ParseRecord(std::string_view(it->value().data(), it->value().size()), &*next, key));
  }
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "read versions"));
  if (next.has_value() && !next->delete_marker()) {
    std::string value;
    SB_RETURN_IF_ERROR(SerializeRecord(*next, &value));
    return FromRocksDb(batch->Put(objects_cf_, ObjectKey(bucket, key), value), "batch");
  }
  return FromRocksDb(batch->Delete(objects_cf_, ObjectKey(bucket, key)), "batch");
}

absl::Status RocksDbMetadataStore::RunWriteCheck(const rocksdb::ReadOptions& options,
                                                 std::string_view bucket, std::string_view key,
                                                 const WriteCheck& check) {
  if (!check) return absl::OkStatus();
  ObjectRecord current;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(options, objects_cf_, ObjectKey(bucket, key), &current));
  return check(found ? &current : nullptr);
}

absl::StatusOr<WriteVersionResult> RocksDbMetadataStore::PutObjectVersion(
    std::string_view bucket, const ObjectRecord& object, const WriteCheck& check) {
  if (object.key().empty()) return EmptyKey();
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, object.key()));
  rocksdb::ReadOptions options;
  SB_ASSIGN_OR_RETURN(BucketRecord record, ReadBucket(options, bucket));
  SB_RETURN_IF_ERROR(RunWriteCheck(options, bucket, object.key(), check));
  ObjectRecord version = object;
  version.set_delete_marker(false);
  rocksdb::WriteBatch batch;
  SB_ASSIGN_OR_RETURN(
      WriteVersionResult result,
      StageNewVersion(options, &batch, bucket, record.versioning(), std::move(version)));
  SB_RETURN_IF_ERROR(Commit(&batch));
  return result;
}

absl::StatusOr<ObjectRecord> RocksDbMetadataStore::GetObject(std::string_view bucket,
                                                             std::string_view key) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  ObjectRecord record;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(options, objects_cf_, ObjectKey(bucket, key), &record));
  if (found) return record;
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                   absl::StrCat("no such key: ", AsAbsl(key)));
}

absl::StatusOr<ObjectRecord> RocksDbMetadataStore::GetLatestVersion(std::string_view bucket,
                                                                    std::string_view key) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> latest, ReadLatestVersion(options, bucket, key));
  if (latest.has_value()) return *std::move(latest);
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                   absl::StrCat("no such key: ", AsAbsl(key)));
}

absl::StatusOr<ObjectRecord> RocksDbMetadataStore::GetObjectVersion(std::string_view bucket,
                                                                    std::string_view key,
                                                                    std::string_view version_id) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> version,
                      ReadVersion(options, bucket, key, version_id));
  if (version.has_value()) return *std::move(version);
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion,
                   absl::StrCat("no such version: ", AsAbsl(key), " ", AsAbsl(version_id)));
}

absl::StatusOr<DeleteResult> RocksDbMetadataStore::DeleteKey(std::string_view bucket,
                                                             std::string_view key,
                                                             const ObjectRecord& marker) {
  if (key.empty()) return EmptyKey();
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_ASSIGN_OR_RETURN(BucketRecord record, ReadBucket(options, bucket));
  DeleteResult result;
  rocksdb::WriteBatch batch;
  if (record.versioning() == VERSIONING_UNVERSIONED) {
    SB_ASSIGN_OR_RETURN(result.removed, ReadVersion(options, bucket, key, kNullVersionId));
    if (!result.removed.has_value()) return result;
    SB_RETURN_IF_ERROR(StageRemoveVersion(options, &batch, bucket, *result.removed));
    SB_RETURN_IF_ERROR(StageReleaseData(options, &batch, bucket, &*result.removed));
  } else {
    ObjectRecord version;
    version.set_key(std::string(key));
    version.set_delete_marker(true);
    version.set_owner(marker.owner());
    version.set_last_modified_unix_nanos(marker.last_modified_unix_nanos());
    SB_ASSIGN_OR_RETURN(
        WriteVersionResult written,
        StageNewVersion(options, &batch, bucket, record.versioning(), std::move(version)));
    result.removed = std::move(written.replaced);
    result.marker = std::move(written.version);
  }
  SB_RETURN_IF_ERROR(Commit(&batch));
  return result;
}

absl::StatusOr<DeleteResult> RocksDbMetadataStore::DeleteObjectVersion(
    std::string_view bucket, std::string_view key, std::string_view version_id,
    const RemovalCheck& may_remove) {
  if (!IsValidVersionId(version_id)) return InvalidVersionId();
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  DeleteResult result;
  SB_ASSIGN_OR_RETURN(result.removed, ReadVersion(options, bucket, key, version_id));
  if (!result.removed.has_value()) return result;
  if (may_remove) SB_RETURN_IF_ERROR(may_remove(*result.removed));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(StageRemoveVersion(options, &batch, bucket, *result.removed));
  SB_RETURN_IF_ERROR(StageReleaseData(options, &batch, bucket, &*result.removed));
  SB_RETURN_IF_ERROR(Commit(&batch));
  return result;
}

absl::StatusOr<ObjectRecord> RocksDbMetadataStore::UpdateObjectVersion(
    std::string_view bucket, std::string_view key, std::string_view version_id,
    const std::function<absl::Status(ObjectRecord&)>& update) {
  if (!version_id.empty() && !IsValidVersionId(version_id)) return InvalidVersionId();
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> latest, ReadLatestVersion(options, bucket, key));
  std::optional<ObjectRecord> found;
  if (version_id.empty()) {
    if (latest.has_value() && !latest->delete_marker()) found = latest;
    if (!found.has_value()) {
      return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                       absl::StrCat("no such key: ", AsAbsl(key)));
    }
  } else {
    SB_ASSIGN_OR_RETURN(found, ReadVersion(options, bucket, key, version_id));
    if (!found.has_value()) {
      return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion,
                       absl::StrCat("no such version: ", AsAbsl(key), " ", AsAbsl(version_id)));
    }
  }
  ObjectRecord record = *found;
  SB_RETURN_IF_ERROR(update(record));
  if (record.key() != found->key() || record.version_id() != found->version_id() ||
      record.version_seq() != found->version_seq() ||
      record.delete_marker() != found->delete_marker()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "UpdateObjectVersion may not change a version's identity");
  }
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(record, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(
      batch.Put(versions_cf_, VersionKey(bucket, key, record.version_seq()), value), "batch"));
  if (latest->version_seq() == record.version_seq() && !record.delete_marker()) {
    SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(objects_cf_, ObjectKey(bucket, key), value), "batch"));
  }
  SB_RETURN_IF_ERROR(Commit(&batch));
  return record;
}

absl::Status RocksDbMetadataStore::MigrateToVersions() {
  constexpr int kBatchSize = 1000;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), objects_cf_));
  rocksdb::WriteBatch batch;
  int pending = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view db_key(it->key().data(), it->key().size());
    std::string_view rest = db_key;
    std::optional<std::string> bucket = ConsumeComponent(&rest);
    if (!bucket.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed object key");
    }
    ObjectRecord record;
    SB_RETURN_IF_ERROR(
        ParseRecord(std::string_view(it->value().data(), it->value().size()), &record, rest));
    // Format 1 had one version per key: it becomes the null version. Idempotent, so a
    // migration interrupted by a crash simply runs again.
    const uint64_t seq = MicrosOf(record);
    record.set_version_id(std::string(kNullVersionId));
    record.set_version_seq(seq);
    record.set_delete_marker(false);
    std::string value;
    SB_RETURN_IF_ERROR(SerializeRecord(record, &value));
    SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(objects_cf_, db_key, value), "batch"));
    SB_RETURN_IF_ERROR(
        FromRocksDb(batch.Put(versions_cf_, VersionKey(*bucket, rest, seq), value), "batch"));
    SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(null_versions_cf_, db_key, EncodeSeq(seq)), "batch"));
    if (++pending == kBatchSize) {
      SB_RETURN_IF_ERROR(Commit(&batch));
      batch.Clear();
      pending = 0;
    }
  }
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "migrate objects"));
  if (pending > 0) SB_RETURN_IF_ERROR(Commit(&batch));
  return absl::OkStatus();
}

}  // namespace sb::metadata
