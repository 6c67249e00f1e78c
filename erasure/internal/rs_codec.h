// RsCodec: systematic Reed-Solomon over GF(2^8) via ISA-L (Cauchy encoding matrix, so any
// K of the K+M shards suffice). Pure math, no I/O. Immutable after Create: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::erasure::internal {

class RsCodec {
 public:
  // InvalidArgument unless 1 <= data_shards and data_shards + parity_shards <= 255.
  static absl::StatusOr<RsCodec> Create(int data_shards, int parity_shards);

  int data_shards() const { return k_; }
  int parity_shards() const { return m_; }

  // Computes parity[0..M) from data[0..K); every block is `len` bytes. No-op when M == 0.
  void Encode(size_t len, const uint8_t* const* data, uint8_t* const* parity) const;

  // Rebuilds the blocks whose indices (0..K+M) are in `targets`, writing each in place into
  // shards[target], from K blocks marked in `available` (shards.size() == K+M, each `len`
  // bytes). Targets already available are left alone. DataLoss if fewer than K blocks are
  // available; InvalidArgument on bad indices or sizes.
  absl::Status Reconstruct(size_t len, const std::vector<uint8_t*>& shards,
                           const std::vector<bool>& available,
                           const std::vector<int>& targets) const;

 private:
  RsCodec(int k, int m) : k_(k), m_(m) {}

  int k_ = 0;
  int m_ = 0;
  std::vector<uint8_t> matrix_;       // (K+M) x K, identity on top
  std::vector<uint8_t> encode_tbls_;  // ec_init_tables over the parity rows
};

}  // namespace sb::erasure::internal
