#include "policy/sse/package_format.h"

#include "common/error_reason.h"

namespace sb::sse {

bool IsValidPackageSize(uint32_t package_size) {
  return package_size >= kMinPackageSize && package_size <= kMaxPackageSize;
}

uint64_t PackageCount(uint64_t plaintext_size, uint32_t package_size) {
  if (plaintext_size == 0) return 1;
  return plaintext_size / package_size + (plaintext_size % package_size != 0 ? 1 : 0);
}

uint64_t CiphertextSize(uint64_t plaintext_size, uint32_t package_size) {
  return plaintext_size + PackageCount(plaintext_size, package_size) * kPackageTagSize;
}

uint64_t PackagePlaintextSize(uint64_t plaintext_size, uint64_t index, uint32_t package_size) {
  const uint64_t start = index * package_size;
  if (start >= plaintext_size) return 0;
  const uint64_t left = plaintext_size - start;
  return left < package_size ? left : package_size;
}

absl::StatusOr<PackageRange> PackageRangeFor(uint64_t plaintext_size, uint64_t offset,
                                             uint64_t length, uint32_t package_size) {
  if (!IsValidPackageSize(package_size)) {
    return absl::InvalidArgumentError("invalid SSE package size");
  }
  if (offset > plaintext_size || length > plaintext_size - offset) {
    return MakeError(absl::StatusCode::kOutOfRange, ErrorReason::kInvalidRange,
                     "plaintext range is outside the object");
  }
  PackageRange range;
  if (length == 0) return range;
  const uint64_t stride = uint64_t{package_size} + kPackageTagSize;
  const uint64_t last = (offset + length - 1) / package_size;
  range.first_package = offset / package_size;
  range.package_count = last - range.first_package + 1;
  range.ciphertext_offset = range.first_package * stride;
  // Every covered package is full except possibly the object's last one.
  range.ciphertext_length = (range.package_count - 1) * stride +
                            PackagePlaintextSize(plaintext_size, last, package_size) +
                            kPackageTagSize;
  range.skip = offset - range.first_package * package_size;
  return range;
}

BaseNonce PackageNonce(const BaseNonce& base, uint64_t index) {
  BaseNonce nonce = base;
  for (int i = 0; i < 8; ++i) {
    nonce[kNonceSize - 1 - i] ^= static_cast<uint8_t>(index >> (8 * i));
  }
  return nonce;
}

PackageAad MakePackageAad(uint64_t index, bool final_package) {
  PackageAad aad{};
  aad[0] = kPackageFormatVersion;
  for (int i = 0; i < 8; ++i) aad[1 + i] = static_cast<uint8_t>(index >> (8 * (7 - i)));
  aad[9] = final_package ? 1 : 0;
  return aad;
}

}  // namespace sb::sse
