// RocksDbMetadataStore::Stats: RocksDB properties for the metrics endpoint.
#include <rocksdb/db.h>

#include "metadata/rocksdb_metadata_store.h"

namespace sb::metadata {

MetadataStats RocksDbMetadataStore::Stats() const {
  MetadataStats s;
  rocksdb::DB* db = db_.get();
  // Per column family properties, summed over all of them.
  auto sum = [db](const std::string& property) -> uint64_t {
    uint64_t v = 0;
    return db->GetAggregatedIntProperty(property, &v) ? v : 0;
  };
  s.live_data_bytes = sum(rocksdb::DB::Properties::kEstimateLiveDataSize);
  s.sst_files_bytes = sum(rocksdb::DB::Properties::kTotalSstFilesSize);
  s.memtable_bytes = sum(rocksdb::DB::Properties::kCurSizeAllMemTables);
  s.estimated_keys = sum(rocksdb::DB::Properties::kEstimateNumKeys);
  s.pending_compaction_bytes = sum(rocksdb::DB::Properties::kEstimatePendingCompactionBytes);
  s.compaction_pending = sum(rocksdb::DB::Properties::kCompactionPending);
  // DB-wide properties.
  uint64_t v = 0;
  if (db->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &v)) {
    s.running_compactions = v;
  }
  if (db->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &v)) {
    s.delayed_write_rate = v;
  }
  if (db->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &v)) s.writes_stopped = v != 0;
  return s;
}

}  // namespace sb::metadata
