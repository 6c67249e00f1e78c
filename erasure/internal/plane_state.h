// PlaneState: the immutable-after-Open state of a data plane (drives, layout, codec) plus
// its atomic counters, shared by the plane, its writers and readers. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "erasure/internal/drive_format.h"
#include "erasure/internal/rs_codec.h"
#include "erasure/internal/shard_format.h"

namespace sb {
class Clock;
}  // namespace sb

namespace sb::erasure::internal {

struct PlaneState {
  PlaneState(PreparedDrives prepared, uint32_t set, uint32_t bs, RsCodec c, const Clock* clk)
      : deployment_id(std::move(prepared.deployment_id)),
        drives(std::move(prepared.drives)),
        set_index(set),
        block_size(bs),
        codec(std::move(c)),
        clock(clk),
        drive_errors(std::make_unique<std::atomic<uint64_t>[]>(drives.size())) {}

  const std::string deployment_id;
  const std::vector<DriveState> drives;
  const uint32_t set_index;
  const uint32_t block_size;
  const RsCodec codec;  // layout for new objects
  const Clock* const clock;

  mutable std::atomic<uint64_t> bitrot_detected{0};
  mutable std::atomic<uint64_t> shard_errors{0};
  mutable std::atomic<uint64_t> stripes_reconstructed{0};
  // Per drive: shard reads or writes that failed on it (missing, unreadable, corrupt).
  const std::unique_ptr<std::atomic<uint64_t>[]> drive_errors;

  void CountDriveError(uint32_t drive) const { drive_errors[drive].fetch_add(1); }

  std::string ShardPath(uint32_t shard, std::string_view data_id) const {
    return drives[shard].path + "/" + ShardRelPath(set_index, data_id);
  }
};

// Shards that must be durable for a write to commit: K, or K+1 when K == M so that two
// disjoint halves of the drives can never both hold a "committed" object.
inline uint32_t WriteQuorum(uint32_t k, uint32_t m) { return k == m ? k + 1 : k; }

}  // namespace sb::erasure::internal
