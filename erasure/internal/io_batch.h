// Batched file I/O: submits a set of independent reads, writes and fdatasyncs together
// (io_uring, one ring per thread) and waits for all of them, so a stripe's blocks on
// different drives move in parallel. Falls back to sequential syscalls where io_uring is
// unavailable (e.g. blocked by a container seccomp profile). Thread-safe.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <span>

namespace sb::erasure::internal {

struct IoOp {
  enum class Kind { kRead, kWrite, kFdatasync, kFsync };
  Kind kind = Kind::kRead;
  int fd = -1;
  uint64_t offset = 0;
  iovec iov[2] = {};
  int iovcnt = 0;  // 1 or 2 for reads/writes, 0 for syncs
  // Out: bytes transferred (reads stop short only at EOF), 0 for syncs, or -errno.
  int64_t result = 0;

  static IoOp Read(int fd, uint64_t offset, void* a, size_t a_len, void* b, size_t b_len);
  static IoOp Write(int fd, uint64_t offset, const void* a, size_t a_len, const void* b,
                    size_t b_len);
  static IoOp Sync(int fd, bool data_only);
  size_t TotalLen() const;
};

// Runs every op in `ops` and waits for all; results land in each op. Never fails as a
// whole: each op reports its own outcome.
void RunBatch(std::span<IoOp> ops);

// Forces the sequential fallback on all threads (tests exercise both paths).
void SetIoUringEnabledForTest(bool enabled);
// Whether the calling thread would use io_uring for its next batch.
bool IoUringActiveOnThisThread();

}  // namespace sb::erasure::internal
