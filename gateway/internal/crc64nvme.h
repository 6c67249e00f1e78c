// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones), the
// CRC64NVME checksum of S3. ISA-L 2.30 (Debian 12) predates its crc64_rocksoft, so this is a
// slice-by-8 table implementation. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sb::gateway::internal {

// Continues a CRC-64/NVME: pass 0 to start, then the previous return value. The return value is
// the finished CRC of all data so far (init/xorout are applied inside, as in zlib's crc32()).
uint64_t Crc64Nvme(uint64_t crc, const void* data, size_t size);

}  // namespace sb::gateway::internal
