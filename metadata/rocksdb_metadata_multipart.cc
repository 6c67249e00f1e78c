// Multipart-upload mutations of RocksDbMetadataStore (ListParts/ListUploads live in
// rocksdb_metadata_listing.cc). Locking follows the header: bucket stripe shared, then the
// key stripe of (bucket, object key).
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "metadata/internal/rocksdb_support.h"
#include "metadata/keys.h"
#include "metadata/rocksdb_metadata_store.h"
#include "rocksdb/db.h"
#include "rocksdb/snapshot.h"
#include "rocksdb/write_batch.h"

namespace sb::metadata {
namespace {

absl::Status InvalidArgument(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// Checks `wanted` (the parts named by a completed object) against the stored parts: part
// numbers strictly ascending, and each one the part currently stored under that number. The
// data_ref comparison is what makes completion safe against a concurrent part replacement:
// the replaced part's data may already be freed by the PutPart caller.
absl::Status CheckCompletedParts(const std::vector<DataPart>& wanted,
                                 const std::map<uint32_t, DataPart>& stored) {
  uint32_t previous = 0;
  for (const DataPart& part : wanted) {
    if (part.part_number() <= previous) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPartOrder,
                       absl::StrCat("part ", part.part_number(), " after part ", previous));
    }
    previous = part.part_number();
    auto it = stored.find(part.part_number());
    if (it == stored.end() || it->second.data_ref() != part.data_ref()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                       absl::StrCat("part ", part.part_number(), " is not the stored part"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UploadRecord> RocksDbMetadataStore::RequireUpload(
    const rocksdb::ReadOptions& options, std::string_view bucket, std::string_view key,
    std::string_view upload_id) {
  UploadRecord record;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(options, uploads_cf_, UploadKey(bucket, key, upload_id), &record));
  if (found) return record;
  SB_RETURN_IF_ERROR(RequireBucket(options, bucket));
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload,
                   absl::StrCat("no such upload: ", AsAbsl(upload_id)));
}

absl::StatusOr<std::vector<DataPart>> RocksDbMetadataStore::ReadAllParts(
    const rocksdb::ReadOptions& options, std::string_view bucket, std::string_view key,
    std::string_view upload_id) {
  const std::string prefix = PartPrefix(bucket, key, upload_id);
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions bounded = options;
  bounded.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(bounded, parts_cf_));
  std::vector<DataPart> parts;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    DataPart part;
    SB_RETURN_IF_ERROR(
        ParseRecord(std::string_view(it->value().data(), it->value().size()), &part, "part"));
    // The key is authoritative for the number (it is what CompleteUpload deletes).
    std::optional<uint32_t> number = DecodePartSuffix(
        std::string_view(it->key().data(), it->key().size()).substr(prefix.size()));
    if (!number.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed part key");
    }
    part.set_part_number(*number);
    parts.push_back(std::move(part));
  }
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "read parts"));
  return parts;
}

absl::Status RocksDbMetadataStore::CreateUpload(const UploadRecord& upload) {
  if (upload.key().empty() || upload.upload_id().empty()) {
    return InvalidArgument("upload needs a key and an upload id");
  }
  absl::ReaderMutexLock bucket_lock(&BucketStripe(upload.bucket()));
  absl::MutexLock key_lock(&KeyStripe(upload.bucket(), upload.key()));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireBucket(options, upload.bucket()));
  const std::string db_key = UploadKey(upload.bucket(), upload.key(), upload.upload_id());
  UploadRecord existing;
  SB_ASSIGN_OR_RETURN(bool found, ReadRecord(options, uploads_cf_, db_key, &existing));
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat("upload id reused: ", upload.upload_id()));
  }
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(upload, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(uploads_cf_, db_key, value), "batch"));
  return Commit(&batch);
}

absl::StatusOr<UploadRecord> RocksDbMetadataStore::GetUpload(std::string_view bucket,
                                                             std::string_view key,
                                                             std::string_view upload_id) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  return RequireUpload(options, bucket, key, upload_id);
}

absl::StatusOr<std::optional<DataPart>> RocksDbMetadataStore::PutPart(std::string_view bucket,
                                                                      std::string_view key,
                                                                      std::string_view upload_id,
                                                                      const DataPart& part) {
  if (part.part_number() == 0) return InvalidArgument("part numbers start at 1");
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireUpload(options, bucket, key, upload_id).status());
  const std::string db_key = PartKey(bucket, key, upload_id, part.part_number());
  DataPart old;
  SB_ASSIGN_OR_RETURN(bool replaced, ReadRecord(options, parts_cf_, db_key, &old));
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(part, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(parts_cf_, db_key, value), "batch"));
  SB_RETURN_IF_ERROR(Commit(&batch));
  if (!replaced) return std::optional<DataPart>();
  return std::optional<DataPart>(std::move(old));
}

absl::Status RocksDbMetadataStore::UpdatePart(
    std::string_view bucket, std::string_view key, std::string_view upload_id, uint32_t part_number,
    const std::function<absl::Status(DataPart&)>& update) {
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireUpload(options, bucket, key, upload_id).status());
  const std::string db_key = PartKey(bucket, key, upload_id, part_number);
  DataPart part;
  SB_ASSIGN_OR_RETURN(bool found, ReadRecord(options, parts_cf_, db_key, &part));
  if (!found) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kInvalidPart,
                     absl::StrCat("no part ", part_number));
  }
  const std::string data_ref = part.data_ref();
  SB_RETURN_IF_ERROR(update(part));
  if (part.data_ref() != data_ref || part.part_number() != part_number) {
    return InvalidArgument("UpdatePart must not change the part's data or number");
  }
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(part, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(parts_cf_, db_key, value), "batch"));
  return Commit(&batch);
}

absl::StatusOr<WriteVersionResult> RocksDbMetadataStore::CompleteUploadVersion(
    std::string_view bucket, std::string_view upload_id, const ObjectRecord& object,
    std::vector<DataPart>* unused_parts, const WriteCheck& check) {
  const std::string& key = object.key();
  if (key.empty()) return InvalidArgument("empty object key");
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireUpload(options, bucket, key, upload_id).status());
  SB_ASSIGN_OR_RETURN(BucketRecord bucket_record, ReadBucket(options, bucket));
  SB_RETURN_IF_ERROR(RunWriteCheck(options, bucket, key, check));
  SB_ASSIGN_OR_RETURN(std::vector<DataPart> parts, ReadAllParts(options, bucket, key, upload_id));
  std::map<uint32_t, DataPart> stored;
  for (DataPart& part : parts) {
    uint32_t number = part.part_number();
    stored.emplace(number, std::move(part));
  }
  SB_RETURN_IF_ERROR(CheckCompletedParts({object.parts().begin(), object.parts().end()}, stored));

  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(
      FromRocksDb(batch.Delete(uploads_cf_, UploadKey(bucket, key, upload_id)), "batch"));
  for (const auto& [number, part] : stored) {
    SB_RETURN_IF_ERROR(
        FromRocksDb(batch.Delete(parts_cf_, PartKey(bucket, key, upload_id, number)), "batch"));
  }
  ObjectRecord version = object;
  version.set_delete_marker(false);
  SB_ASSIGN_OR_RETURN(
      WriteVersionResult result,
      StageNewVersion(options, &batch, bucket, bucket_record.versioning(), std::move(version)));
  SB_RETURN_IF_ERROR(Commit(&batch));

  if (unused_parts != nullptr) {
    unused_parts->clear();
    for (const DataPart& used : object.parts()) stored.erase(used.part_number());
    for (auto& [number, part] : stored) unused_parts->push_back(std::move(part));
  }
  return result;
}

absl::StatusOr<std::vector<DataPart>> RocksDbMetadataStore::AbortUpload(
    std::string_view bucket, std::string_view key, std::string_view upload_id) {
  absl::ReaderMutexLock bucket_lock(&BucketStripe(bucket));
  absl::MutexLock key_lock(&KeyStripe(bucket, key));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireUpload(options, bucket, key, upload_id).status());
  SB_ASSIGN_OR_RETURN(std::vector<DataPart> parts, ReadAllParts(options, bucket, key, upload_id));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(
      FromRocksDb(batch.Delete(uploads_cf_, UploadKey(bucket, key, upload_id)), "batch"));
  for (const DataPart& part : parts) {
    SB_RETURN_IF_ERROR(FromRocksDb(
        batch.Delete(parts_cf_, PartKey(bucket, key, upload_id, part.part_number())), "batch"));
  }
  SB_RETURN_IF_ERROR(Commit(&batch));
  return parts;
}

}  // namespace sb::metadata
