#include "metadata/internal/rocksdb_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "rocksdb/convenience.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace sb::metadata {
namespace {

constexpr size_t kBlockCacheBytes = size_t{128} << 20;
constexpr int kBloomBitsPerKey = 10;

bool Supported(rocksdb::CompressionType type) {
  auto supported = rocksdb::GetSupportedCompressions();
  return std::find(supported.begin(), supported.end(), type) != supported.end();
}

}  // namespace

absl::Status FromRocksDb(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat("rocksdb ", AsAbsl(what), ": ", status.ToString());
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() || status.IsNoSpace()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::Status SerializeRecord(const google::protobuf::MessageLite& record, std::string* out) {
  if (!record.SerializeToString(out)) {
    return absl::InternalError(absl::StrCat("cannot serialize ", record.GetTypeName()));
  }
  return absl::OkStatus();
}

absl::Status ParseRecord(std::string_view bytes, google::protobuf::MessageLite* record,
                         std::string_view what) {
  if (!record->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     absl::StrCat("corrupt ", record->GetTypeName(), " record for ", AsAbsl(what)));
  }
  return absl::OkStatus();
}

rocksdb::DBOptions MakeDbOptions() {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  // Every commit is fsynced; pipelining lets the next group's WAL write overlap the
  // previous group's memtable insert, which matters when many small commits queue up.
  options.enable_pipelined_write = true;
  options.max_background_jobs = 4;
  options.bytes_per_sync = 1 << 20;
  options.wal_bytes_per_sync = 0;  // the WAL is synced on every commit anyway
  // Several CFs share one WAL: cap it so a rarely written CF (buckets) is flushed and old
  // WAL files can be deleted.
  options.max_total_wal_size = uint64_t{256} << 20;
  options.keep_log_file_num = 4;
  options.max_log_file_size = 16 << 20;
  return options;
}

std::shared_ptr<rocksdb::Cache> MakeBlockCache() { return rocksdb::NewLRUCache(kBlockCacheBytes); }

rocksdb::ColumnFamilyOptions MakeCfOptions(const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache;
  table.block_size = 16 << 10;
  table.format_version = 5;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  table.whole_key_filtering = true;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.level_compaction_dynamic_level_bytes = true;
  options.compression =
      Supported(rocksdb::kLZ4Compression) ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
  if (Supported(rocksdb::kZSTD)) options.bottommost_compression = rocksdb::kZSTD;
  return options;
}

}  // namespace sb::metadata
