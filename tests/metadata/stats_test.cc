// RocksDbMetadataStore::Stats: the RocksDB properties the metrics endpoint exports.
#include <string>

#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using testing_util::IsOk;

class StatsTest : public testing_util::StoreTest {};

TEST_F(StatsTest, ReportsSizesOnceDataIsOnDisk) {
  MetadataStats empty = store_->Stats();
  EXPECT_FALSE(empty.writes_stopped);
  EXPECT_EQ(empty.delayed_write_rate, 0u);
  for (int i = 0; i < 200; ++i) {
    ASSERT_THAT(store_->PutIamRecord("user", "user" + std::to_string(i), std::string(500, 'x')),
                IsOk());
  }
  EXPECT_GT(store_->Stats().memtable_bytes, 0u);
  Reopen();  // recovery flushes the log into a table file
  MetadataStats s = store_->Stats();
  EXPECT_GT(s.sst_files_bytes, 0u);
  EXPECT_GT(s.estimated_keys, 0u);
  EXPECT_FALSE(s.writes_stopped);
}

}  // namespace
}  // namespace sb::metadata
