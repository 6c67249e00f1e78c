// DataPlane::ProbeDrives and CheckWriteQuorum: drives that vanish, are replaced by an empty
// folder, or fail reads after Open; per-drive error counts and capacity.
#include <filesystem>
#include <fstream>

#include "common/error_reason.h"
#include "erasure/data_plane.h"
#include "gtest/gtest.h"
#include "tests/erasure/plane_test_util.h"

namespace sb::erasure {
namespace {

namespace fs = std::filesystem;
using testing_util::Options;
using testing_util::RandomBytes;
using testing_util::ReadAll;
using testing_util::ShardFile;
using testing_util::TempDir;
using testing_util::WriteObject;

class DriveHealthTest : public testing::Test {
 protected:
  void SetUp() override {
    drives_ = dir_.Drives(4);
    auto plane = DataPlane::Open(Options(drives_, 64 * 1024));
    ASSERT_TRUE(plane.ok()) << plane.status();
    plane_ = std::move(*plane);
  }

  TempDir dir_;
  std::vector<std::string> drives_;
  std::unique_ptr<DataPlane> plane_;
};

TEST_F(DriveHealthTest, AllDrivesOnline) {
  EXPECT_EQ(plane_->WriteQuorum(), 3u);  // 2+2: K+1
  EXPECT_EQ(plane_->ReadQuorum(), 2u);
  std::vector<DriveHealth> drives = plane_->ProbeDrives();
  ASSERT_EQ(drives.size(), 4u);
  for (size_t i = 0; i < drives.size(); ++i) {
    EXPECT_EQ(drives[i].path, drives_[i]);
    EXPECT_TRUE(drives[i].online) << drives[i].problem;
    EXPECT_EQ(drives[i].errors, 0u);
    EXPECT_GT(drives[i].total_bytes, 0u);
    EXPECT_LE(drives[i].free_bytes, drives[i].total_bytes);
  }
  EXPECT_TRUE(plane_->CheckWriteQuorum().ok());
}

TEST_F(DriveHealthTest, RemovedAndReplacedDrivesGoOfflineAndQuorumIsLost) {
  fs::rename(drives_[1], drives_[1] + ".gone");
  std::vector<DriveHealth> drives = plane_->ProbeDrives();
  EXPECT_FALSE(drives[1].online);
  EXPECT_FALSE(drives[1].problem.empty());
  EXPECT_TRUE(plane_->CheckWriteQuorum().ok());  // 3 of 4 still meet the quorum of 3

  fs::rename(drives_[2], drives_[2] + ".old");
  fs::create_directory(drives_[2]);  // an empty replacement disk
  drives = plane_->ProbeDrives();
  EXPECT_FALSE(drives[2].online);
  absl::Status st = plane_->CheckWriteQuorum();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetReason(st), ErrorReason::kQuorumLost);
  EXPECT_NE(st.message().find(drives_[1]), absl::string_view::npos) << st;

  fs::rename(drives_[1] + ".gone", drives_[1]);  // back in place
  EXPECT_TRUE(plane_->CheckWriteQuorum().ok());
}

TEST_F(DriveHealthTest, FailedShardReadsCountAgainstTheirDrive) {
  const std::string data = RandomBytes(200 * 1024, 3);
  auto ref = WriteObject(*plane_, data);
  ASSERT_TRUE(ref.ok()) << ref.status();
  fs::remove(ShardFile(drives_[0], *ref));
  auto got = ReadAll(*plane_, *ref);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<DriveHealth> drives = plane_->ProbeDrives();
  EXPECT_GE(drives[0].errors, 1u);
  EXPECT_EQ(drives[1].errors, 0u);
  EXPECT_TRUE(drives[0].online);  // one missing shard is not a dead drive
}

}  // namespace
}  // namespace sb::erasure
