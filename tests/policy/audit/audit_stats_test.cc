// AuditLog monitoring hooks: Stats(), CheckWritable() and the fdatasync histogram.
#include <filesystem>

#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "policy/audit/audit_log.h"
#include "tests/policy/audit/audit_test_util.h"

namespace sb::audit {
namespace {

using testing_util::IsOk;
using testing_util::MakeOptions;
using testing_util::MakeRecord;
using testing_util::StartTime;

TEST(AuditStatsTest, CountsRecordsAndSyncsAndObservesSyncLatency) {
  testing_util::TempDir dir;
  FakeClock clock{StartTime()};
  metrics::Histogram sync_seconds(metrics::LatencyBuckets());
  AuditOptions options = MakeOptions(dir.path(), &clock);
  options.sync_seconds = &sync_seconds;
  auto log = AuditLog::Open(options);
  ASSERT_THAT(log, IsOk());
  EXPECT_THAT((*log)->CheckWritable(), IsOk());
  for (int i = 1; i <= 3; ++i) ASSERT_THAT((*log)->Append(MakeRecord(i)), IsOk());
  AuditStats s = (*log)->Stats();
  EXPECT_EQ(s.head_seq, 3u);
  EXPECT_EQ(s.pending, 0u);
  EXPECT_FALSE(s.failed);
  EXPECT_GE(s.syncs, 3u);  // fail-closed: one fdatasync per (here sequential) append
  EXPECT_EQ(sync_seconds.Snapshot().count, s.syncs);
  ASSERT_THAT((*log)->Close(), IsOk());
  EXPECT_EQ((*log)->CheckWritable().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(AuditStatsTest, RemovedDirectoryIsNotWritable) {
  testing_util::TempDir dir;
  FakeClock clock{StartTime()};
  const std::string audit_dir = dir.path() + "/audit";
  auto log = AuditLog::Open(MakeOptions(audit_dir, &clock));
  ASSERT_THAT(log, IsOk());
  std::filesystem::rename(audit_dir, dir.path() + "/moved");
  EXPECT_EQ((*log)->CheckWritable().code(), absl::StatusCode::kUnavailable);
  std::filesystem::rename(dir.path() + "/moved", audit_dir);
  EXPECT_THAT((*log)->CheckWritable(), IsOk());
}

}  // namespace
}  // namespace sb::audit
