#include "erasure/internal/shard_format.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/error_reason.h"

namespace sb::erasure::internal {
namespace {

constexpr char kMagic[8] = {'S', 'B', 'S', 'H', 'A', 'R', 'D', '\0'};
// Byte offsets inside the header. Bytes [104, 120) are reserved (zero).
constexpr size_t kOffVersion = 8;
constexpr size_t kOffHeaderSize = 12;
constexpr size_t kOffObjectSize = 16;
constexpr size_t kOffBlockSize = 24;
constexpr size_t kOffDataShards = 28;
constexpr size_t kOffParityShards = 30;
constexpr size_t kOffShardIndex = 32;
constexpr size_t kOffDataIdLen = 34;
constexpr size_t kOffSetIndex = 36;
constexpr size_t kOffDataId = 40;
constexpr size_t kOffChecksum = kShardHeaderSize - 8;

void StoreLe16(uint16_t v, uint8_t* out) {
  out[0] = static_cast<uint8_t>(v);
  out[1] = static_cast<uint8_t>(v >> 8);
}
void StoreLe32(uint32_t v, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t LoadLe16(const uint8_t* in) { return static_cast<uint16_t>(in[0] | (in[1] << 8)); }
uint32_t LoadLe32(const uint8_t* in) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

absl::Status Corrupt(const std::string& what) {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                   "shard header: " + what);
}

}  // namespace

bool IsValidDataId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDataIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  });
}

uint64_t StripeLayout::StripeLen(uint64_t s) const {
  uint64_t start = s * block_size;
  if (start >= size) return 0;
  return std::min<uint64_t>(block_size, size - start);
}

uint64_t StripeLayout::BlockLen(uint64_t s) const {
  return (StripeLen(s) + data_shards - 1) / data_shards;
}

uint64_t StripeLayout::BlockOffset(uint64_t s) const {
  return kShardHeaderSize + s * (FullBlockLen() + kBlockChecksumSize);
}

uint64_t StripeLayout::ShardFileSize() const {
  uint64_t n = StripeCount();
  if (n == 0) return kShardHeaderSize;
  return BlockOffset(n - 1) + BlockLen(n - 1) + kBlockChecksumSize;
}

std::array<uint8_t, kShardHeaderSize> EncodeShardHeader(const ShardHeader& h) {
  std::array<uint8_t, kShardHeaderSize> b{};
  std::memcpy(b.data(), kMagic, sizeof(kMagic));
  StoreLe32(kShardFormatVersion, b.data() + kOffVersion);
  StoreLe32(kShardHeaderSize, b.data() + kOffHeaderSize);
  StoreLe64(h.object_size, b.data() + kOffObjectSize);
  StoreLe32(h.block_size, b.data() + kOffBlockSize);
  StoreLe16(static_cast<uint16_t>(h.data_shards), b.data() + kOffDataShards);
  StoreLe16(static_cast<uint16_t>(h.parity_shards), b.data() + kOffParityShards);
  StoreLe16(static_cast<uint16_t>(h.shard_index), b.data() + kOffShardIndex);
  size_t id_len = std::min(h.data_id.size(), kMaxDataIdLength);
  StoreLe16(static_cast<uint16_t>(id_len), b.data() + kOffDataIdLen);
  StoreLe32(h.set_index, b.data() + kOffSetIndex);
  std::memcpy(b.data() + kOffDataId, h.data_id.data(), id_len);
  StoreLe64(XXH3_64bits(b.data(), kOffChecksum), b.data() + kOffChecksum);
  return b;
}

absl::StatusOr<ShardHeader> DecodeShardHeader(const uint8_t* bytes, size_t len) {
  if (len < kShardHeaderSize) return Corrupt(absl::StrCat("truncated (", len, " bytes)"));
  if (std::memcmp(bytes, kMagic, sizeof(kMagic)) != 0) return Corrupt("bad magic");
  if (XXH3_64bits(bytes, kOffChecksum) != LoadLe64(bytes + kOffChecksum)) {
    return Corrupt("checksum mismatch");
  }
  uint32_t version = LoadLe32(bytes + kOffVersion);
  if (version != kShardFormatVersion) return Corrupt(absl::StrCat("unknown version ", version));
  if (LoadLe32(bytes + kOffHeaderSize) != kShardHeaderSize) return Corrupt("bad header size");
  ShardHeader h;
  h.object_size = LoadLe64(bytes + kOffObjectSize);
  h.block_size = LoadLe32(bytes + kOffBlockSize);
  h.data_shards = LoadLe16(bytes + kOffDataShards);
  h.parity_shards = LoadLe16(bytes + kOffParityShards);
  h.shard_index = LoadLe16(bytes + kOffShardIndex);
  h.set_index = LoadLe32(bytes + kOffSetIndex);
  size_t id_len = LoadLe16(bytes + kOffDataIdLen);
  if (id_len > kMaxDataIdLength) return Corrupt("bad data id length");
  h.data_id.assign(reinterpret_cast<const char*>(bytes + kOffDataId), id_len);
  if (!IsValidDataId(h.data_id)) return Corrupt("bad data id");
  if (h.block_size == 0 || h.block_size > kMaxBlockSize || h.data_shards == 0 ||
      h.data_shards + h.parity_shards > kMaxDrives ||
      h.shard_index >= h.data_shards + h.parity_shards) {
    return Corrupt("field out of range");
  }
  return h;
}

std::string ShardRelPath(uint32_t set_index, std::string_view data_id) {
  uint64_t h = XXH3_64bits(data_id.data(), data_id.size());
  return absl::StrFormat("%u/%02x/%s.shard", set_index, static_cast<unsigned>(h & 0xff),
                         std::string(data_id));
}

uint64_t BlockChecksum(const uint8_t* data, size_t len) { return XXH3_64bits(data, len); }

void StoreLe64(uint64_t v, uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t LoadLe64(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

}  // namespace sb::erasure::internal
