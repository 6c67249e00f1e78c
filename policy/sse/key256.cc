#include "policy/sse/key256.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>

namespace sb::sse {

Key256::~Key256() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

absl::StatusOr<Key256> Key256::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) {
    return absl::InvalidArgumentError("a 256-bit key must be exactly 32 bytes");
  }
  Key256 key;
  std::memcpy(key.bytes_.data(), bytes.data(), kSize);
  return key;
}

absl::StatusOr<Key256> Key256::Random() {
  Key256 key;
  absl::Status status = RandomBytes(key.bytes_.data(), kSize);
  if (!status.ok()) return status;
  return key;
}

bool Key256::Equals(const Key256& other) const {
  return CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), kSize) == 0;
}

absl::Status RandomBytes(uint8_t* out, size_t n) {
  // RAND_bytes takes an int length; SSE never asks for more than a few dozen bytes.
  if (n > 1024 || RAND_bytes(out, static_cast<int>(n)) != 1) {
    return absl::InternalError("CSPRNG failure (RAND_bytes)");
  }
  return absl::OkStatus();
}

absl::StatusOr<BaseNonce> RandomBaseNonce() {
  BaseNonce nonce{};
  absl::Status status = RandomBytes(nonce.data(), nonce.size());
  if (!status.ok()) return status;
  return nonce;
}

}  // namespace sb::sse
