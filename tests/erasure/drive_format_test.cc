// Drive identity: format.json contents, refusing foreign or reordered drives, and
// formatting a replaced (empty) drive into its slot.
#include "erasure/internal/drive_format.h"

#include <fstream>

#include "erasure/data_plane.h"
#include "erasure/internal/fs_util.h"
#include "gtest/gtest.h"
#include "tests/erasure/plane_test_util.h"

namespace sb::erasure {
namespace {

namespace fs = std::filesystem;
using internal::DriveFormat;
using internal::ParseDriveFormat;
using testing_util::Options;
using testing_util::RandomBytes;
using testing_util::ReadAll;
using testing_util::ShardFile;
using testing_util::TempDir;
using testing_util::WriteObject;

constexpr uint32_t kBlock = 4096;

DriveFormat ReadFormat(const std::string& drive) {
  auto json = internal::ReadSmallFile(drive + "/.strongbox/format.json", 4096);
  EXPECT_TRUE(json.ok()) << drive << ": " << json.status();
  if (!json.ok()) return {};
  auto f = ParseDriveFormat(*json);
  EXPECT_TRUE(f.ok()) << f.status();
  return f.ok() ? *f : DriveFormat{};
}

absl::Status OpenStatus(const std::vector<std::string>& drives) {
  return DataPlane::Open(Options(drives, kBlock)).status();
}

TEST(DriveFormatTest, FirstOpenFormatsEveryDrive) {
  TempDir dir;
  auto drives = dir.Drives(4);
  ASSERT_TRUE(OpenStatus(drives).ok());
  std::set<std::string> drive_ids;
  const DriveFormat first = ReadFormat(drives[0]);
  EXPECT_EQ(first.deployment_id.size(), 32u);
  for (uint32_t i = 0; i < 4; ++i) {
    DriveFormat f = ReadFormat(drives[i]);
    EXPECT_EQ(f.version, 1u);
    EXPECT_EQ(f.deployment_id, first.deployment_id);
    EXPECT_EQ(f.set_index, 0u);
    EXPECT_EQ(f.drive_index, i);
    EXPECT_EQ(f.drive_count, 4u);
    drive_ids.insert(f.drive_id);
  }
  EXPECT_EQ(drive_ids.size(), 4u);
  // Reopening keeps the identity.
  ASSERT_TRUE(OpenStatus(drives).ok());
  EXPECT_EQ(ReadFormat(drives[2]).drive_id, ReadFormat(drives[2]).drive_id);
  EXPECT_EQ(ReadFormat(drives[3]).deployment_id, first.deployment_id);
}

TEST(DriveFormatTest, DriveOfAnotherDeploymentIsRefused) {
  TempDir dir;
  auto a = dir.Drives(4, "a");
  auto b = dir.Drives(4, "b");
  ASSERT_TRUE(OpenStatus(a).ok());
  ASSERT_TRUE(OpenStatus(b).ok());
  auto mixed = a;
  mixed[3] = b[3];
  absl::Status st = OpenStatus(mixed);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find(b[3]), absl::string_view::npos) << st;
  EXPECT_NE(st.message().find("deployment"), absl::string_view::npos) << st;
}

TEST(DriveFormatTest, SwappedDrivesAreRefused) {
  TempDir dir;
  auto drives = dir.Drives(4);
  ASSERT_TRUE(OpenStatus(drives).ok());
  std::swap(drives[1], drives[2]);
  absl::Status st = OpenStatus(drives);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find(drives[1]), absl::string_view::npos) << st;
  EXPECT_NE(st.message().find(drives[2]), absl::string_view::npos) << st;
  EXPECT_NE(st.message().find("order"), absl::string_view::npos) << st;
}

TEST(DriveFormatTest, ChangedDriveCountIsRefused) {
  TempDir dir;
  ASSERT_TRUE(OpenStatus(dir.Drives(4)).ok());
  absl::Status st = OpenStatus(dir.Drives(5));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  st = OpenStatus(dir.Drives(3));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
}

TEST(DriveFormatTest, CorruptFormatFileIsRefused) {
  TempDir dir;
  auto drives = dir.Drives(2);
  ASSERT_TRUE(OpenStatus(drives).ok());
  std::ofstream(drives[1] + "/.strongbox/format.json") << "{\"format\":";
  absl::Status st = OpenStatus(drives);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find(drives[1]), absl::string_view::npos) << st;
}

TEST(DriveFormatTest, ReplacedEmptyDriveIsFormattedIntoItsSlot) {
  TempDir dir;
  auto drives = dir.Drives(4);
  const std::string data = RandomBytes(kBlock * 3 + 5, 1);
  DataRef old_ref;
  std::string deployment;
  {
    auto plane = DataPlane::Open(Options(drives, kBlock));
    ASSERT_TRUE(plane.ok());
    auto ref = WriteObject(**plane, data);
    ASSERT_TRUE(ref.ok());
    old_ref = *ref;
    deployment = ReadFormat(drives[0]).deployment_id;
  }
  const std::string old_drive_id = ReadFormat(drives[2]).drive_id;
  // Emptied in place (a new disk mounted at the same folder).
  for (const auto& e : fs::directory_iterator(drives[2])) fs::remove_all(e.path());
  auto plane = DataPlane::Open(Options(drives, kBlock));
  ASSERT_TRUE(plane.ok()) << plane.status();
  DriveFormat f = ReadFormat(drives[2]);
  EXPECT_EQ(f.deployment_id, deployment);
  EXPECT_EQ(f.drive_index, 2u);
  EXPECT_NE(f.drive_id, old_drive_id);
  auto got = ReadAll(**plane, old_ref);  // degraded: its shard on drive 2 is gone
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  auto fresh = WriteObject(**plane, data);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(ShardFile(drives[2], *fresh).empty());

  // A drive folder that vanished entirely is recreated and formatted too.
  plane->reset();
  fs::remove_all(drives[0]);
  ASSERT_TRUE(OpenStatus(drives).ok());
  EXPECT_EQ(ReadFormat(drives[0]).deployment_id, deployment);
  EXPECT_EQ(ReadFormat(drives[0]).drive_index, 0u);
}

TEST(DriveFormatTest, NonEmptyUnformattedFolderIsRefused) {
  TempDir dir;
  auto drives = dir.Drives(2);
  fs::create_directories(drives[1]);
  std::ofstream(drives[1] + "/precious.txt") << "someone's data";
  absl::Status st = OpenStatus(drives);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find(drives[1]), absl::string_view::npos) << st;
  EXPECT_FALSE(fs::exists(drives[0] + "/.strongbox/format.json"));  // nothing formatted
  // lost+found alone does not count as content.
  fs::remove(drives[1] + "/precious.txt");
  fs::create_directories(drives[1] + "/lost+found");
  EXPECT_TRUE(OpenStatus(drives).ok());
}

TEST(DriveFormatTest, EncodeParseRoundTripAndGarbage) {
  DriveFormat f;
  f.deployment_id = "abc";
  f.drive_id = "def";
  f.set_index = 1;
  f.drive_index = 7;
  f.drive_count = 9;
  auto parsed = ParseDriveFormat(internal::EncodeDriveFormat(f));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->deployment_id, "abc");
  EXPECT_EQ(parsed->drive_id, "def");
  EXPECT_EQ(parsed->set_index, 1u);
  EXPECT_EQ(parsed->drive_index, 7u);
  EXPECT_EQ(parsed->drive_count, 9u);
  for (const char* bad :
       {"", "{", "[]", "{}", "{\"format\":\"other\"}", "{\"format\":\"strongbox-erasure\"}",
        "{\"format\":\"strongbox-erasure\",\"version\":1,\"deployment_id\":\"a\",\"drive_id\":"
        "\"b\",\"set_index\":0,\"drive_index\":-1,\"drive_count\":4}",
        "{\"format\":\"strongbox-erasure\",\"version\":1,\"deployment_id\":\"a\",\"drive_id\":"
        "\"b\",\"set_index\":0,\"drive_index\":1,\"drive_count\":4} trailing"}) {
    EXPECT_EQ(ParseDriveFormat(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sb::erasure
