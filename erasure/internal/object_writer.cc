#include "erasure/internal/object_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "erasure/internal/fs_util.h"
#include "erasure/internal/io_batch.h"

namespace sb::erasure::internal {
namespace {

absl::Status IoResult(const IoOp& op, std::string_view what) {
  if (op.result < 0) return ErrnoError(static_cast<int>(-op.result), what);
  if (op.iovcnt > 0 && static_cast<size_t>(op.result) != op.TotalLen()) {
    return absl::DataLossError(absl::StrCat(AsAbsl(what), ": short transfer"));
  }
  return absl::OkStatus();
}

}  // namespace

ShardedObjectWriter::ShardedObjectWriter(std::shared_ptr<const PlaneState> plane,
                                         std::string data_id)
    : plane_(std::move(plane)),
      data_id_(std::move(data_id)),
      k_(static_cast<uint32_t>(plane_->codec.data_shards())),
      m_(static_cast<uint32_t>(plane_->codec.parity_shards())),
      full_{0, plane_->block_size, k_} {
  // stripe_ and parity_ grow on demand, so small objects do not pay for a full stripe.
  sums_.resize(k_ + m_);
  shards_.resize(k_ + m_);
  for (uint32_t i = 0; i < k_ + m_; ++i) {
    Shard& s = shards_[i];
    s.final_path = plane_->ShardPath(i, data_id_);
    s.tmp_path = s.final_path + ".tmp";
    s.dir = ParentDir(s.final_path);
  }
}

ShardedObjectWriter::~ShardedObjectWriter() { Abort(); }

absl::Status ShardedObjectWriter::CheckOpen() const {
  switch (state_) {
    case State::kOpen:
      return absl::OkStatus();
    case State::kFailed:
      return error_;
    case State::kFinished:
      return absl::FailedPreconditionError("object writer already finished");
    case State::kAborted:
      return absl::FailedPreconditionError("object writer aborted");
  }
  return absl::InternalError("bad writer state");
}

absl::Status ShardedObjectWriter::Write(std::string_view data) {
  SB_RETURN_IF_ERROR(CheckOpen());
  const size_t block_size = plane_->block_size;
  while (!data.empty()) {
    size_t n = std::min(block_size - fill_, data.size());
    if (stripe_.size() < fill_ + n) {
      stripe_.resize(
          std::min<size_t>(std::max(fill_ + n, 2 * stripe_.size()), full_.FullBlockLen() * k_));
    }
    std::memcpy(stripe_.data() + fill_, data.data(), n);
    fill_ += n;
    size_ += n;
    data.remove_prefix(n);
    if (fill_ == block_size) SB_RETURN_IF_ERROR(FlushStripe());
  }
  return absl::OkStatus();
}

void ShardedObjectWriter::OpenShards() {
  shards_opened_ = true;
  for (size_t i = 0; i < shards_.size(); ++i) {
    Shard& s = shards_[i];
    if (!plane_->drives[i].online) {
      // Logged once at Open; not again for every object.
      s.failed = true;
      s.error = absl::UnavailableError("drive " + plane_->drives[i].path + " is offline");
      continue;
    }
    absl::Status st = MakeDirs(s.dir, &s.created_dir);
    if (!st.ok()) {
      FailShard(i, st);
      continue;
    }
    s.fd = ::open(s.tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (s.fd < 0) FailShard(i, ErrnoError(errno, "create " + s.tmp_path));
  }
}

absl::Status ShardedObjectWriter::FlushStripe() {
  if (!shards_opened_) OpenShards();
  const size_t block_len = (fill_ + k_ - 1) / k_;
  if (stripe_.size() < block_len * k_) stripe_.resize(block_len * k_);
  if (parity_.size() < block_len * m_) parity_.resize(block_len * m_);
  std::memset(stripe_.data() + fill_, 0, block_len * k_ - fill_);
  std::vector<const uint8_t*> data(k_);
  std::vector<uint8_t*> parity(m_);
  for (uint32_t i = 0; i < k_; ++i) data[i] = stripe_.data() + i * block_len;
  for (uint32_t j = 0; j < m_; ++j) parity[j] = parity_.data() + j * block_len;
  plane_->codec.Encode(block_len, data.data(), parity.data());

  const uint64_t offset = full_.BlockOffset(stripes_written_);
  std::vector<IoOp> ops;
  std::vector<size_t> op_shard;
  for (size_t i = 0; i < shards_.size(); ++i) {
    const uint8_t* block = i < k_ ? data[i] : parity[i - k_];
    StoreLe64(BlockChecksum(block, block_len), sums_[i].data());
    if (shards_[i].failed) continue;
    ops.push_back(
        IoOp::Write(shards_[i].fd, offset, block, block_len, sums_[i].data(), kBlockChecksumSize));
    op_shard.push_back(i);
  }
  RunBatch(ops);
  for (size_t j = 0; j < ops.size(); ++j) {
    absl::Status st = IoResult(ops[j], "write " + shards_[op_shard[j]].tmp_path);
    if (!st.ok()) FailShard(op_shard[j], st);
  }
  ++stripes_written_;
  fill_ = 0;
  return CheckQuorum("writing a stripe");
}

absl::StatusOr<DataRef> ShardedObjectWriter::Finish() {
  SB_RETURN_IF_ERROR(CheckOpen());
  if (fill_ > 0) SB_RETURN_IF_ERROR(FlushStripe());
  DataRef ref;
  ref.data_id = data_id_;
  ref.size = size_;
  ref.block_size = plane_->block_size;
  ref.data_shards = k_;
  ref.parity_shards = m_;
  ref.set_index = plane_->set_index;
  // Empty objects have no stripes and no files: the DataRef alone describes them.
  if (size_ > 0) {
    SB_RETURN_IF_ERROR(WriteHeadersAndSync());
    SB_RETURN_IF_ERROR(CommitNames());
  }
  CloseFds();
  for (const Shard& s : shards_) {
    if (s.failed) ::unlink(s.tmp_path.c_str());  // best effort: a failed drive's leftovers
  }
  state_ = State::kFinished;
  return ref;
}

absl::Status ShardedObjectWriter::WriteHeadersAndSync() {
  std::vector<std::array<uint8_t, kShardHeaderSize>> headers(shards_.size());
  std::vector<IoOp> ops;
  std::vector<size_t> op_shard;
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].failed) continue;
    ShardHeader h{data_id_,         size_, plane_->block_size, k_, m_, static_cast<uint32_t>(i),
                  plane_->set_index};
    headers[i] = EncodeShardHeader(h);
    ops.push_back(IoOp::Write(shards_[i].fd, 0, headers[i].data(), kShardHeaderSize, nullptr, 0));
    op_shard.push_back(i);
  }
  RunBatch(ops);
  for (size_t j = 0; j < ops.size(); ++j) {
    absl::Status st = IoResult(ops[j], "write header " + shards_[op_shard[j]].tmp_path);
    if (!st.ok()) FailShard(op_shard[j], st);
  }
  ops.clear();
  op_shard.clear();
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].failed) continue;
    ops.push_back(IoOp::Sync(shards_[i].fd, /*data_only=*/true));
    op_shard.push_back(i);
  }
  RunBatch(ops);
  for (size_t j = 0; j < ops.size(); ++j) {
    absl::Status st = IoResult(ops[j], "fdatasync " + shards_[op_shard[j]].tmp_path);
    if (!st.ok()) FailShard(op_shard[j], st);
  }
  return CheckQuorum("syncing shards");
}

absl::Status ShardedObjectWriter::CommitNames() {
  for (size_t i = 0; i < shards_.size(); ++i) {
    Shard& s = shards_[i];
    if (s.failed) continue;
    if (::rename(s.tmp_path.c_str(), s.final_path.c_str()) != 0) {
      FailShard(i, ErrnoError(errno, "rename " + s.tmp_path));
      continue;
    }
    s.renamed = true;
  }
  // fsync each shard's directory (the rename) and, if this writer created that directory,
  // its parent too. Directory fds are opened here and synced in one batch.
  std::vector<IoOp> ops;
  std::vector<size_t> op_shard;
  std::vector<int> fds;
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].failed) continue;
    std::vector<std::string> dirs = {shards_[i].dir};
    if (shards_[i].created_dir) dirs.push_back(ParentDir(shards_[i].dir));
    for (const std::string& d : dirs) {
      int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) {
        FailShard(i, ErrnoError(errno, "open dir " + d));
        break;
      }
      fds.push_back(fd);
      ops.push_back(IoOp::Sync(fd, /*data_only=*/false));
      op_shard.push_back(i);
    }
  }
  RunBatch(ops);
  for (size_t j = 0; j < ops.size(); ++j) {
    absl::Status st = IoResult(ops[j], "fsync dir " + shards_[op_shard[j]].dir);
    if (!st.ok() && !shards_[op_shard[j]].failed) FailShard(op_shard[j], st);
  }
  for (int fd : fds) ::close(fd);
  return CheckQuorum("committing shards");
}

void ShardedObjectWriter::FailShard(size_t i, absl::Status why) {
  Shard& s = shards_[i];
  if (s.failed) return;
  s.failed = true;
  s.error = why;
  plane_->CountDriveError(static_cast<uint32_t>(i));
  Log(LogLevel::kWarn, "erasure: shard write failed",
      {{"data_id", data_id_}, {"drive", plane_->drives[i].path}, {"error", why.ToString()}});
  if (s.fd >= 0) {
    ::close(s.fd);
    s.fd = -1;
  }
  if (s.renamed) ::unlink(s.final_path.c_str());
}

absl::Status ShardedObjectWriter::CheckQuorum(std::string_view stage) {
  const uint32_t quorum = WriteQuorum(k_, m_);
  uint32_t healthy = 0;
  absl::Status first_error;
  for (const Shard& s : shards_) {
    if (!s.failed) ++healthy;
    if (s.failed && first_error.ok()) first_error = s.error;
  }
  if (healthy >= quorum) return absl::OkStatus();
  error_ = MakeError(
      absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost,
      absl::StrCat("write quorum lost while ", AsAbsl(stage), ": ", healthy, " of ", k_ + m_,
                   " shards healthy, need ", quorum, "; first error: ", first_error.ToString()));
  RemoveFiles();
  state_ = State::kFailed;
  return error_;
}

void ShardedObjectWriter::CloseFds() {
  for (Shard& s : shards_) {
    if (s.fd >= 0) ::close(s.fd);
    s.fd = -1;
  }
}

void ShardedObjectWriter::RemoveFiles() {
  CloseFds();
  if (!shards_opened_) return;
  for (Shard& s : shards_) {
    ::unlink(s.tmp_path.c_str());
    if (s.renamed) ::unlink(s.final_path.c_str());
    s.renamed = false;
  }
}

void ShardedObjectWriter::Abort() {
  if (state_ == State::kOpen) RemoveFiles();
  if (state_ != State::kFinished) state_ = State::kAborted;
}

}  // namespace sb::erasure::internal
