// IAM records of RocksDbMetadataStore: opaque values in the "iam" column family. The IAM
// layer serializes its own mutations, so these take no stripe locks; each call is still one
// atomic, synced write batch.
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

absl::Status CheckIamId(std::string_view kind, std::string_view name) {
  if (kind.empty() || name.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "IAM record kind and name must not be empty");
  }
  return absl::OkStatus();
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

absl::Status RocksDbMetadataStore::PutIamRecord(std::string_view kind, std::string_view name,
                                                std::string_view value) {
  return WriteIamRecords({{std::string(kind), std::string(name), std::string(value)}});
}

absl::StatusOr<std::string> RocksDbMetadataStore::GetIamRecord(std::string_view kind,
                                                               std::string_view name) {
  SB_RETURN_IF_ERROR(CheckIamId(kind, name));
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), iam_cf_, IamKey(kind, name), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no IAM record ", AsAbsl(kind), "/", AsAbsl(name)));
  }
  SB_RETURN_IF_ERROR(FromRocksDb(s, "get IAM record"));
  return value;
}

absl::Status RocksDbMetadataStore::DeleteIamRecord(std::string_view kind, std::string_view name) {
  return WriteIamRecords({{std::string(kind), std::string(name), std::nullopt}});
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RocksDbMetadataStore::ListIamRecords(std::string_view kind) {
  if (kind.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "IAM record kind must not be empty");
  }
  const std::string prefix = IamKindPrefix(kind);
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, iam_cf_));
  std::vector<std::pair<std::string, std::string>> records;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    records.emplace_back(
        std::string(it->key().data() + prefix.size(), it->key().size() - prefix.size()),
        it->value().ToString());
  }
  SB_RETURN_IF_ERROR(FromRocksDb(it->status(), "list IAM records"));
  return records;
}

absl::Status RocksDbMetadataStore::WriteIamRecords(const std::vector<IamRecordWrite>& writes) {
  rocksdb::WriteBatch batch;
  for (const IamRecordWrite& w : writes) {
    SB_RETURN_IF_ERROR(CheckIamId(w.kind, w.name));
    const std::string key = IamKey(w.kind, w.name);
    if (w.value.has_value()) {
      SB_RETURN_IF_ERROR(FromRocksDb(batch.Put(iam_cf_, key, ToSlice(*w.value)), "batch"));
    } else {
      SB_RETURN_IF_ERROR(FromRocksDb(batch.Delete(iam_cf_, key), "batch"));
    }
  }
  if (batch.Count() == 0) return absl::OkStatus();
  return Commit(&batch);
}

}  // namespace sb::metadata
