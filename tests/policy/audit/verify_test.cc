// Verify on real files: an intact log passes, and each kind of tampering is reported at the
// first bad record (file, line, seq, kind).
#include "policy/audit/verify.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "policy/audit/audit_log.h"
#include "policy/audit/internal/record_codec.h"
#include "policy/audit/internal/signer.h"
#include "tests/policy/audit/audit_test_util.h"

namespace sb::audit {
namespace {

using ::testing::HasSubstr;
using testing_util::CheckpointPath;
using testing_util::IsOk;
using testing_util::MakeOptions;
using testing_util::MakeRecord;
using testing_util::ReadLines;
using testing_util::SegmentPath;
using testing_util::StartTime;
using testing_util::StatusIs;
using testing_util::WriteFile;
using testing_util::WriteLines;

constexpr char kSeg1[] = "seg-00000001.log";

// Re-encodes lines[from..] so hashes and prev links are consistent again, as an attacker
// who knows the format (but not the signing key) would after editing lines[from].
void RechainFrom(std::vector<std::string>& lines, size_t from, size_t to) {
  std::string prev =
      from == 0 ? std::string(internal::kZeroHash) : internal::DecodeRecord(lines[from - 1])->hash;
  for (size_t i = from; i < to; ++i) {
    absl::StatusOr<LoggedRecord> r = internal::DecodeRecord(lines[i]);
    ASSERT_THAT(r, IsOk());
    internal::EncodedLine encoded = internal::EncodeRecord(r->record, r->seq, prev);
    lines[i] = encoded.line.substr(0, encoded.line.size() - 1);
    prev = encoded.hash;
  }
}

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override { pem_ = Populate(35); }

  // Writes `count` records and closes the log: checkpoints at 10, 20, 30 and `count`.
  std::string Populate(int count, uint64_t segment_bytes = 64ull << 20) {
    AuditOptions options = MakeOptions(dir_.path(), &clock_);
    options.segment_bytes = segment_bytes;
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(options);
    EXPECT_THAT(log, IsOk());
    if (!log.ok()) return "";
    for (int i = 1; i <= count; ++i) EXPECT_THAT((*log)->Append(MakeRecord(i)), IsOk());
    return (*log)->PublicKeyPem();
  }

  VerifyFailure ExpectFailure(VerifyFailureKind kind, const std::string& file, uint64_t line,
                              uint64_t seq) {
    absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem_);
    EXPECT_THAT(report, IsOk());
    if (!report.ok()) return {};
    EXPECT_FALSE(report->ok);
    if (!report->failure.has_value()) {
      ADD_FAILURE() << "no failure reported";
      return {};
    }
    const VerifyFailure& f = *report->failure;
    EXPECT_EQ(f.kind, kind) << VerifyFailureKindName(f.kind) << ": " << f.detail;
    EXPECT_EQ(f.file, file);
    EXPECT_EQ(f.line, line);
    EXPECT_EQ(f.seq, seq);
    return f;
  }

  std::string Seg1() const { return SegmentPath(dir_.path(), 1); }

  testing_util::TempDir dir_;
  FakeClock clock_{StartTime()};
  std::string pem_;
};

TEST_F(VerifyTest, IntactLogVerifies) {
  absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem_);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok);
  EXPECT_FALSE(report->failure.has_value());
  EXPECT_EQ(report->records_checked, 35u);
  EXPECT_EQ(report->checkpoints_checked, 4u);
  EXPECT_EQ(report->segments, 1u);
  EXPECT_EQ(report->head_seq, 35u);
  EXPECT_EQ(report->last_checkpoint_seq, 35u);
  EXPECT_EQ(report->head_hash, internal::DecodeRecord(ReadLines(Seg1())[34])->hash);
}

TEST_F(VerifyTest, EditedByteInAMiddleRecordIsAHashMismatch) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines[16][lines[16].find("img-17")] = 'I';
  WriteLines(Seg1(), lines);
  ExpectFailure(VerifyFailureKind::kHashMismatch, kSeg1, 17, 17);
}

TEST_F(VerifyTest, EditThatBreaksTheJsonIsBadJson) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines[8][0] = '[';
  WriteLines(Seg1(), lines);
  ExpectFailure(VerifyFailureKind::kBadJson, kSeg1, 9, 9);
}

TEST_F(VerifyTest, DeletedLineIsASeqGap) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines.erase(lines.begin() + 16);
  WriteLines(Seg1(), lines);
  VerifyFailure f = ExpectFailure(VerifyFailureKind::kSeqGap, kSeg1, 17, 18);
  EXPECT_THAT(f.detail, HasSubstr("expected seq 17"));
}

TEST_F(VerifyTest, ReorderedLinesAreASeqGap) {
  std::vector<std::string> lines = ReadLines(Seg1());
  std::swap(lines[21], lines[22]);
  WriteLines(Seg1(), lines);
  ExpectFailure(VerifyFailureKind::kSeqGap, kSeg1, 22, 23);
}

TEST_F(VerifyTest, OneRecordRehashedBreaksTheNextPrevLink) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines[16].replace(lines[16].find("\"bucket\":\"photos\""), 17, "\"bucket\":\"secret\"");
  RechainFrom(lines, 16, 17);
  WriteLines(Seg1(), lines);
  ExpectFailure(VerifyFailureKind::kBrokenPrevLink, kSeg1, 18, 18);
}

TEST_F(VerifyTest, ChainRecomputedToTheEndIsCaughtByTheSignedCheckpoint) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines[16].replace(lines[16].find("\"bucket\":\"photos\""), 17, "\"bucket\":\"secret\"");
  RechainFrom(lines, 16, lines.size());
  WriteLines(Seg1(), lines);
  // Every hash and link is consistent; only the checkpoint signed at seq 20 disagrees.
  VerifyFailure f = ExpectFailure(VerifyFailureKind::kCheckpointHashMismatch, kSeg1, 20, 20);
  EXPECT_THAT(f.detail, HasSubstr("seq in (10, 20]"));
}

TEST_F(VerifyTest, ForgedCheckpointSignatureIsReported) {
  std::vector<std::string> cps = ReadLines(CheckpointPath(dir_.path()));
  ASSERT_EQ(cps.size(), 4u);
  const size_t sig = cps[1].find("\"sig\":\"") + 7;
  cps[1][sig] = cps[1][sig] == '0' ? '1' : '0';
  WriteLines(CheckpointPath(dir_.path()), cps);
  ExpectFailure(VerifyFailureKind::kCheckpointSignatureInvalid, "checkpoints.log", 2, 20);
}

TEST_F(VerifyTest, RechainedLogWithCheckpointsResignedByAnotherKeyIsReported) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines[3].replace(lines[3].find("\"allowed\":true"), 14, "\"allowed\":false");
  RechainFrom(lines, 3, lines.size());
  WriteLines(Seg1(), lines);
  // The attacker rewrites every checkpoint to match, signed with a key of their own.
  testing_util::TempDir other;
  absl::StatusOr<internal::Ed25519Signer> forger =
      internal::Ed25519Signer::LoadOrCreate(other.path() + "/k.pem");
  ASSERT_THAT(forger, IsOk());
  std::vector<std::string> cps = ReadLines(CheckpointPath(dir_.path()));
  for (std::string& line : cps) {
    internal::Checkpoint cp = *internal::DecodeCheckpoint(line);
    cp.hash = internal::DecodeRecord(lines[cp.seq - 1])->hash;
    cp.key_id = forger->key_id();
    cp.signature = *forger->Sign(internal::CheckpointSigningInput(cp));
    line = internal::EncodeCheckpoint(cp);
    line.pop_back();
  }
  WriteLines(CheckpointPath(dir_.path()), cps);
  VerifyFailure f =
      ExpectFailure(VerifyFailureKind::kCheckpointSignatureInvalid, "checkpoints.log", 1, 10);
  EXPECT_THAT(f.detail, HasSubstr("names key"));
}

TEST_F(VerifyTest, TruncatedSegmentAfterACheckpointIsMissingRecords) {
  std::vector<std::string> lines = ReadLines(Seg1());
  lines.resize(25);
  WriteLines(Seg1(), lines);
  VerifyFailure f = ExpectFailure(VerifyFailureKind::kMissingRecords, kSeg1, 26, 26);
  EXPECT_THAT(f.detail, HasSubstr("checkpoint at seq 30"));
}

TEST_F(VerifyTest, TruncationMidLineIsReportedAtThatLine) {
  std::string data = testing_util::ReadFile(Seg1());
  const size_t line30_start = [&] {
    size_t pos = 0;
    for (int i = 0; i < 29; ++i) pos = data.find('\n', pos) + 1;
    return pos;
  }();
  WriteFile(Seg1(), data.substr(0, line30_start + 40));
  VerifyFailure f = ExpectFailure(VerifyFailureKind::kBadJson, kSeg1, 30, 30);
  EXPECT_THAT(f.detail, HasSubstr("incomplete final line"));
}

TEST_F(VerifyTest, DuplicatedCheckpointLineIsABadCheckpoint) {
  std::vector<std::string> cps = ReadLines(CheckpointPath(dir_.path()));
  cps.insert(cps.begin() + 2, cps[1]);
  WriteLines(CheckpointPath(dir_.path()), cps);
  ExpectFailure(VerifyFailureKind::kBadCheckpoint, "checkpoints.log", 3, 20);
}

TEST_F(VerifyTest, WrongPublicKeyFailsAtTheFirstCheckpoint) {
  testing_util::TempDir other;
  absl::StatusOr<internal::Ed25519Signer> key =
      internal::Ed25519Signer::LoadOrCreate(other.path() + "/k.pem");
  ASSERT_THAT(key, IsOk());
  pem_ = key->public_key_pem();
  ExpectFailure(VerifyFailureKind::kCheckpointSignatureInvalid, "checkpoints.log", 1, 10);
}

TEST_F(VerifyTest, BadArguments) {
  EXPECT_THAT(Verify(dir_.path(), "not a key"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Verify(dir_.path() + "/missing", pem_), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(VerifyTest, EmptyDirectoryVerifies) {
  testing_util::TempDir empty;
  absl::StatusOr<VerifyReport> report = Verify(empty.path(), pem_);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->records_checked, 0u);
}

class MultiSegmentVerifyTest : public VerifyTest {
 protected:
  void SetUp() override {
    pem_ = Populate(40, /*segment_bytes=*/3000);
    while (std::filesystem::exists(SegmentPath(dir_.path(), segments_ + 1))) ++segments_;
  }
  int segments_ = 0;
};

TEST_F(MultiSegmentVerifyTest, IntactVerifies) {
  ASSERT_GE(segments_, 4);
  absl::StatusOr<VerifyReport> report = Verify(dir_.path(), pem_);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->segments, static_cast<uint64_t>(segments_));
  EXPECT_EQ(report->records_checked, 40u);
}

TEST_F(MultiSegmentVerifyTest, DeletedMiddleSegmentIsASeqGapInTheNextSegment) {
  ASSERT_GE(segments_, 4);
  const uint64_t deleted_first =
      internal::DecodeRecord(ReadLines(SegmentPath(dir_.path(), 2))[0])->seq;
  const uint64_t next_first =
      internal::DecodeRecord(ReadLines(SegmentPath(dir_.path(), 3))[0])->seq;
  std::filesystem::remove(SegmentPath(dir_.path(), 2));
  VerifyFailure f = ExpectFailure(VerifyFailureKind::kSeqGap, "seg-00000003.log", 1, next_first);
  EXPECT_THAT(f.detail, HasSubstr(absl::StrCat("expected seq ", deleted_first)));
}

TEST_F(MultiSegmentVerifyTest, DeletedLastSegmentIsMissingRecords) {
  ASSERT_GE(segments_, 4);
  const std::string last = SegmentPath(dir_.path(), segments_);
  const uint64_t first_missing = internal::DecodeRecord(ReadLines(last)[0])->seq;
  const std::string prev_name =
      std::filesystem::path(SegmentPath(dir_.path(), segments_ - 1)).filename().string();
  const uint64_t prev_lines = ReadLines(SegmentPath(dir_.path(), segments_ - 1)).size();
  std::filesystem::remove(last);
  ExpectFailure(VerifyFailureKind::kMissingRecords, prev_name, prev_lines + 1, first_missing);
}

}  // namespace
}  // namespace sb::audit
