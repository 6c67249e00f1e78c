// DataPlane under failure: missing and corrupt shards, lost write quorum, abandoned
// writers and drives that are unreachable at open.
#include <fstream>

#include "common/error_reason.h"
#include "erasure/data_plane.h"
#include "gtest/gtest.h"
#include "tests/erasure/plane_test_util.h"

namespace sb::erasure {
namespace {

namespace fs = std::filesystem;
using testing_util::BreakDrive;
using testing_util::DataFiles;
using testing_util::Options;
using testing_util::RandomBytes;
using testing_util::ReadAll;
using testing_util::ReadRange;
using testing_util::ShardFile;
using testing_util::TempDir;
using testing_util::WriteObject;

constexpr uint32_t kBlock = 64 * 1024;
constexpr uint64_t kHeader = 128;
constexpr uint64_t kShardBlock = kBlock / 2;  // 2+2

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f.good()) << path;
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x5a));
  ASSERT_TRUE(f.good());
}

// Offset inside stripe `s`'s block of a 2+2 shard file (full stripes only).
uint64_t BlockByte(uint64_t s, uint64_t within) { return kHeader + s * (kShardBlock + 8) + within; }

class DataPlaneFaultTest : public testing::Test {
 protected:
  void SetUp() override {
    drives_ = dir_.Drives(4);
    auto plane = DataPlane::Open(Options(drives_, kBlock));
    ASSERT_TRUE(plane.ok()) << plane.status();
    plane_ = std::move(*plane);
  }

  DataRef Write(const std::string& data) {
    auto ref = WriteObject(*plane_, data);
    EXPECT_TRUE(ref.ok()) << ref.status();
    return ref.ok() ? *ref : DataRef{};
  }

  bool NoFilesAnywhere() {
    for (const std::string& d : drives_) {
      if (!DataFiles(d).empty()) return false;
    }
    return true;
  }

  TempDir dir_;
  std::vector<std::string> drives_;
  std::unique_ptr<DataPlane> plane_;
};

TEST_F(DataPlaneFaultTest, ReadsWithAnyTwoShardsMissing) {
  const std::string data = RandomBytes(kBlock * 3 + 500, 1);
  for (int a = 0; a < 4; ++a) {
    for (int b = a; b < 4; ++b) {  // a == b: one missing shard
      SCOPED_TRACE(testing::Message() << "missing " << a << "," << b);
      DataRef ref = Write(data);
      fs::remove(ShardFile(drives_[a], ref));
      if (b != a) fs::remove(ShardFile(drives_[b], ref));
      auto got = ReadAll(*plane_, ref);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_TRUE(*got == data);
      auto part = ReadRange(*plane_, ref, kBlock - 3, 10);
      ASSERT_TRUE(part.ok()) << part.status();
      EXPECT_TRUE(*part == data.substr(kBlock - 3, 10));
    }
  }
  EXPECT_GT(plane_->Stats().stripes_reconstructed, 0u);
  EXPECT_GT(plane_->Stats().shard_errors, 0u);
  EXPECT_EQ(plane_->BitrotDetected(), 0u);
}

TEST_F(DataPlaneFaultTest, MissingParityNeedsNoDecoding) {
  const std::string data = RandomBytes(kBlock * 2, 2);
  DataRef ref = Write(data);
  fs::remove(ShardFile(drives_[2], ref));
  fs::remove(ShardFile(drives_[3], ref));
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(plane_->Stats().stripes_reconstructed, 0u);
  EXPECT_EQ(plane_->Stats().shard_errors, 0u);  // parity was never opened
}

TEST_F(DataPlaneFaultTest, ThreeMissingShardsIsDataLoss) {
  DataRef ref = Write(RandomBytes(kBlock + 1, 3));
  for (int i : {0, 2, 3}) fs::remove(ShardFile(drives_[i], ref));
  absl::Status st = ReadAll(*plane_, ref).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(st), ErrorReason::kDataCorrupted);
}

TEST_F(DataPlaneFaultTest, WholeDriveFolderGoneStillReads) {
  const std::string data = RandomBytes(kBlock * 2 + 3, 4);
  DataRef ref = Write(data);
  fs::remove_all(drives_[1]);
  fs::remove_all(drives_[3]);
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
}

TEST_F(DataPlaneFaultTest, BitrotInADataBlockIsRepairedOnTheFly) {
  const std::string data = RandomBytes(kBlock * 3, 5);
  DataRef ref = Write(data);
  FlipByte(ShardFile(drives_[0], ref), BlockByte(1, 1000));
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(plane_->BitrotDetected(), 1u);
  EXPECT_EQ(plane_->Stats().stripes_reconstructed, 1u);
  // A range that only touches the healthy block of that stripe needs no repair.
  auto part = ReadRange(*plane_, ref, kBlock + kShardBlock + 5, 100);
  ASSERT_TRUE(part.ok());
  EXPECT_TRUE(*part == data.substr(kBlock + kShardBlock + 5, 100));
  EXPECT_EQ(plane_->BitrotDetected(), 1u);
}

TEST_F(DataPlaneFaultTest, BitrotInChecksumOrHeaderIsDetected) {
  const std::string data = RandomBytes(kBlock * 2, 6);
  DataRef ref = Write(data);
  FlipByte(ShardFile(drives_[0], ref), BlockByte(0, kShardBlock + 3));  // checksum byte
  FlipByte(ShardFile(drives_[1], ref), 50);                             // header
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(plane_->BitrotDetected(), 2u);
}

TEST_F(DataPlaneFaultTest, BitrotInParityIsNotReadWhenDataIsHealthy) {
  const std::string data = RandomBytes(kBlock, 7);
  DataRef ref = Write(data);
  FlipByte(ShardFile(drives_[3], ref), BlockByte(0, 9));
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(plane_->BitrotDetected(), 0u);
  // Once a data block is gone the corrupt parity is caught, and the other parity used.
  fs::remove(ShardFile(drives_[0], ref));
  got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
}

TEST_F(DataPlaneFaultTest, BitrotInThreeShardsIsDataLossNeverWrongBytes) {
  const std::string data = RandomBytes(kBlock * 3, 8);
  DataRef ref = Write(data);
  for (int i : {0, 1, 2}) FlipByte(ShardFile(drives_[i], ref), BlockByte(1, 77 + i));
  std::string partial;
  auto got = testing_util::ReadRange(*plane_, ref, 0, ref.size, &partial);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(got.status()), ErrorReason::kDataCorrupted);
  // Stripe 0 was delivered before the failure; nothing of stripe 1 was.
  EXPECT_EQ(partial.size(), kBlock);
  EXPECT_TRUE(partial == data.substr(0, kBlock));
  EXPECT_GE(plane_->BitrotDetected(), 3u);
}

TEST_F(DataPlaneFaultTest, TruncatedShardCountsAsMissing) {
  const std::string data = RandomBytes(kBlock * 2 + 10, 9);
  DataRef ref = Write(data);
  fs::resize_file(ShardFile(drives_[1], ref), kHeader + kShardBlock);
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  EXPECT_GT(plane_->Stats().shard_errors, 0u);
}

TEST_F(DataPlaneFaultTest, QuorumLossFailsAndLeavesNothing) {
  BreakDrive(drives_[0]);
  BreakDrive(drives_[1]);
  auto w = plane_->NewWriter();
  ASSERT_TRUE(w.ok());
  absl::Status st = (*w)->Write(RandomBytes(kBlock * 2, 10));
  if (st.ok()) st = (*w)->Finish().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetReason(st), ErrorReason::kQuorumLost);
  EXPECT_EQ((*w)->Finish().status().code(), absl::StatusCode::kUnavailable);
  for (int i : {2, 3}) EXPECT_TRUE(DataFiles(drives_[i]).empty()) << drives_[i];
  for (int i : {0, 1}) EXPECT_TRUE(DataFiles(drives_[i] + ".broken").empty());
}

TEST_F(DataPlaneFaultTest, QuorumLostAtCommitRemovesWrittenShards) {
  auto w = plane_->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(RandomBytes(kBlock, 11)).ok());  // one stripe on all drives
  // The open shard files move away with their folders, so renaming them into place fails.
  BreakDrive(drives_[0]);
  BreakDrive(drives_[3]);
  absl::Status st = (*w)->Finish().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetReason(st), ErrorReason::kQuorumLost);
  for (int i : {1, 2}) EXPECT_TRUE(DataFiles(drives_[i]).empty()) << drives_[i];
}

TEST_F(DataPlaneFaultTest, OneFailedDriveIsTolerated) {
  BreakDrive(drives_[3]);
  const std::string data = RandomBytes(kBlock * 2 + 1, 12);
  DataRef ref = Write(data);
  for (int i : {0, 1, 2}) EXPECT_FALSE(ShardFile(drives_[i], ref).empty());
  auto got = ReadAll(*plane_, ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  EXPECT_TRUE(plane_->Delete(ref).ok());
  EXPECT_TRUE(NoFilesAnywhere());
}

TEST_F(DataPlaneFaultTest, AbandonedWriterLeavesNoFiles) {
  {
    auto w = plane_->NewWriter();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(RandomBytes(kBlock * 2 + 100, 13)).ok());
  }
  EXPECT_TRUE(NoFilesAnywhere());
  auto w = plane_->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(RandomBytes(kBlock + 1, 14)).ok());
  (*w)->Abort();
  EXPECT_TRUE(NoFilesAnywhere());
  EXPECT_EQ((*w)->Write("x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE((*w)->Finish().ok());
  EXPECT_TRUE(NoFilesAnywhere());
}

TEST_F(DataPlaneFaultTest, AbortAfterFinishKeepsTheObject) {
  auto w = plane_->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write("committed").ok());
  auto ref = (*w)->Finish();
  ASSERT_TRUE(ref.ok());
  (*w)->Abort();
  w->reset();
  auto got = ReadAll(*plane_, *ref);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "committed");
}

TEST(DataPlaneOfflineDriveTest, OpensDegradedWithOneUnreachableDrive) {
  TempDir dir;
  auto drives = dir.Drives(4);
  std::ofstream(drives[2]) << "not a directory";
  auto plane = DataPlane::Open(Options(drives, kBlock));
  ASSERT_TRUE(plane.ok()) << plane.status();
  const std::string data = RandomBytes(kBlock * 2 + 9, 15);
  auto ref = WriteObject(**plane, data);
  ASSERT_TRUE(ref.ok()) << ref.status();
  auto got = ReadAll(**plane, *ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);

  BreakDrive(drives[0]);
  BreakDrive(drives[1]);
  auto degraded = DataPlane::Open(Options(drives, kBlock));
  EXPECT_EQ(degraded.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetReason(degraded.status()), ErrorReason::kQuorumLost);
}

}  // namespace
}  // namespace sb::erasure
