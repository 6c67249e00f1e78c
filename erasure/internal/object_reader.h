// ObjectReader: serves a byte range of one object from its shard files. Reads only the
// stripes (and, when healthy, only the data blocks) that cover the range, verifies every
// block checksum and rebuilds missing or corrupt blocks from parity. One per Read call;
// not thread-safe, but any number may run concurrently against one PlaneState.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "erasure/data_plane.h"
#include "erasure/internal/plane_state.h"

namespace sb::erasure::internal {

class ObjectReader {
 public:
  // `ref` must already be validated against `plane`; `codec` matches ref's K+M.
  ObjectReader(const PlaneState& plane, const DataRef& ref, const RsCodec& codec);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // Sends bytes [offset, offset+length) to `sink`, one call per stripe touched. The range
  // must lie inside the object. DataLoss(kDataCorrupted) if a stripe has < K good blocks;
  // a sink error stops the read and is returned.
  absl::Status Read(uint64_t offset, uint64_t length, const ByteSink& sink);

 private:
  enum class ShardState { kUnopened, kOpen, kBad };
  struct Shard {
    int fd = -1;
    ShardState state = ShardState::kUnopened;
  };

  void OpenShard(uint32_t i);
  void MarkBad(uint32_t i);
  uint8_t* Block(uint32_t i, uint64_t block_len);
  // Reads blocks `which` of stripe `s`, setting good[i] for each block that verified.
  void ReadBlocks(uint64_t s, uint64_t block_len, const std::vector<uint32_t>& which,
                  std::vector<bool>& tried, std::vector<bool>& good);
  // Fills data blocks [first, last] of stripe `s` into data_, decoding if needed.
  absl::Status LoadStripe(uint64_t s, uint32_t first, uint32_t last);

  const PlaneState& plane_;
  const DataRef& ref_;
  const RsCodec& codec_;
  const StripeLayout layout_;
  const uint32_t k_;
  const uint32_t n_;
  std::vector<Shard> shards_;
  std::vector<uint8_t> data_;    // K blocks of the current stripe, back to back
  std::vector<uint8_t> parity_;  // M blocks, allocated on first need
  std::vector<std::array<uint8_t, kBlockChecksumSize>> sums_;
};

}  // namespace sb::erasure::internal
