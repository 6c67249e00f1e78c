#include "erasure/internal/io_batch.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/erasure/plane_test_util.h"

namespace sb::erasure::internal {
namespace {

class IoBatchTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override { SetIoUringEnabledForTest(GetParam()); }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
    SetIoUringEnabledForTest(true);
  }
  int NewFile(const std::string& name) {
    int fd = ::open((dir_.path() + "/" + name).c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    EXPECT_GE(fd, 0);
    fds_.push_back(fd);
    return fd;
  }

  testing_util::TempDir dir_;
  std::vector<int> fds_;
};

TEST_P(IoBatchTest, WritesSyncsAndReadsManyFilesInOneBatch) {
  if (GetParam()) {
    // io_uring is expected to work on the build machine; the fallback is tested anyway.
    EXPECT_TRUE(IoUringActiveOnThisThread());
  } else {
    EXPECT_FALSE(IoUringActiveOnThisThread());
  }
  constexpr int kFiles = 150;  // more than one ring's worth
  std::vector<int> fds;
  std::vector<std::string> blocks;
  std::vector<std::array<char, 4>> tails(kFiles);
  std::vector<IoOp> ops;
  for (int i = 0; i < kFiles; ++i) {
    fds.push_back(NewFile("f" + std::to_string(i)));
    blocks.push_back(testing_util::RandomBytes(1000 + i, static_cast<uint32_t>(i)));
    tails[i] = {'t', 'a', 'i', static_cast<char>(i)};
  }
  for (int i = 0; i < kFiles; ++i) {
    ops.push_back(IoOp::Write(fds[i], 10, blocks[i].data(), blocks[i].size(), tails[i].data(),
                              tails[i].size()));
  }
  RunBatch(ops);
  for (const IoOp& op : ops) EXPECT_EQ(op.result, static_cast<int64_t>(op.TotalLen()));
  ops.clear();
  for (int i = 0; i < kFiles; ++i) ops.push_back(IoOp::Sync(fds[i], i % 2 == 0));
  RunBatch(ops);
  for (const IoOp& op : ops) EXPECT_EQ(op.result, 0);

  std::vector<std::string> got(kFiles);
  std::vector<std::array<char, 4>> got_tails(kFiles);
  ops.clear();
  for (int i = 0; i < kFiles; ++i) {
    got[i].resize(blocks[i].size());
    ops.push_back(IoOp::Read(fds[i], 10, got[i].data(), got[i].size(), got_tails[i].data(), 4));
  }
  RunBatch(ops);
  for (int i = 0; i < kFiles; ++i) {
    EXPECT_EQ(ops[i].result, static_cast<int64_t>(blocks[i].size() + 4));
    EXPECT_TRUE(got[i] == blocks[i]) << i;
    EXPECT_EQ(got_tails[i], tails[i]);
  }
}

TEST_P(IoBatchTest, ShortReadAtEofAndErrorsArePerOp) {
  int fd = NewFile("short");
  ASSERT_EQ(::pwrite(fd, "0123456789", 10, 0), 10);
  char a[8] = {}, b[8] = {};
  char c[4] = {};
  std::vector<IoOp> ops = {IoOp::Read(fd, 4, a, sizeof(a), b, sizeof(b)),
                           IoOp::Read(-1, 0, c, sizeof(c), nullptr, 0),
                           IoOp::Read(fd, 100, c, sizeof(c), nullptr, 0)};
  RunBatch(ops);
  EXPECT_EQ(ops[0].result, 6);
  EXPECT_EQ(std::string(a, 6), "456789");
  EXPECT_EQ(ops[1].result, -EBADF);
  EXPECT_EQ(ops[2].result, 0);
}

INSTANTIATE_TEST_SUITE_P(Io, IoBatchTest, testing::Values(true, false),
                         [](const testing::TestParamInfo<bool>& p) {
                           return p.param ? "IoUring" : "Syscalls";
                         });

}  // namespace
}  // namespace sb::erasure::internal
