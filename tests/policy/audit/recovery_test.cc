// Reopening after a crash: a torn final line is truncated (and reported), never continued
// after; corruption of the last complete line or a missing tail refuses to open.
#include <filesystem>
#include <string>
#include <vector>

#include "policy/audit/audit_log.h"
#include "policy/audit/internal/record_codec.h"
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
using testing_util::WriteFile;
using testing_util::WriteLines;

class RecoveryTest : public ::testing::Test {
 protected:
  // Writes `count` records through a log and closes it; returns the public key.
  std::string Populate(int count, uint64_t segment_bytes = 64ull << 20) {
    AuditOptions options = MakeOptions(dir_.path(), &clock_);
    options.segment_bytes = segment_bytes;
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(options);
    EXPECT_THAT(log, IsOk());
    if (!log.ok()) return "";
    for (int i = 1; i <= count; ++i) EXPECT_THAT((*log)->Append(MakeRecord(i)), IsOk());
    return (*log)->PublicKeyPem();
  }

  void ExpectVerifies(const std::string& pem, uint64_t records) {
    absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem);
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->ok) << (report->failure ? report->failure->detail : "");
    EXPECT_EQ(report->records_checked, records);
  }

  testing_util::TempDir dir_;
  FakeClock clock_{StartTime()};
};

TEST_F(RecoveryTest, TornLastLineIsTruncatedAndTheChainContinues) {
  const std::string pem = Populate(5);
  const std::string segment = SegmentPath(dir_.path(), 1);
  const std::string intact = ReadFile(segment);
  // A crash in the middle of writing record 6: half of its line reached the disk.
  const std::string next = internal::EncodeRecord(MakeRecord(6), 6, std::string(64, '1')).line;
  const std::string torn = next.substr(0, next.size() / 2);
  WriteFile(segment, intact + torn);
  {
    absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem);
    ASSERT_THAT(report, IsOk());
    ASSERT_FALSE(report->ok);
    EXPECT_EQ(report->failure->kind, VerifyFailureKind::kBadJson);
    EXPECT_EQ(report->failure->line, 6u);
  }
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(MakeOptions(dir_.path(), &clock_));
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ((*log)->TornBytesTruncated(), torn.size());
  EXPECT_EQ(ReadFile(segment), intact);
  EXPECT_EQ((*log)->HeadSeq(), 5u);
  ASSERT_THAT((*log)->Append(MakeRecord(7)), IsOk());
  log->reset();
  std::vector<std::string> lines = ReadLines(segment);
  ASSERT_EQ(lines.size(), 6u);
  absl::StatusOr<LoggedRecord> sixth = internal::DecodeRecord(lines[5]);
  ASSERT_THAT(sixth, IsOk());
  EXPECT_EQ(sixth->seq, 6u);
  EXPECT_EQ(sixth->record, MakeRecord(7));
  ExpectVerifies(pem, 6);
}

TEST_F(RecoveryTest, TornCheckpointLineIsTruncated) {
  const std::string pem = Populate(12);  // checkpoints at 10 and (on close) 12
  const std::string path = CheckpointPath(dir_.path());
  const std::string intact = ReadFile(path);
  WriteFile(path, intact + "{\"seq\":13,\"hash\":\"ab");
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(MakeOptions(dir_.path(), &clock_));
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ(ReadFile(path), intact);
  ASSERT_THAT((*log)->Append(MakeRecord(13)), IsOk());
  log->reset();
  ExpectVerifies(pem, 13);
}

TEST_F(RecoveryTest, EmptyOrTornNewSegmentFallsBackToThePreviousOne) {
  const std::string pem = Populate(5);
  // A crash right after rotating: the new segment holds only part of its first line.
  WriteFile(SegmentPath(dir_.path(), 2), "{\"seq\":6,\"ti");
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(MakeOptions(dir_.path(), &clock_));
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ((*log)->HeadSeq(), 5u);
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(dir_.path(), 2)), 0u);
  ASSERT_THAT((*log)->Append(MakeRecord(6)), IsOk());
  log->reset();
  EXPECT_EQ(ReadLines(SegmentPath(dir_.path(), 2)).size(), 1u);
  ExpectVerifies(pem, 6);
}

TEST_F(RecoveryTest, CorruptLastCompleteLineRefusesToOpen) {
  Populate(5);
  const std::string segment = SegmentPath(dir_.path(), 1);
  std::vector<std::string> lines = ReadLines(segment);
  lines[4][lines[4].find("photos")] = 'X';
  WriteLines(segment, lines);
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(MakeOptions(dir_.path(), &clock_));
  EXPECT_THAT(log, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(log.status().message(), ::testing::HasSubstr("line 5"));
}

TEST_F(RecoveryTest, CheckpointBeyondTheLastRecordRefusesToOpen) {
  Populate(25, /*segment_bytes=*/4000);  // several segments; checkpoints at 10, 20, 25
  int last = 1;
  while (std::filesystem::exists(SegmentPath(dir_.path(), last + 1))) ++last;
  ASSERT_GT(last, 2);
  std::filesystem::remove(SegmentPath(dir_.path(), last));
  EXPECT_THAT(AuditLog::Open(MakeOptions(dir_.path(), &clock_)),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace sb::audit
