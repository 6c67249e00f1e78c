// ShardedObjectWriter: the ObjectWriter of a local data plane. Buffers one stripe, encodes
// it and writes its K+M blocks to temp shard files on all drives in one batch; Finish
// writes headers, fdatasyncs, renames into place and fsyncs directories. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "erasure/data_plane.h"
#include "erasure/internal/plane_state.h"

namespace sb::erasure::internal {

class ShardedObjectWriter final : public ObjectWriter {
 public:
  ShardedObjectWriter(std::shared_ptr<const PlaneState> plane, std::string data_id);
  ~ShardedObjectWriter() override;
  ShardedObjectWriter(const ShardedObjectWriter&) = delete;
  ShardedObjectWriter& operator=(const ShardedObjectWriter&) = delete;

  absl::Status Write(std::string_view data) override;
  // After a successful Finish the object belongs to the caller: Abort() no longer
  // removes it (use DataPlane::Delete).
  absl::StatusOr<DataRef> Finish() override;
  void Abort() override;

 private:
  enum class State { kOpen, kFinished, kFailed, kAborted };
  struct Shard {
    std::string dir;         // <drive>/<set>/<hh>
    std::string tmp_path;    // <dir>/<data_id>.shard.tmp until renamed
    std::string final_path;  // <dir>/<data_id>.shard
    int fd = -1;
    bool failed = false;
    bool created_dir = false;  // we made <dir>, so <drive>/<set> needs an fsync
    bool renamed = false;
    absl::Status error;
  };

  absl::Status CheckOpen() const;
  void OpenShards();
  absl::Status FlushStripe();
  absl::Status WriteHeadersAndSync();
  absl::Status CommitNames();
  void FailShard(size_t i, absl::Status why);
  // Returns Unavailable(kQuorumLost) and cleans up if fewer than quorum shards are healthy.
  absl::Status CheckQuorum(std::string_view stage);
  void CloseFds();
  void RemoveFiles();

  std::shared_ptr<const PlaneState> plane_;
  const std::string data_id_;
  const uint32_t k_;
  const uint32_t m_;
  const StripeLayout full_;  // layout with size unknown: block geometry only
  State state_ = State::kOpen;
  absl::Status error_;
  bool shards_opened_ = false;
  std::vector<Shard> shards_;
  std::vector<uint8_t> stripe_;  // object bytes of the current stripe, then zero padding
  std::vector<uint8_t> parity_;  // M blocks of FullBlockLen()
  std::vector<std::array<uint8_t, kBlockChecksumSize>> sums_;
  size_t fill_ = 0;
  uint64_t size_ = 0;
  uint64_t stripes_written_ = 0;
};

}  // namespace sb::erasure::internal
