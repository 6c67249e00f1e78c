#include "erasure/data_plane.h"

#include <thread>

#include "common/clock.h"
#include "common/error_reason.h"
#include "erasure/internal/io_batch.h"
#include "gtest/gtest.h"
#include "tests/erasure/plane_test_util.h"

namespace sb::erasure {
namespace {

using testing_util::DataFiles;
using testing_util::Options;
using testing_util::RandomBytes;
using testing_util::ReadAll;
using testing_util::ReadRange;
using testing_util::ShardFile;
using testing_util::TempDir;
using testing_util::WriteObject;

constexpr uint32_t kBlock = 64 * 1024;

// Runs every test with io_uring batches and with the sequential syscall fallback.
class DataPlaneTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override { internal::SetIoUringEnabledForTest(GetParam()); }
  void TearDown() override { internal::SetIoUringEnabledForTest(true); }

  std::unique_ptr<DataPlane> OpenPlane(int drives, uint32_t block_size = kBlock, int parity = -1) {
    auto plane = DataPlane::Open(Options(dir_.Drives(drives), block_size, parity));
    EXPECT_TRUE(plane.ok()) << plane.status();
    return plane.ok() ? std::move(*plane) : nullptr;
  }

  TempDir dir_;
};

TEST_P(DataPlaneTest, RoundTripsEdgeSizes) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  EXPECT_EQ(plane->DataShards(), 2u);
  EXPECT_EQ(plane->ParityShards(), 2u);
  EXPECT_EQ(plane->DriveCount(), 4u);
  const std::vector<size_t> sizes = {0, 1, kBlock - 1, kBlock, kBlock + 1, kBlock * 7 / 2, 5 << 20};
  for (size_t size : sizes) {
    SCOPED_TRACE(size);
    std::string data = RandomBytes(size, static_cast<uint32_t>(size));
    for (size_t chunk : {size_t{4093}, size_t{1} << 22}) {
      auto ref = WriteObject(*plane, data, chunk);
      ASSERT_TRUE(ref.ok()) << ref.status();
      EXPECT_EQ(ref->size, size);
      EXPECT_EQ(ref->block_size, kBlock);
      EXPECT_EQ(ref->data_shards, 2u);
      EXPECT_EQ(ref->parity_shards, 2u);
      EXPECT_EQ(ref->set_index, 0u);
      auto got = ReadAll(*plane, *ref);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_TRUE(*got == data);
      for (const std::string& d : dir_.Drives(4)) {
        std::string shard = ShardFile(d, *ref);
        EXPECT_EQ(shard.empty(), size == 0) << d;  // empty objects have no files
      }
    }
  }
  EXPECT_EQ(plane->Stats().stripes_reconstructed, 0u);
  EXPECT_EQ(plane->Stats().shard_errors, 0u);
  EXPECT_EQ(plane->BitrotDetected(), 0u);
}

TEST_P(DataPlaneTest, ShardFilesHoldBlocksAndChecksums) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  // 2.5 stripes: two full blocks of 32 KiB per shard and a last one of 16 KiB, each
  // followed by an 8-byte checksum, after the 128-byte header.
  auto ref = WriteObject(*plane, RandomBytes(kBlock * 5 / 2, 1));
  ASSERT_TRUE(ref.ok());
  for (const std::string& d : dir_.Drives(4)) {
    std::string shard = ShardFile(d, *ref);
    ASSERT_FALSE(shard.empty());
    EXPECT_EQ(std::filesystem::file_size(shard), 128u + 2 * (kBlock / 2 + 8) + kBlock / 4 + 8);
  }
}

TEST_P(DataPlaneTest, RangeReadsAtOddOffsets) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  const std::string data = RandomBytes(kBlock * 3 + 12345, 2);
  auto ref = WriteObject(*plane, data);
  ASSERT_TRUE(ref.ok());
  const std::vector<std::pair<uint64_t, uint64_t>> ranges = {{0, 1},
                                                             {1, 1},
                                                             {kBlock - 1, 2},
                                                             {kBlock / 2 - 1, 3},
                                                             {kBlock / 2, 1},
                                                             {12345, kBlock},
                                                             {77, kBlock * 2 + 999},
                                                             {data.size() - 1, 1},
                                                             {data.size() - 5000, 5000},
                                                             {3, data.size() - 3}};
  for (auto [off, len] : ranges) {
    SCOPED_TRACE(testing::Message() << off << "+" << len);
    auto got = ReadRange(*plane, *ref, off, len);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(*got == data.substr(off, len));
  }
  // Zero-length reads anywhere inside (or at the end of) the object succeed.
  EXPECT_TRUE(ReadRange(*plane, *ref, data.size(), 0).ok());
  EXPECT_TRUE(ReadRange(*plane, *ref, 5, 0).ok());
  // Past the end is refused.
  for (auto [off, len] : std::vector<std::pair<uint64_t, uint64_t>>{
           {data.size(), 1}, {0, data.size() + 1}, {data.size() + 1, 0}, {1, UINT64_MAX}}) {
    absl::Status st =
        plane->Read(*ref, off, len, [](std::string_view) { return absl::OkStatus(); });
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << off << "+" << len;
  }
  EXPECT_EQ(plane->Stats().stripes_reconstructed, 0u);
}

TEST_P(DataPlaneTest, SinkErrorStopsTheRead) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  auto ref = WriteObject(*plane, RandomBytes(kBlock * 3, 3));
  ASSERT_TRUE(ref.ok());
  int calls = 0;
  absl::Status st = plane->Read(*ref, 0, ref->size, [&](std::string_view) {
    ++calls;
    return absl::CancelledError("client went away");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
}

TEST_P(DataPlaneTest, ReopenedPlaneReadsOldObjects) {
  std::string data = RandomBytes(kBlock * 2 + 7, 4);
  DataRef ref;
  {
    auto plane = OpenPlane(4);
    ASSERT_NE(plane, nullptr);
    auto r = WriteObject(*plane, data);
    ASSERT_TRUE(r.ok());
    ref = *r;
  }
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  auto parsed = DataRef::Parse(ref.Serialize());
  ASSERT_TRUE(parsed.ok());
  auto got = ReadAll(*plane, *parsed);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
}

TEST_P(DataPlaneTest, ChangedParityKeepsOldObjectsReadable) {
  std::string data = RandomBytes(kBlock * 3 + 1, 5);
  DataRef old_ref;
  {
    auto plane = OpenPlane(4, kBlock, 2);
    ASSERT_NE(plane, nullptr);
    auto r = WriteObject(*plane, data);
    ASSERT_TRUE(r.ok());
    old_ref = *r;
  }
  auto plane = OpenPlane(4, kBlock, 1);
  ASSERT_NE(plane, nullptr);
  EXPECT_EQ(plane->DataShards(), 3u);
  auto got = ReadAll(*plane, old_ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data);
  auto new_ref = WriteObject(*plane, data);
  ASSERT_TRUE(new_ref.ok());
  EXPECT_EQ(new_ref->data_shards, 3u);
  EXPECT_EQ(new_ref->parity_shards, 1u);
  got = ReadAll(*plane, *new_ref);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == data);
}

TEST_P(DataPlaneTest, DeleteRemovesEveryShard) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  auto ref = WriteObject(*plane, RandomBytes(kBlock + 3, 6));
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(plane->Delete(*ref).ok());
  for (const std::string& d : dir_.Drives(4)) EXPECT_TRUE(DataFiles(d).empty()) << d;
  EXPECT_TRUE(plane->Delete(*ref).ok());  // already gone: fine
  absl::Status st = ReadAll(*plane, *ref).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(st), ErrorReason::kDataCorrupted);
}

TEST_P(DataPlaneTest, SingleDrivePlane) {
  auto plane = OpenPlane(1, 1000);
  ASSERT_NE(plane, nullptr);
  EXPECT_EQ(plane->DataShards(), 1u);
  EXPECT_EQ(plane->ParityShards(), 0u);
  for (size_t size : {size_t{0}, size_t{1}, size_t{999}, size_t{1000}, size_t{12345}}) {
    std::string data = RandomBytes(size, 7);
    auto ref = WriteObject(*plane, data, 333);
    ASSERT_TRUE(ref.ok()) << ref.status();
    auto got = ReadAll(*plane, *ref);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(*got == data);
    auto part = ReadRange(*plane, *ref, size / 3, size / 2);
    ASSERT_TRUE(part.ok());
    EXPECT_TRUE(*part == data.substr(size / 3, size / 2));
  }
}

TEST_P(DataPlaneTest, ConcurrentWritersAndReaders) {
  auto plane = OpenPlane(4, 4096);
  ASSERT_NE(plane, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string data = RandomBytes(1000 * (i + 1) + t, static_cast<uint32_t>(t * 100 + i));
        auto ref = WriteObject(*plane, data, 777);
        if (!ref.ok()) {
          ++failures;
          continue;
        }
        auto got = ReadAll(*plane, *ref);
        if (!got.ok() || *got != data) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_P(DataPlaneTest, DataIdsComeFromTheInjectedClock) {
  FakeClock clock(absl::FromUnixMicros(0x123456789AB));
  DataPlaneOptions o = Options(dir_.Drives(2), kBlock);
  o.clock = &clock;
  auto plane = DataPlane::Open(o);
  ASSERT_TRUE(plane.ok()) << plane.status();
  auto a = WriteObject(**plane, "a");
  clock.Advance(absl::Seconds(1));
  auto b = WriteObject(**plane, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->data_id.substr(0, 12), "0123456789ab");
  EXPECT_LT(a->data_id, b->data_id);
  EXPECT_EQ(a->data_shards + a->parity_shards, 2u);
}

TEST_P(DataPlaneTest, WriterMisuseIsRejected) {
  auto plane = OpenPlane(4);
  ASSERT_NE(plane, nullptr);
  auto w = plane->NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write("hello").ok());
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_EQ((*w)->Write("x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*w)->Finish().status().code(), absl::StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Io, DataPlaneTest, testing::Values(true, false),
                         [](const testing::TestParamInfo<bool>& p) {
                           return p.param ? "IoUring" : "Syscalls";
                         });

TEST(DataPlaneOpenTest, DefaultParityByDriveCount) {
  const int expected[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4};  // index: drive count
  for (int n = 1; n <= 10; ++n) {
    TempDir dir;
    auto plane = DataPlane::Open(Options(dir.Drives(n), 4096));
    ASSERT_TRUE(plane.ok()) << n << ": " << plane.status();
    EXPECT_EQ((*plane)->ParityShards(), static_cast<uint32_t>(expected[n])) << n;
    EXPECT_EQ((*plane)->DataShards(), static_cast<uint32_t>(n - expected[n])) << n;
  }
}

TEST(DataPlaneOpenTest, RejectsNonsenseOptions) {
  TempDir dir;
  auto code = [](const DataPlaneOptions& o) { return DataPlane::Open(o).status().code(); };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(Options({}, 4096)), kInvalid);
  EXPECT_EQ(code(Options(dir.Drives(17), 4096)), kInvalid);
  EXPECT_EQ(code(Options(dir.Drives(4), 4096, 3)), kInvalid);  // M > K
  EXPECT_EQ(code(Options(dir.Drives(4), 4096, 4)), kInvalid);
  EXPECT_EQ(code(Options(dir.Drives(4), 4096, -2)), kInvalid);
  EXPECT_EQ(code(Options(dir.Drives(1), 4096, 1)), kInvalid);
  EXPECT_EQ(code(Options(dir.Drives(4), 0)), kInvalid);
  auto dup = dir.Drives(2);
  dup.push_back(dup[0]);
  EXPECT_EQ(code(Options(dup, 4096)), kInvalid);
  EXPECT_EQ(code(Options({dir.path() + "/x", dir.path() + "/x/../x"}, 4096)), kInvalid);
  // Explicit valid choices are honoured.
  auto plane = DataPlane::Open(Options(dir.Drives(4, "ok"), 4096, 0));
  ASSERT_TRUE(plane.ok()) << plane.status();
  EXPECT_EQ((*plane)->DataShards(), 4u);
}

TEST(DataPlaneOpenTest, RejectsRefsThatDoNotFit) {
  TempDir dir;
  auto plane = DataPlane::Open(Options(dir.Drives(4), 4096));
  ASSERT_TRUE(plane.ok());
  auto ref = WriteObject(**plane, "abc");
  ASSERT_TRUE(ref.ok());
  auto noop = [](std::string_view) { return absl::OkStatus(); };
  DataRef bad = *ref;
  bad.data_id = "../../etc/passwd";
  EXPECT_EQ((*plane)->Read(bad, 0, 1, noop).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*plane)->Delete(bad).code(), absl::StatusCode::kInvalidArgument);
  bad = *ref;
  bad.parity_shards = 1;  // 2+1 does not span 4 drives
  EXPECT_EQ((*plane)->Read(bad, 0, 1, noop).code(), absl::StatusCode::kInvalidArgument);
  bad = *ref;
  bad.set_index = 3;
  EXPECT_EQ((*plane)->Read(bad, 0, 1, noop).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sb::erasure
