// Helpers shared by the RocksDB metadata store's source files: RocksDB status conversion,
// record (de)serialization, and the tuned RocksDB options. Internal to metadata/.
// Stateless; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/message_lite.h"
#include "rocksdb/cache.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"

namespace sb::metadata {

// OK stays OK. Busy/TimedOut/TryAgain and out-of-space become Unavailable (retryable);
// everything else becomes Internal. The message keeps RocksDB's text after `what`.
absl::Status FromRocksDb(const rocksdb::Status& status, std::string_view what);

// Serializes `record` into `*out`; Internal if protobuf refuses.
absl::Status SerializeRecord(const google::protobuf::MessageLite& record, std::string* out);
// Parses a stored record; DataLoss(kDataCorrupted) naming `what` if the bytes are not one.
absl::Status ParseRecord(std::string_view bytes, google::protobuf::MessageLite* record,
                         std::string_view what);

// Options tuned for a small-value, fsync-per-commit store on NVMe.
rocksdb::DBOptions MakeDbOptions();
// Column family options; all CFs share `block_cache`. Whole-key bloom filters only: no
// prefix extractor, so iterators always see total order (listing relies on it).
rocksdb::ColumnFamilyOptions MakeCfOptions(const std::shared_ptr<rocksdb::Cache>& block_cache);
// The block cache shared by all column families.
std::shared_ptr<rocksdb::Cache> MakeBlockCache();

}  // namespace sb::metadata
