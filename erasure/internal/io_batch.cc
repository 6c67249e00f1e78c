#include "erasure/internal/io_batch.h"

#include <liburing.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <vector>

namespace sb::erasure::internal {
namespace {

constexpr unsigned kRingDepth = 64;
std::atomic<bool> g_uring_enabled{true};

// One io_uring per thread: batches are submitted and fully reaped within one RunBatch call,
// so a ring never has I/O in flight across calls and needs no locking.
class ThreadRing {
 public:
  ThreadRing() { ok_ = io_uring_queue_init(kRingDepth, &ring_, 0) == 0; }
  ~ThreadRing() {
    if (ok_) io_uring_queue_exit(&ring_);
  }
  ThreadRing(const ThreadRing&) = delete;
  ThreadRing& operator=(const ThreadRing&) = delete;

  bool ok() const { return ok_; }
  io_uring* ring() { return &ring_; }
  // After an unexpected ring error the thread falls back to syscalls for good.
  void Disable() {
    if (ok_) io_uring_queue_exit(&ring_);
    ok_ = false;
  }

 private:
  io_uring ring_{};
  bool ok_ = false;
};

ThreadRing& Ring() {
  thread_local ThreadRing ring;
  return ring;
}

// Completes `op` with plain syscalls starting `done` bytes in (after a short transfer, or
// for the whole op in fallback mode).
void FinishSync(IoOp& op, size_t done) {
  if (op.kind == IoOp::Kind::kFdatasync || op.kind == IoOp::Kind::kFsync) {
    int rc = op.kind == IoOp::Kind::kFdatasync ? ::fdatasync(op.fd) : ::fsync(op.fd);
    op.result = rc == 0 ? 0 : -errno;
    return;
  }
  const size_t total = op.TotalLen();
  while (done < total) {
    // Rebuild the iovec tail that starts `done` bytes into the op.
    iovec rest[2];
    int n = 0;
    size_t skip = done;
    for (int i = 0; i < op.iovcnt; ++i) {
      if (skip >= op.iov[i].iov_len) {
        skip -= op.iov[i].iov_len;
        continue;
      }
      rest[n].iov_base = static_cast<uint8_t*>(op.iov[i].iov_base) + skip;
      rest[n].iov_len = op.iov[i].iov_len - skip;
      skip = 0;
      ++n;
    }
    off_t off = static_cast<off_t>(op.offset + done);
    ssize_t r = op.kind == IoOp::Kind::kRead ? ::preadv(op.fd, rest, n, off)
                                             : ::pwritev(op.fd, rest, n, off);
    if (r < 0) {
      if (errno == EINTR) continue;
      op.result = -errno;
      return;
    }
    if (r == 0) break;  // EOF on read (a zero-byte write would loop forever)
    done += static_cast<size_t>(r);
  }
  op.result = static_cast<int64_t>(done);
}

void PrepOp(io_uring_sqe* sqe, IoOp& op) {
  switch (op.kind) {
    case IoOp::Kind::kRead:
      io_uring_prep_readv(sqe, op.fd, op.iov, static_cast<unsigned>(op.iovcnt), op.offset);
      break;
    case IoOp::Kind::kWrite:
      io_uring_prep_writev(sqe, op.fd, op.iov, static_cast<unsigned>(op.iovcnt), op.offset);
      break;
    case IoOp::Kind::kFdatasync:
      io_uring_prep_fsync(sqe, op.fd, IORING_FSYNC_DATASYNC);
      break;
    case IoOp::Kind::kFsync:
      io_uring_prep_fsync(sqe, op.fd, 0);
      break;
  }
}

// Runs up to kRingDepth ops through the ring. Returns false (with nothing in flight) if the
// ring failed; ops whose completion was not seen are then left with done[i] == false.
bool RunOnRing(ThreadRing& tr, std::span<IoOp> ops, std::vector<bool>& done) {
  io_uring* ring = tr.ring();
  for (size_t i = 0; i < ops.size(); ++i) {
    io_uring_sqe* sqe = io_uring_get_sqe(ring);
    if (sqe == nullptr) return false;  // cannot happen: the ring is empty between batches
    PrepOp(sqe, ops[i]);
    io_uring_sqe_set_data64(sqe, i);
  }
  size_t submitted = 0;
  size_t reaped = 0;
  bool healthy = true;
  while (reaped < ops.size()) {
    if (healthy && submitted < ops.size()) {
      int r = io_uring_submit(ring);
      if (r >= 0) {
        submitted += static_cast<size_t>(r);
      } else if (r != -EINTR && r != -EAGAIN && r != -EBUSY) {
        healthy = false;  // reap what is in flight, then give up on the ring
      }
    }
    if (reaped == submitted) {
      if (!healthy) break;
      continue;
    }
    io_uring_cqe* cqe = nullptr;
    int r = io_uring_wait_cqe(ring, &cqe);
    if (r == -EINTR) continue;
    if (r < 0) return false;  // ring unusable; nothing more can be reaped safely
    size_t i = static_cast<size_t>(io_uring_cqe_get_data64(cqe));
    ops[i].result = cqe->res;
    done[i] = true;
    io_uring_cqe_seen(ring, cqe);
    ++reaped;
  }
  return healthy;
}

}  // namespace

IoOp IoOp::Read(int fd, uint64_t offset, void* a, size_t a_len, void* b, size_t b_len) {
  IoOp op;
  op.kind = Kind::kRead;
  op.fd = fd;
  op.offset = offset;
  op.iov[0] = {a, a_len};
  op.iov[1] = {b, b_len};
  op.iovcnt = b_len > 0 ? 2 : 1;
  return op;
}

IoOp IoOp::Write(int fd, uint64_t offset, const void* a, size_t a_len, const void* b,
                 size_t b_len) {
  // iovec is not const-correct; writes only read the buffers.
  IoOp op = Read(fd, offset, const_cast<void*>(a), a_len, const_cast<void*>(b), b_len);
  op.kind = Kind::kWrite;
  return op;
}

IoOp IoOp::Sync(int fd, bool data_only) {
  IoOp op;
  op.kind = data_only ? Kind::kFdatasync : Kind::kFsync;
  op.fd = fd;
  return op;
}

size_t IoOp::TotalLen() const {
  size_t n = 0;
  for (int i = 0; i < iovcnt; ++i) n += iov[i].iov_len;
  return n;
}

void RunBatch(std::span<IoOp> ops) {
  ThreadRing* tr = g_uring_enabled.load(std::memory_order_relaxed) ? &Ring() : nullptr;
  for (size_t start = 0; start < ops.size(); start += kRingDepth) {
    std::span<IoOp> chunk = ops.subspan(start, std::min<size_t>(kRingDepth, ops.size() - start));
    std::vector<bool> done(chunk.size(), false);
    if (tr != nullptr && tr->ok() && !RunOnRing(*tr, chunk, done)) tr->Disable();
    for (size_t i = 0; i < chunk.size(); ++i) {
      IoOp& op = chunk[i];
      if (!done[i]) {
        FinishSync(op, 0);
      } else if (op.result >= 0 && op.iovcnt > 0 &&
                 static_cast<size_t>(op.result) < op.TotalLen()) {
        FinishSync(op, static_cast<size_t>(op.result));  // short transfer: finish the rest
      }
    }
  }
}

void SetIoUringEnabledForTest(bool enabled) { g_uring_enabled.store(enabled); }

bool IoUringActiveOnThisThread() { return g_uring_enabled.load() && Ring().ok(); }

}  // namespace sb::erasure::internal
