// Shared data of RocksDbMetadataStore: versions that hold the same stored data (written by
// point-in-time restore, PutSharedVersion) and the holder counts that keep that data alive
// until its last version is removed. Layout: the shared_data CF (metadata/keys.h).
//
// Invariant (kept by the same write batch that adds or removes a version): for every
// data_ref held by h >= 2 versions of a key, SharedDataKey(bucket, key, data_ref) holds
// EncodeSeq(h - 1); data held by one version has no entry. Data is shared only among
// versions of one key, so the key stripe serializes every change of a count.
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "metadata/internal/rocksdb_support.h"
#include "metadata/keys.h"
#include "metadata/rocksdb_metadata_store.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace sb::metadata {
namespace {

// The extra holders recorded for `data_ref` (0 if none). DataLoss for a malformed count.
absl::StatusOr<uint64_t> ReadExtraHolders(rocksdb::DB* db, const rocksdb::ReadOptions& options,
                                          rocksdb::ColumnFamilyHandle* cf,
                                          const std::string& db_key) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db->Get(options, cf, db_key, &value);
  if (s.IsNotFound()) return uint64_t{0};
  SB_RETURN_IF_ERROR(FromRocksDb(s, "read shared data count"));
  std::optional<uint64_t> count = DecodeSeq(std::string_view(value.data(), value.size()));
  if (!count.has_value()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     "malformed shared data count");
  }
  return *count;
}

}  // namespace

absl::Status RocksDbMetadataStore::StageReleaseData(const rocksdb::ReadOptions& options,
                                                    rocksdb::WriteBatch* batch,
                                                    std::string_view bucket,
                                                    ObjectRecord* removed) {
  if (removed->parts_size() == 0) return absl::OkStatus();
  google::protobuf::RepeatedPtrField<DataPart> to_free;
  for (DataPart& part : *removed->mutable_parts()) {
    const std::string db_key = SharedDataKey(bucket, removed->key(), part.data_ref());
    SB_ASSIGN_OR_RETURN(uint64_t extra,
                        ReadExtraHolders(db_.get(), options, shared_data_cf_, db_key));
    if (extra == 0) {
      *to_free.Add() = std::move(part);
    } else if (extra == 1) {
      SB_RETURN_IF_ERROR(FromRocksDb(batch->Delete(shared_data_cf_, db_key), "batch"));
    } else {
      SB_RETURN_IF_ERROR(
          FromRocksDb(batch->Put(shared_data_cf_, db_key, EncodeSeq(extra - 1)), "batch"));
    }
  }
  removed->mutable_parts()->Swap(&to_free);
  return absl::OkStatus();
}

absl::StatusOr<ObjectRecord> RocksDbMetadataStore::PutSharedVersion(
    std::string_view bucket, std::string_view key, std::string_view source_version_id,
    const ObjectRecord& tmpl) {
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_ASSIGN_OR_RETURN(BucketRecord record, ReadBucket(options, bucket));
  if (record.versioning() != VERSIONING_ENABLED) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "restoring shared versions needs a bucket with versioning Enabled");
  }
  SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> source,
                      ReadVersion(options, bucket, key, source_version_id));
  if (!source.has_value() || source->delete_marker()) {
    return MakeError(
        absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion,
        absl::StrCat("no such version: ", AsAbsl(key), " ", AsAbsl(source_version_id)));
  }
  rocksdb::WriteBatch batch;
  for (const DataPart& part : source->parts()) {
    const std::string db_key = SharedDataKey(bucket, key, part.data_ref());
    SB_ASSIGN_OR_RETURN(uint64_t extra,
                        ReadExtraHolders(db_.get(), options, shared_data_cf_, db_key));
    SB_RETURN_IF_ERROR(
        FromRocksDb(batch.Put(shared_data_cf_, db_key, EncodeSeq(extra + 1)), "batch"));
  }
  ObjectRecord copy = *std::move(source);
  copy.set_owner(tmpl.owner());
  copy.set_last_modified_unix_nanos(tmpl.last_modified_unix_nanos());
  copy.set_lock_mode(tmpl.lock_mode());
  copy.set_lock_retain_until_unix_nanos(tmpl.lock_retain_until_unix_nanos());
  copy.set_legal_hold(tmpl.legal_hold());
  SB_ASSIGN_OR_RETURN(
      WriteVersionResult written,
      StageNewVersion(options, &batch, bucket, VERSIONING_ENABLED, std::move(copy)));
  SB_RETURN_IF_ERROR(Commit(&batch));
  return std::move(written.version);
}

}  // namespace sb::metadata
