// DataRef wire format (docs/on-disk-format.md): 'E', version 1, then varints size,
// block_size, data_shards, parity_shards, set_index, data_id length, the data_id bytes,
// and the low 32 bits of xxh3-64 over everything before, little-endian.
#include <xxhash.h>

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "erasure/data_plane.h"
#include "erasure/internal/shard_format.h"

namespace sb::erasure {
namespace {

constexpr char kTag = 'E';
constexpr uint8_t kVersion = 1;
constexpr size_t kTrailerSize = 4;

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    if (shift == 63 && b > 1) return false;  // would overflow 64 bits
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

bool GetU32(std::string_view* in, uint32_t* v) {
  uint64_t x = 0;
  if (!GetVarint(in, &x) || x > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(x);
  return true;
}

uint32_t Trailer(std::string_view body) {
  return static_cast<uint32_t>(XXH3_64bits(body.data(), body.size()));
}

absl::Status Bad(const std::string& why) {
  return absl::InvalidArgumentError("not a serialized DataRef: " + why);
}

}  // namespace

std::string DataRef::Serialize() const {
  std::string out;
  out.push_back(kTag);
  out.push_back(static_cast<char>(kVersion));
  PutVarint(size, &out);
  PutVarint(block_size, &out);
  PutVarint(data_shards, &out);
  PutVarint(parity_shards, &out);
  PutVarint(set_index, &out);
  PutVarint(data_id.size(), &out);
  out += data_id;
  uint32_t t = Trailer(out);
  for (size_t i = 0; i < kTrailerSize; ++i) out.push_back(static_cast<char>(t >> (8 * i)));
  return out;
}

absl::StatusOr<DataRef> DataRef::Parse(std::string_view bytes) {
  if (bytes.size() < 2 + kTrailerSize) return Bad("too short");
  if (bytes[0] != kTag) return Bad("bad tag");
  if (static_cast<uint8_t>(bytes[1]) != kVersion) {
    return Bad(absl::StrCat("unknown version ", static_cast<int>(static_cast<uint8_t>(bytes[1]))));
  }
  std::string_view body = bytes.substr(0, bytes.size() - kTrailerSize);
  uint32_t stored = 0;
  for (size_t i = 0; i < kTrailerSize; ++i) {
    stored |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[body.size() + i])) << (8 * i);
  }
  if (stored != Trailer(body)) return Bad("checksum mismatch");

  std::string_view in = body.substr(2);
  DataRef ref;
  uint64_t id_len = 0;
  if (!GetVarint(&in, &ref.size) || !GetU32(&in, &ref.block_size) ||
      !GetU32(&in, &ref.data_shards) || !GetU32(&in, &ref.parity_shards) ||
      !GetU32(&in, &ref.set_index) || !GetVarint(&in, &id_len)) {
    return Bad("malformed field");
  }
  if (id_len != in.size()) return Bad("bad data id length");
  ref.data_id = std::string(in);
  if (!internal::IsValidDataId(ref.data_id)) return Bad("bad data id");
  if (ref.block_size == 0 || ref.block_size > internal::kMaxBlockSize) {
    return Bad("bad block size");
  }
  if (ref.data_shards == 0 || ref.parity_shards > internal::kMaxDrives ||
      ref.data_shards + ref.parity_shards > internal::kMaxDrives) {
    return Bad("bad shard counts");
  }
  return ref;
}

}  // namespace sb::erasure
