// SecretBox: seals access key secrets for storage. AES-256-GCM under a key derived with
// HKDF-SHA256 from the KMS root key (a purpose-specific derivation, so the root key itself
// never encrypts anything here); the access key id is the associated data, so a sealed
// secret moved to another key's record does not open. Internal to policy/iam.
// Thread-safe (immutable after Create).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "policy/sse/key256.h"

namespace sb::policy::iam::internal {

class SecretBox {
 public:
  // Internal if OpenSSL fails.
  static absl::StatusOr<SecretBox> Create(const sse::Key256& root_key);

  // "v1:" + base64(nonce || ciphertext || tag); a fresh random nonce each call.
  absl::StatusOr<std::string> Seal(std::string_view access_key_id, std::string_view secret) const;
  // DataLoss(kDataCorrupted) if `sealed` is malformed, was sealed under another root key or
  // for another access key id.
  absl::StatusOr<std::string> Open(std::string_view access_key_id, std::string_view sealed) const;

 private:
  explicit SecretBox(const sse::Key256& key) : key_(key) {}
  sse::Key256 key_;
};

}  // namespace sb::policy::iam::internal
