// AuditLog on real files: chain continuity across reopen, keys, checkpoints, rotation,
// group commit, concurrency, modes and write-failure handling.
#include "policy/audit/audit_log.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/audit/internal/record_codec.h"
#include "policy/audit/segments.h"
#include "policy/audit/verify.h"
#include "tests/policy/audit/audit_test_util.h"

namespace sb::audit {
namespace {

using testing_util::CheckpointPath;
using testing_util::IsOk;
using testing_util::MakeOptions;
using testing_util::MakeRecord;
using testing_util::ReadFile;
using testing_util::ReadLines;
using testing_util::SegmentPath;
using testing_util::StartTime;
using testing_util::StatusIs;

std::vector<LoggedRecord> ReadSegment(const std::string& path) {
  std::vector<LoggedRecord> out;
  for (const std::string& line : ReadLines(path)) {
    absl::StatusOr<LoggedRecord> record = internal::DecodeRecord(line);
    EXPECT_THAT(record, IsOk()) << line;
    if (record.ok()) out.push_back(*record);
  }
  return out;
}

std::vector<internal::Checkpoint> ReadCheckpoints(const std::string& dir) {
  std::vector<internal::Checkpoint> out;
  for (const std::string& line : ReadLines(CheckpointPath(dir))) {
    absl::StatusOr<internal::Checkpoint> cp = internal::DecodeCheckpoint(line);
    EXPECT_THAT(cp, IsOk()) << line;
    if (cp.ok()) out.push_back(*cp);
  }
  return out;
}

void ExpectVerifies(const std::string& dir, const std::string& pem, uint64_t records) {
  absl::StatusOr<VerifyReport> report = Verify(dir, pem);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok) << (report->failure ? report->failure->detail : "");
  EXPECT_EQ(report->records_checked, records);
  EXPECT_EQ(report->head_seq, records);
}

class AuditLogTest : public ::testing::Test {
 protected:
  std::unique_ptr<AuditLog> OpenLog() { return OpenLog(MakeOptions(dir_.path(), &clock_)); }
  std::unique_ptr<AuditLog> OpenLog(const AuditOptions& options) {
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  testing_util::TempDir dir_;
  FakeClock clock_{StartTime()};
};

TEST_F(AuditLogTest, AppendThenReopenContinuesTheChain) {
  std::string pem;
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= 5; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
    EXPECT_EQ(log->HeadSeq(), 5u);
    pem = log->PublicKeyPem();
  }
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->HeadSeq(), 5u);
    EXPECT_EQ(log->TornBytesTruncated(), 0u);
    EXPECT_EQ(log->PublicKeyPem(), pem);
    for (int i = 6; i <= 8; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  }
  std::vector<LoggedRecord> records = ReadSegment(SegmentPath(dir_.path(), 1));
  ASSERT_EQ(records.size(), 8u);
  std::string prev(internal::kZeroHash);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].seq, i + 1);
    EXPECT_EQ(records[i].prev, prev);
    EXPECT_EQ(records[i].record, MakeRecord(static_cast<int>(i) + 1));
    prev = records[i].hash;
  }
  ExpectVerifies(dir_.path(), pem, 8);
}

TEST_F(AuditLogTest, KeyIsGeneratedOnceWithMode0600AndNeverOverwritten) {
  const std::string key_path = dir_.path() + "/audit-key.pem";
  std::string pem;
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    pem = log->PublicKeyPem();
  }
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string key = ReadFile(key_path);
  EXPECT_NE(key.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(ReadFile(dir_.path() + "/audit-key.pub.pem"), pem);
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->PublicKeyPem(), pem);
  }
  EXPECT_EQ(ReadFile(key_path), key);

  // A damaged key is an error, not a reason to make a new one.
  testing_util::WriteFile(key_path, "garbage");
  EXPECT_THAT(AuditLog::Open(MakeOptions(dir_.path(), &clock_)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ReadFile(key_path), "garbage");
}

TEST_F(AuditLogTest, ExplicitPrivateKeyPemIsUsedAndNotWritten) {
  testing_util::TempDir other;
  std::string private_pem;
  std::string public_pem;
  {
    auto log = OpenLog(MakeOptions(other.path(), &clock_));
    ASSERT_NE(log, nullptr);
    public_pem = log->PublicKeyPem();
    private_pem = ReadFile(other.path() + "/audit-key.pem");
  }
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.private_key_pem = private_pem;
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->PublicKeyPem(), public_pem);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/audit-key.pem"));

  options.private_key_pem = "not a key";
  log.reset();
  EXPECT_THAT(AuditLog::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AuditLogTest, ChecksOptions) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.dir.clear();
  EXPECT_THAT(AuditLog::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options = MakeOptions(dir_.path(), &clock_);
  options.checkpoint_every_records = 0;
  EXPECT_THAT(AuditLog::Open(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AuditLogTest, SecondWriterOnTheSameDirectoryIsRefused) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_THAT(AuditLog::Open(MakeOptions(dir_.path(), &clock_)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(AuditLogTest, CheckpointsEveryNRecordsAndOnClose) {
  std::string last_hash;
  {
    auto log = OpenLog();
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= 25; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
    std::vector<internal::Checkpoint> cps = ReadCheckpoints(dir_.path());
    ASSERT_EQ(cps.size(), 2u);
    EXPECT_EQ(cps[0].seq, 10u);
    EXPECT_EQ(cps[1].seq, 20u);
    EXPECT_EQ(cps[1].hash, ReadSegment(SegmentPath(dir_.path(), 1))[19].hash);
    EXPECT_EQ(cps[1].time_unix_nanos, absl::ToUnixNanos(StartTime()));
    EXPECT_THAT(log->Close(), IsOk());
    EXPECT_THAT(log->Close(), IsOk());  // idempotent
    EXPECT_THAT(log->Append(MakeRecord(26)), StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  std::vector<internal::Checkpoint> cps = ReadCheckpoints(dir_.path());
  ASSERT_EQ(cps.size(), 3u);
  EXPECT_EQ(cps[2].seq, 25u);
  EXPECT_EQ(cps[2].hash, ReadSegment(SegmentPath(dir_.path(), 1))[24].hash);
}

TEST_F(AuditLogTest, CheckpointsAfterTheTimeIntervalOnAppend) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.checkpoint_every_records = 1000;
  options.checkpoint_every = absl::Seconds(60);
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  ASSERT_THAT(log->Append(MakeRecord(1)), IsOk());
  clock_.Advance(absl::Seconds(59));
  ASSERT_THAT(log->Append(MakeRecord(2)), IsOk());
  EXPECT_TRUE(ReadCheckpoints(dir_.path()).empty());
  clock_.Advance(absl::Seconds(1));
  ASSERT_THAT(log->Append(MakeRecord(3)), IsOk());
  std::vector<internal::Checkpoint> cps = ReadCheckpoints(dir_.path());
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0].seq, 3u);
  EXPECT_EQ(cps[0].time_unix_nanos, absl::ToUnixNanos(StartTime() + absl::Seconds(60)));
  // The interval restarts from that checkpoint.
  clock_.Advance(absl::Seconds(30));
  ASSERT_THAT(log->Append(MakeRecord(4)), IsOk());
  EXPECT_EQ(ReadCheckpoints(dir_.path()).size(), 1u);
}

TEST_F(AuditLogTest, ZeroTimeIsStampedWithTheClock) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  AuditRecord record = MakeRecord(1);
  record.time_unix_nanos = 0;
  clock_.Advance(absl::Milliseconds(1500));
  ASSERT_THAT(log->Append(record), IsOk());
  std::vector<LoggedRecord> records = ReadSegment(SegmentPath(dir_.path(), 1));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].record.time_unix_nanos,
            absl::ToUnixNanos(StartTime() + absl::Milliseconds(1500)));
}

TEST_F(AuditLogTest, RotatesSegmentsAtTheSizeLimit) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.segment_bytes = 2000;
  const size_t line_size =
      internal::EncodeRecord(MakeRecord(1), 1, internal::kZeroHash).line.size();
  ASSERT_LT(line_size * 2, options.segment_bytes);
  std::string pem;
  {
    auto log = OpenLog(options);
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= 20; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
    pem = log->PublicKeyPem();
  }
  {
    auto log = OpenLog(options);  // continues in the last segment
    ASSERT_NE(log, nullptr);
    for (int i = 21; i <= 30; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  }
  const size_t longest =
      internal::EncodeRecord(MakeRecord(30), 30, internal::kZeroHash).line.size();
  uint64_t next_seq = 1;
  int segments = 0;
  while (std::filesystem::exists(SegmentPath(dir_.path(), segments + 1))) ++segments;
  for (int n = 1; n <= segments; ++n) {
    const std::string path = SegmentPath(dir_.path(), n);
    const uintmax_t size = std::filesystem::file_size(path);
    EXPECT_LE(size, options.segment_bytes) << path;
    // A segment is only left when the next record would not fit.
    if (n < segments) {
      EXPECT_GT(size + longest, options.segment_bytes) << path;
    }
    for (const LoggedRecord& r : ReadSegment(path)) EXPECT_EQ(r.seq, next_seq++);
  }
  EXPECT_EQ(next_seq, 31u);
  EXPECT_GE(static_cast<size_t>(segments), 30 / (options.segment_bytes / line_size));
  ExpectVerifies(dir_.path(), pem, 30);
}

// Runs `threads` x `per_thread` concurrent appends and checks the result is one gap-free
// chain holding every record exactly once.
void AppendConcurrently(AuditLog& log, const std::string& dir, int threads, int per_thread) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&log, t, per_thread] {
      for (int i = 0; i < per_thread; ++i) {
        AuditRecord r = MakeRecord(i);
        r.request_id = absl::StrCat("t", t, "-", i);
        EXPECT_THAT(log.Append(r), IsOk());
      }
    });
  }
  for (std::thread& w : workers) w.join();
  std::set<std::string> ids;
  uint64_t next_seq = 1;
  for (int n = 1; std::filesystem::exists(SegmentPath(dir, n)); ++n) {
    for (const LoggedRecord& r : ReadSegment(SegmentPath(dir, n))) {
      EXPECT_EQ(r.seq, next_seq++);
      EXPECT_TRUE(ids.insert(r.record.request_id).second) << r.record.request_id;
    }
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(threads * per_thread));
}

TEST_F(AuditLogTest, GroupCommitSharesOneSyncAcrossConcurrentAppends) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  AppendConcurrently(*log, dir_.path(), 8, 200);
  const uint64_t syncs = log->SyncCount();
  std::printf("group commit: 1600 records, %llu fdatasync calls\n",
              static_cast<unsigned long long>(syncs));
  EXPECT_GE(syncs, 1u);
  EXPECT_LT(syncs, 1600u / 2);  // typically ~1600/5 with 8 threads
  EXPECT_EQ(log->HeadSeq(), 1600u);
  const std::string pem = log->PublicKeyPem();
  log.reset();
  ExpectVerifies(dir_.path(), pem, 1600);
}

TEST_F(AuditLogTest, SequentialAppendsSyncOncePerRecord) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  for (int i = 1; i <= 20; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  EXPECT_EQ(log->SyncCount(), 20u);
}

TEST_F(AuditLogTest, ManyThreadsWithRotationAndCheckpointsKeepOneChain) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.segment_bytes = 16 * 1024;
  options.checkpoint_every_records = 37;
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  AppendConcurrently(*log, dir_.path(), 16, 60);
  const std::string pem = log->PublicKeyPem();
  log.reset();
  absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->records_checked, 960u);
  EXPECT_GT(report->segments, 10u);
  EXPECT_EQ(report->last_checkpoint_seq, 960u);
  // A checkpoint follows the batch that crossed 37 new records, and one seals each rotated
  // segment.
  EXPECT_GE(report->checkpoints_checked, 2u);
  EXPECT_LE(report->checkpoints_checked, 960u / 37 + 1 + report->segments);
}

TEST_F(AuditLogTest, SealedSegmentsEndAtCheckpointsAndAPrunedLogVerifies) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.segment_bytes = 4 * 1024;
  options.checkpoint_every_records = 1000000;  // only the seals
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  for (int i = 1; i <= 120; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  absl::StatusOr<std::vector<SealedSegment>> sealed = ListSealedSegments(dir_.path());
  ASSERT_THAT(sealed, IsOk());
  ASSERT_GE(sealed->size(), 3u);
  EXPECT_EQ(sealed->front().first_seq, 1u);
  for (size_t i = 1; i < sealed->size(); ++i) {
    EXPECT_EQ((*sealed)[i].first_seq, (*sealed)[i - 1].last_seq + 1);
  }
  // The checkpoints through a sealed segment end exactly at its last record.
  absl::StatusOr<std::string> through = CheckpointsThrough(dir_.path(), (*sealed)[1].last_seq);
  ASSERT_THAT(through, IsOk());
  EXPECT_NE(through->find(absl::StrCat("\"seq\":", (*sealed)[1].last_seq)), std::string::npos)
      << *through;
  const std::string pem = log->PublicKeyPem();
  // Shipped and pruned: the first two segments are gone; the rest still verifies.
  ASSERT_EQ(std::remove((*sealed)[0].path.c_str()), 0);
  ASSERT_EQ(std::remove((*sealed)[1].path.c_str()), 0);
  absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok) << report->failure->detail;
  EXPECT_EQ(report->anchored_at_seq, (*sealed)[1].last_seq);
  EXPECT_EQ(report->head_seq, 120u);
  // Without the sealing checkpoint the gap is reported, not skipped.
  log.reset();
  std::ofstream(absl::StrCat(dir_.path(), "/checkpoints.log"), std::ios::trunc).close();
  report = Verify(dir_.path(), pem);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->failure->kind, VerifyFailureKind::kMissingRecords);
}

TEST_F(AuditLogTest, BestEffortDefersSyncToCheckpointsAndClose) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.mode = AuditMode::kBestEffort;
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  for (int i = 1; i <= 25; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  EXPECT_EQ(log->SyncCount(), 2u);  // before the checkpoints at seq 10 and 20
  EXPECT_THAT(log->Close(), IsOk());
  EXPECT_EQ(log->SyncCount(), 3u);
  EXPECT_EQ(log->DroppedCount(), 0u);
  ExpectVerifies(dir_.path(), log->PublicKeyPem(), 25);
}

// Makes writes past `limit` bytes of any file fail with EFBIG for the life of the object.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t limit) {
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lower = old_;
    lower.rlim_cur = limit;
    EXPECT_EQ(::setrlimit(RLIMIT_FSIZE, &lower), 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  sighandler_t old_handler_;
};

TEST_F(AuditLogTest, FailClosedWriteErrorFailsTheAppendAndLeavesTheChainIntact) {
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  for (int i = 1; i <= 3; ++i) ASSERT_THAT(log->Append(MakeRecord(i)), IsOk());
  const std::string segment = SegmentPath(dir_.path(), 1);
  const uintmax_t size = std::filesystem::file_size(segment);
  {
    FileSizeLimit limit(size + 10);  // the next write lands 10 bytes, then fails
    EXPECT_THAT(log->Append(MakeRecord(4)), StatusIs(absl::StatusCode::kUnavailable));
  }
  EXPECT_EQ(std::filesystem::file_size(segment), size);  // partial line cut back off
  EXPECT_EQ(log->HeadSeq(), 3u);
  // The failure was undone, so the log keeps working.
  ASSERT_THAT(log->Append(MakeRecord(5)), IsOk());
  std::vector<LoggedRecord> records = ReadSegment(segment);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].seq, 4u);
  EXPECT_EQ(records[3].record, MakeRecord(5));
  const std::string pem = log->PublicKeyPem();
  log.reset();
  ExpectVerifies(dir_.path(), pem, 4);
}

TEST_F(AuditLogTest, BestEffortWriteErrorDropsTheRecordAndReturnsOk) {
  AuditOptions options = MakeOptions(dir_.path(), &clock_);
  options.mode = AuditMode::kBestEffort;
  auto log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  ASSERT_THAT(log->Append(MakeRecord(1)), IsOk());
  const std::string segment = SegmentPath(dir_.path(), 1);
  {
    FileSizeLimit limit(std::filesystem::file_size(segment) + 10);
    EXPECT_THAT(log->Append(MakeRecord(2)), IsOk());
  }
  EXPECT_EQ(log->DroppedCount(), 1u);
  ASSERT_THAT(log->Append(MakeRecord(3)), IsOk());
  EXPECT_EQ(log->HeadSeq(), 2u);
  const std::string pem = log->PublicKeyPem();
  log.reset();
  ExpectVerifies(dir_.path(), pem, 2);
}

}  // namespace
}  // namespace sb::audit
