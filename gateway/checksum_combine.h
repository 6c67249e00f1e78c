// Whole-object checksums of multipart uploads from their parts' S3 additional checksums:
// COMPOSITE (the checksum of the concatenated raw part checksums, "-N" appended) and
// FULL_OBJECT (the CRC of the whole object, combined from the part CRCs and sizes without
// reading the data, as zlib's crc32_combine). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::gateway {

inline constexpr std::string_view kChecksumComposite = "COMPOSITE";
inline constexpr std::string_view kChecksumFullObject = "FULL_OBJECT";

// One part's checksum (base64, as S3 sends it) and its size in bytes.
struct PartChecksum {
  std::string value;
  uint64_t size = 0;
};

// `algorithm` is an upper-case S3 name ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256").
// InvalidArgument(kInvalidRequest) for an unknown algorithm, FULL_OBJECT with SHA1/SHA256, or
// COMPOSITE with CRC64NVME (S3 allows neither); InvalidArgument(kInvalidPart) for a part
// value that is not base64 of the algorithm's digest size.
absl::StatusOr<std::string> MultipartChecksum(std::string_view algorithm, std::string_view type,
                                              const std::vector<PartChecksum>& parts);

// S3's default checksum type of a multipart upload: FULL_OBJECT for CRC64NVME, COMPOSITE
// otherwise.
std::string_view DefaultChecksumType(std::string_view algorithm);

// Whether S3 allows `type` ("COMPOSITE" or "FULL_OBJECT") with `algorithm`.
bool ChecksumTypeAllowed(std::string_view algorithm, std::string_view type);

// The XML element / response suffix of an algorithm: "CRC32" -> "ChecksumCRC32".
std::string ChecksumElementName(std::string_view algorithm);

// Combines CRC(A) and CRC(B) into CRC(A || B), given B's length, for a reflected CRC of
// `width` bits (32 or 64) with reflected polynomial `poly` and init == xorout == all ones.
uint64_t CrcCombine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b, uint64_t poly, int width);

}  // namespace sb::gateway
