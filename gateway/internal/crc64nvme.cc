#include "gateway/internal/crc64nvme.h"

#include <array>
#include <cstring>

namespace sb::gateway::internal {
namespace {

constexpr uint64_t kPolyReflected = 0x9A6C9329AC4BC9B5ULL;

using Tables = std::array<std::array<uint64_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolyReflected : c >> 1;
    t[0][i] = c;
  }
  for (size_t i = 0; i < 256; ++i) {
    for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
  return t;
}

constexpr Tables kTables = MakeTables();

}  // namespace

uint64_t Crc64Nvme(uint64_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  // Slice-by-8 reads 8 bytes as a little-endian word: x86-64 and aarch64 (our targets).
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "slice-by-8 assumes little-endian");
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c ^= word;
    c = kTables[7][c & 0xff] ^ kTables[6][(c >> 8) & 0xff] ^ kTables[5][(c >> 16) & 0xff] ^
        kTables[4][(c >> 24) & 0xff] ^ kTables[3][(c >> 32) & 0xff] ^ kTables[2][(c >> 40) & 0xff] ^
        kTables[1][(c >> 48) & 0xff] ^ kTables[0][c >> 56];
    p += 8;
    size -= 8;
  }
  while (size-- > 0) c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xff];
  return ~c;
}

}  // namespace sb::gateway::internal
