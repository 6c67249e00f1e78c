#include "erasure/internal/object_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "erasure/internal/fs_util.h"
#include "erasure/internal/io_batch.h"

namespace sb::erasure::internal {

ObjectReader::ObjectReader(const PlaneState& plane, const DataRef& ref, const RsCodec& codec)
    : plane_(plane),
      ref_(ref),
      codec_(codec),
      layout_{ref.size, ref.block_size, ref.data_shards},
      k_(ref.data_shards),
      n_(ref.data_shards + ref.parity_shards),
      shards_(n_),
      sums_(n_) {}

ObjectReader::~ObjectReader() {
  for (Shard& s : shards_) {
    if (s.fd >= 0) ::close(s.fd);
  }
}

void ObjectReader::MarkBad(uint32_t i) {
  if (shards_[i].fd >= 0) ::close(shards_[i].fd);
  shards_[i].fd = -1;
  shards_[i].state = ShardState::kBad;
}

void ObjectReader::OpenShard(uint32_t i) {
  const std::string path = plane_.ShardPath(i, ref_.data_id);
  auto fail = [&](bool bitrot, const std::string& why) {
    (bitrot ? plane_.bitrot_detected : plane_.shard_errors).fetch_add(1);
    plane_.CountDriveError(i);
    Log(LogLevel::kWarn, bitrot ? "erasure: corrupt shard header" : "erasure: shard unreadable",
        {{"data_id", ref_.data_id}, {"path", path}, {"error", why}});
    MarkBad(i);
  };
  if (!plane_.drives[i].online) {  // logged once at Open, so only counted here
    plane_.shard_errors.fetch_add(1);
    return MarkBad(i);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(false, ErrnoError(errno, "open").ToString());
  shards_[i].fd = fd;
  shards_[i].state = ShardState::kOpen;
  uint8_t buf[kShardHeaderSize];
  absl::StatusOr<size_t> n = PreadAll(fd, buf, sizeof(buf), 0);
  if (!n.ok()) return fail(false, n.status().ToString());
  absl::StatusOr<ShardHeader> h = DecodeShardHeader(buf, *n);
  if (!h.ok()) return fail(*n == kShardHeaderSize, h.status().ToString());
  ShardHeader want{ref_.data_id,       ref_.size, ref_.block_size, ref_.data_shards,
                   ref_.parity_shards, i,         ref_.set_index};
  // A valid header describing another object or slot means a misplaced file: never use it.
  if (!(*h == want)) return fail(true, "header does not match the data reference");
}

uint8_t* ObjectReader::Block(uint32_t i, uint64_t block_len) {
  if (i < k_) return data_.data() + i * block_len;
  if (parity_.size() < block_len * (n_ - k_)) parity_.resize(block_len * (n_ - k_));
  return parity_.data() + (i - k_) * block_len;
}

void ObjectReader::ReadBlocks(uint64_t s, uint64_t block_len, const std::vector<uint32_t>& which,
                              std::vector<bool>& tried, std::vector<bool>& good) {
  std::vector<IoOp> ops;
  std::vector<uint32_t> op_shard;
  const uint64_t offset = layout_.BlockOffset(s);
  for (uint32_t i : which) {
    tried[i] = true;
    if (shards_[i].state == ShardState::kUnopened) OpenShard(i);
    if (shards_[i].state != ShardState::kOpen) continue;
    ops.push_back(IoOp::Read(shards_[i].fd, offset, Block(i, block_len), block_len, sums_[i].data(),
                             kBlockChecksumSize));
    op_shard.push_back(i);
  }
  RunBatch(ops);
  for (size_t j = 0; j < ops.size(); ++j) {
    const uint32_t i = op_shard[j];
    if (ops[j].result < 0 || static_cast<size_t>(ops[j].result) != ops[j].TotalLen()) {
      // An I/O error or a truncated file: this shard is no use for later stripes either.
      plane_.shard_errors.fetch_add(1);
      plane_.CountDriveError(i);
      Log(LogLevel::kWarn, "erasure: shard read failed",
          {{"data_id", ref_.data_id},
           {"path", plane_.ShardPath(i, ref_.data_id)},
           {"result", std::to_string(ops[j].result)},
           {"stripe", std::to_string(s)}});
      MarkBad(i);
      continue;
    }
    if (BlockChecksum(Block(i, block_len), block_len) != LoadLe64(sums_[i].data())) {
      plane_.bitrot_detected.fetch_add(1);
      plane_.CountDriveError(i);
      Log(LogLevel::kWarn, "erasure: bitrot detected",
          {{"data_id", ref_.data_id},
           {"path", plane_.ShardPath(i, ref_.data_id)},
           {"stripe", std::to_string(s)}});
      continue;
    }
    good[i] = true;
  }
}

absl::Status ObjectReader::LoadStripe(uint64_t s, uint32_t first, uint32_t last) {
  const uint64_t block_len = layout_.BlockLen(s);
  std::vector<bool> tried(n_, false), good(n_, false);
  std::vector<uint32_t> needed;
  for (uint32_t i = first; i <= last; ++i) needed.push_back(i);
  ReadBlocks(s, block_len, needed, tried, good);
  auto all_needed_good = [&] {
    return std::all_of(needed.begin(), needed.end(), [&](uint32_t i) { return good[i]; });
  };
  if (all_needed_good()) return absl::OkStatus();  // the common case: no decoding

  // Read more blocks (data first, then parity) until K verify or none are left.
  while (true) {
    uint32_t have = static_cast<uint32_t>(std::count(good.begin(), good.end(), true));
    if (have >= k_) break;
    std::vector<uint32_t> more;
    for (uint32_t i = 0; i < n_ && have + more.size() < k_; ++i) {
      if (!tried[i] && shards_[i].state != ShardState::kBad) more.push_back(i);
    }
    if (more.empty()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       absl::StrCat("object ", ref_.data_id, " stripe ", s, ": only ", have, " of ",
                                    k_, " required shards are readable and intact"));
    }
    ReadBlocks(s, block_len, more, tried, good);
  }
  std::vector<uint8_t*> ptrs(n_, nullptr);
  for (uint32_t i = 0; i < n_; ++i) ptrs[i] = Block(i, block_len);
  std::vector<int> targets;
  for (uint32_t i : needed) {
    if (!good[i]) targets.push_back(static_cast<int>(i));
  }
  SB_RETURN_IF_ERROR(codec_.Reconstruct(block_len, ptrs, good, targets));
  plane_.stripes_reconstructed.fetch_add(1);
  return absl::OkStatus();
}

absl::Status ObjectReader::Read(uint64_t offset, uint64_t length, const ByteSink& sink) {
  if (length == 0) return absl::OkStatus();
  const uint64_t bs = ref_.block_size;
  const uint64_t end = offset + length;
  // Only the last stripe is short, so the first one touched has the largest blocks.
  data_.resize(layout_.BlockLen(offset / bs) * k_);
  for (uint64_t s = offset / bs; s <= (end - 1) / bs; ++s) {
    const uint64_t start = s * bs;
    const uint64_t lo = std::max(offset, start) - start;
    const uint64_t hi = std::min(end, start + layout_.StripeLen(s)) - start;
    const uint64_t block_len = layout_.BlockLen(s);
    SB_RETURN_IF_ERROR(LoadStripe(s, static_cast<uint32_t>(lo / block_len),
                                  static_cast<uint32_t>((hi - 1) / block_len)));
    // Data blocks sit back to back, so the stripe's object bytes are contiguous.
    SB_RETURN_IF_ERROR(sink(std::string_view(reinterpret_cast<const char*>(data_.data()) + lo,
                                             static_cast<size_t>(hi - lo))));
  }
  return absl::OkStatus();
}

}  // namespace sb::erasure::internal
