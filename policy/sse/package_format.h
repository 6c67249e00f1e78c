// SSE package layout: an object's (part's) plaintext is cut into fixed-size packages, each
// sealed with AES-256-GCM as ciphertext||16-byte tag. Package i uses nonce base XOR i and
// binds (i, is-final) in its AAD. Pure arithmetic, no I/O. Thread-safe (pure functions).
// Layout on disk: docs/on-disk-format.md, "Encryption (SSE packages and key wrapping)".
#pragma once

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "policy/sse/key256.h"

namespace sb::sse {

inline constexpr uint32_t kPackageSize = 64 * 1024;  // plaintext bytes per package
inline constexpr uint32_t kPackageTagSize = 16;      // GCM tag appended to every package
inline constexpr uint32_t kMinPackageSize = 1024;
inline constexpr uint32_t kMaxPackageSize = 16 * 1024 * 1024;
inline constexpr uint8_t kPackageFormatVersion = 1;
inline constexpr size_t kPackageAadSize = 10;
using PackageAad = std::array<uint8_t, kPackageAadSize>;

// True if `package_size` is one this build can encrypt and decrypt.
bool IsValidPackageSize(uint32_t package_size);

// Packages an object of `plaintext_size` bytes is sealed into. Always >= 1: an empty object
// is one empty final package, so even a zero-byte object carries an authentication tag.
uint64_t PackageCount(uint64_t plaintext_size, uint32_t package_size = kPackageSize);

// Stored (ciphertext) size: plaintext + 16 bytes per package.
uint64_t CiphertextSize(uint64_t plaintext_size, uint32_t package_size = kPackageSize);

// The packages covering plaintext [offset, offset+length) and the ciphertext bytes to fetch.
struct PackageRange {
  uint64_t first_package = 0;
  uint64_t package_count = 0;  // 0 only for an empty range
  uint64_t ciphertext_offset = 0;
  uint64_t ciphertext_length = 0;
  uint64_t skip = 0;  // plaintext bytes to drop from the front of the first package
};

// OutOfRange(kInvalidRange) if the range extends past `plaintext_size`; InvalidArgument if
// the package size is invalid. A zero-length range covers no package.
absl::StatusOr<PackageRange> PackageRangeFor(uint64_t plaintext_size, uint64_t offset,
                                             uint64_t length, uint32_t package_size = kPackageSize);

// Plaintext bytes in package `index` of an object of `plaintext_size` bytes.
uint64_t PackagePlaintextSize(uint64_t plaintext_size, uint64_t index,
                              uint32_t package_size = kPackageSize);

// Nonce of package `index`: the base nonce with its last 8 bytes XORed with the big-endian
// index. Distinct indices give distinct nonces under one data key (as in TLS 1.3).
BaseNonce PackageNonce(const BaseNonce& base, uint64_t index);

// Associated data of a package: format version, big-endian index, final flag (0 or 1).
PackageAad MakePackageAad(uint64_t index, bool final_package);

}  // namespace sb::sse
