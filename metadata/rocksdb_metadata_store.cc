#include "metadata/rocksdb_metadata_store.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "metadata/internal/rocksdb_support.h"
#include "metadata/keys.h"
#include "rocksdb/db.h"
#include "rocksdb/snapshot.h"
#include "rocksdb/write_batch.h"

namespace sb::metadata {
namespace {

absl::Status NoSuchBucket(std::string_view bucket) {
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket,
                   absl::StrCat("no such bucket: ", AsAbsl(bucket)));
}

// Lists the CFs already on disk (just "default" for a new store) plus ours.
absl::StatusOr<std::vector<std::string>> ColumnFamiliesToOpen(const rocksdb::DBOptions& options,
                                                              const std::string& path) {
  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) {
    SB_RETURN_IF_ERROR(FromRocksDb(rocksdb::DB::ListColumnFamilies(options, path, &names),
                                   "list column families"));
  }
  for (std::string_view ours : {kBucketsCf, kObjectsCf, kUploadsCf, kPartsCf, kIamCf, kVersionsCf,
                                kNullVersionsCf, kSharedDataCf}) {
    if (std::find(names.begin(), names.end(), ours) == names.end()) names.emplace_back(ours);
  }
  return names;
}

absl::Status WriteFormatVersion(rocksdb::DB* db) {
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocksDb(
      db->Put(write_options, rocksdb::Slice(kFormatVersionKey.data(), kFormatVersionKey.size()),
              rocksdb::Slice(kFormatVersion.data(), kFormatVersion.size())),
      "write format version");
}

// Writes the format marker into a new store, or checks the one an existing store has.
// Returns true if the store has format 1 and must be migrated.
absl::StatusOr<bool> CheckFormatVersion(rocksdb::DB* db) {
  std::string version;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(),
              rocksdb::Slice(kFormatVersionKey.data(), kFormatVersionKey.size()), &version);
  if (s.IsNotFound()) {
    SB_RETURN_IF_ERROR(WriteFormatVersion(db));
    return false;
  }
  SB_RETURN_IF_ERROR(FromRocksDb(s, "read format version"));
  if (version == kFormatVersionUnversioned) return true;
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("metadata format version ", version,
                                                      " is not supported (want ",
                                                      AsAbsl(kFormatVersion), ")"));
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetadataStore>> MetadataStore::Open(const std::string& path) {
  SB_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbMetadataStore> store,
                      RocksDbMetadataStore::OpenStore(path));
  return std::unique_ptr<MetadataStore>(std::move(store));
}

absl::StatusOr<std::unique_ptr<RocksDbMetadataStore>> RocksDbMetadataStore::OpenStore(
    const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot create ", path, ": ", ec.message()));
  }
  rocksdb::DBOptions db_options = MakeDbOptions();
  SB_ASSIGN_OR_RETURN(std::vector<std::string> names, ColumnFamiliesToOpen(db_options, path));
  std::shared_ptr<rocksdb::Cache> cache = MakeBlockCache();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) descriptors.emplace_back(name, MakeCfOptions(cache));

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  SB_RETURN_IF_ERROR(FromRocksDb(rocksdb::DB::Open(db_options, path, descriptors, &handles, &db),
                                 absl::StrCat("open ", path)));
  // From here the store owns db and handles, whatever happens next.
  std::unique_ptr<RocksDbMetadataStore> store(new RocksDbMetadataStore(db, std::move(handles)));
  SB_ASSIGN_OR_RETURN(bool migrate, CheckFormatVersion(store->db_.get()));
  if (migrate) {
    SB_RETURN_IF_ERROR(store->MigrateToVersions());
    SB_RETURN_IF_ERROR(WriteFormatVersion(store->db_.get()));
  }
  return store;
}

RocksDbMetadataStore::RocksDbMetadataStore(rocksdb::DB* db,
                                           std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : db_(db), handles_(std::move(handles)) {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    const std::string& name = handle->GetName();
    if (name == kBucketsCf) buckets_cf_ = handle;
    if (name == kObjectsCf) objects_cf_ = handle;
    if (name == kUploadsCf) uploads_cf_ = handle;
    if (name == kPartsCf) parts_cf_ = handle;
    if (name == kIamCf) iam_cf_ = handle;
    if (name == kVersionsCf) versions_cf_ = handle;
    if (name == kNullVersionsCf) null_versions_cf_ = handle;
    if (name == kSharedDataCf) shared_data_cf_ = handle;
  }
}

RocksDbMetadataStore::~RocksDbMetadataStore() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();  // all writes were synced at commit
}

absl::Mutex& RocksDbMetadataStore::BucketStripe(std::string_view bucket) {
  return bucket_stripes_[std::hash<std::string_view>()(bucket) % kBucketStripes];
}

absl::Mutex& RocksDbMetadataStore::KeyStripe(std::string_view bucket, std::string_view key) {
  size_t h = std::hash<std::string_view>()(bucket);
  h ^= std::hash<std::string_view>()(key) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return key_stripes_[h % kKeyStripes];
}

absl::Status RocksDbMetadataStore::Commit(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocksDb(db_->Write(options, batch), "commit");
}

absl::StatusOr<bool> RocksDbMetadataStore::ReadRecord(const rocksdb::ReadOptions& options,
                                                      rocksdb::ColumnFamilyHandle* cf,
                                                      const std::string& key,
                                                      google::protobuf::MessageLite* record) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(options, cf, key, &value);
  if (s.IsNotFound()) return false;
  SB_RETURN_IF_ERROR(FromRocksDb(s, absl::StrCat("get from ", cf->GetName())));
  SB_RETURN_IF_ERROR(
      ParseRecord(std::string_view(value.data(), value.size()), record, cf->GetName()));
  return true;
}

absl::Status RocksDbMetadataStore::RequireBucket(const rocksdb::ReadOptions& options,
                                                 std::string_view bucket) {
  return ReadBucket(options, bucket).status();
}

absl::StatusOr<BucketRecord> RocksDbMetadataStore::ReadBucket(const rocksdb::ReadOptions& options,
                                                              std::string_view bucket) {
  BucketRecord record;
  SB_ASSIGN_OR_RETURN(bool found, ReadRecord(options, buckets_cf_, BucketKey(bucket), &record));
  if (!found) return NoSuchBucket(bucket);
  return record;
}

absl::StatusOr<bool> RocksDbMetadataStore::AnyKeyWithPrefix(const rocksdb::ReadOptions& options,
                                                            rocksdb::ColumnFamilyHandle* cf,
                                                            const std::string& prefix) {
  rocksdb::ReadOptions bounded = options;
  std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) bounded.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(bounded, cf));
  it->Seek(prefix);
  if (it->Valid()) return it->key().starts_with(prefix);
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "scan"));
  return false;
}

absl::Status RocksDbMetadataStore::CreateBucket(const BucketRecord& bucket) {
  if (bucket.name().empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidBucketName,
                     "empty bucket name");
  }
  absl::MutexLock lock(&BucketStripe(bucket.name()));
  BucketRecord existing;
  SB_ASSIGN_OR_RETURN(bool found, ReadRecord(rocksdb::ReadOptions(), buckets_cf_,
                                             BucketKey(bucket.name()), &existing));
  if (found) {
    bool same_owner = existing.owner() == bucket.owner();
    return MakeError(
        absl::StatusCode::kAlreadyExists,
        same_owner ? ErrorReason::kBucketAlreadyOwnedByYou : ErrorReason::kBucketAlreadyExists,
        absl::StrCat("bucket exists: ", bucket.name()));
  }
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(bucket, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(buckets_cf_, BucketKey(bucket.name()), value), "batch"));
  return Commit(&batch);
}

absl::StatusOr<BucketRecord> RocksDbMetadataStore::GetBucket(std::string_view name) {
  BucketRecord record;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(rocksdb::ReadOptions(), buckets_cf_, BucketKey(name), &record));
  if (!found) return NoSuchBucket(name);
  return record;
}

absl::Status RocksDbMetadataStore::DeleteBucket(std::string_view name) {
  // Exclusive: no put into this bucket can be between its bucket check and its commit.
  absl::MutexLock lock(&BucketStripe(name));
  rocksdb::ReadOptions options;
  SB_RETURN_IF_ERROR(RequireBucket(options, name));
  SB_ASSIGN_OR_RETURN(bool has_objects,
                      AnyKeyWithPrefix(options, objects_cf_, ObjectBucketPrefix(name)));
  SB_ASSIGN_OR_RETURN(bool has_uploads,
                      AnyKeyWithPrefix(options, uploads_cf_, UploadBucketPrefix(name)));
  // Delete markers live only in the versions CF; they keep a bucket non-empty too.
  SB_ASSIGN_OR_RETURN(bool has_versions,
                      AnyKeyWithPrefix(options, versions_cf_, VersionBucketPrefix(name)));
  if (has_objects || has_uploads || has_versions) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kBucketNotEmpty,
                     absl::StrCat("bucket not empty: ", AsAbsl(name)));
  }
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Delete(buckets_cf_, BucketKey(name)), "batch"));
  return Commit(&batch);
}

absl::StatusOr<BucketRecord> RocksDbMetadataStore::UpdateBucket(
    std::string_view name, const std::function<absl::Status(BucketRecord&)>& update) {
  // Exclusive like CreateBucket/DeleteBucket, so two updates never lose each other's change
  // and an update never resurrects a bucket deleted in between.
  absl::MutexLock lock(&BucketStripe(name));
  BucketRecord record;
  SB_ASSIGN_OR_RETURN(bool found,
                      ReadRecord(rocksdb::ReadOptions(), buckets_cf_, BucketKey(name), &record));
  if (!found) return NoSuchBucket(name);
  SB_RETURN_IF_ERROR(update(record));
  if (record.name() != name) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "UpdateBucket may not rename a bucket");
  }
  std::string value;
  SB_RETURN_IF_ERROR(SerializeRecord(record, &value));
  rocksdb::WriteBatch batch;
  SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(buckets_cf_, BucketKey(name), value), "batch"));
  SB_RETURN_IF_ERROR(Commit(&batch));
  return record;
}

absl::StatusOr<std::vector<BucketRecord>> RocksDbMetadataStore::ListBuckets() {
  std::vector<BucketRecord> buckets;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), buckets_cf_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    BucketRecord record;
    SB_RETURN_IF_ERROR(ParseRecord(std::string_view(it->value().data(), it->value().size()),
                                   &record, it->key().ToString()));
    buckets.push_back(std::move(record));
  }
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "list buckets"));
  return buckets;
}

}  // namespace sb::metadata
