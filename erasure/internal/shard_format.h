// On-disk shard format (see docs/on-disk-format.md, "Erasure shards"): where a shard file
// lives, its fixed 128-byte header, and where each stripe's block + xxh3 checksum sits.
// Pure functions and value types; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::erasure::internal {

inline constexpr size_t kShardHeaderSize = 128;
inline constexpr size_t kBlockChecksumSize = 8;
inline constexpr uint32_t kShardFormatVersion = 1;
inline constexpr size_t kMaxDataIdLength = 64;
inline constexpr uint32_t kMaxDrives = 16;
inline constexpr uint32_t kMaxBlockSize = 1u << 28;

// True if `id` is 1..64 chars of [0-9A-Za-z_-] (safe as a file name stem).
bool IsValidDataId(std::string_view id);

// Geometry of one object: stripes of block_size bytes, each cut into K blocks.
struct StripeLayout {
  uint64_t size = 0;
  uint32_t block_size = 1;
  uint32_t data_shards = 1;

  uint64_t StripeCount() const { return (size + block_size - 1) / block_size; }
  // Object bytes in stripe `s` (block_size except possibly for the last one).
  uint64_t StripeLen(uint64_t s) const;
  // Bytes of each of the K+M blocks of stripe `s`: ceil(StripeLen(s) / K).
  uint64_t BlockLen(uint64_t s) const;
  uint64_t FullBlockLen() const { return (uint64_t{block_size} + data_shards - 1) / data_shards; }
  // File offset of stripe `s`'s block in every shard file (all earlier stripes are full).
  uint64_t BlockOffset(uint64_t s) const;
  // Total bytes of each shard file (header + all blocks and checksums).
  uint64_t ShardFileSize() const;
};

struct ShardHeader {
  std::string data_id;
  uint64_t object_size = 0;
  uint32_t block_size = 0;
  uint32_t data_shards = 0;
  uint32_t parity_shards = 0;
  uint32_t shard_index = 0;
  uint32_t set_index = 0;

  bool operator==(const ShardHeader&) const = default;
};

// Encodes `h` into the fixed header bytes (with its checksum).
std::array<uint8_t, kShardHeaderSize> EncodeShardHeader(const ShardHeader& h);

// DataLoss if the magic, version or checksum is wrong or a field is out of range.
absl::StatusOr<ShardHeader> DecodeShardHeader(const uint8_t* bytes, size_t len);

// Relative path of an object's shard under a drive: "<set>/<hh>/<data_id>.shard", where hh
// is the low byte of xxh3(data_id) in hex (256 fan-out directories per set).
std::string ShardRelPath(uint32_t set_index, std::string_view data_id);

// xxh3-64 of a block, as stored after it (little-endian).
uint64_t BlockChecksum(const uint8_t* data, size_t len);
void StoreLe64(uint64_t v, uint8_t* out);
uint64_t LoadLe64(const uint8_t* in);

}  // namespace sb::erasure::internal
