// SseMetadata: what an object (or part) record keeps about its encryption, as opaque bytes
// in the metadata store. Compact binary with a leading version byte; Parse validates every
// field, so a damaged record is rejected rather than misread.
// Layout: docs/on-disk-format.md, "Encryption". Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "policy/sse/key256.h"
#include "policy/sse/package_format.h"

namespace sb::sse {

enum class SseMode : uint8_t {
  kS3 = 1,        // SSE-S3: data key sealed under the built-in "sse-s3" master key
  kKms = 2,       // SSE-KMS: data key sealed under a named master key
  kCustomer = 3,  // SSE-C: data key sealed under a key derived from the customer's key
};

struct SseMetadata {
  static constexpr uint8_t kVersion = 1;

  SseMode mode = SseMode::kS3;
  std::string key_id;           // master key id (S3/KMS); empty for SSE-C
  std::string sealed_data_key;  // Keyring or SseCKey wrap output
  BaseNonce base_nonce{};
  uint32_t package_size = kPackageSize;
  uint64_t plaintext_size = 0;
  std::string customer_salt;   // SSE-C only: KeyCheck salt
  std::string customer_check;  // SSE-C only: KeyCheck mac

  std::string Serialize() const;
  // DataLoss(kDataCorrupted) unless `bytes` is exactly one well-formed record of a known
  // version: valid mode, package size, key id and sealed-key lengths, SSE-C fields present
  // exactly for SSE-C, no trailing bytes.
  static absl::StatusOr<SseMetadata> Parse(std::string_view bytes);

  // Ciphertext bytes the data plane holds for this object (part).
  uint64_t ciphertext_size() const { return CiphertextSize(plaintext_size, package_size); }

  bool operator==(const SseMetadata&) const = default;
};

}  // namespace sb::sse
