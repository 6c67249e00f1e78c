// Key256: a 256-bit secret (KMS root key, master key version, data key, SSE-C customer key)
// that wipes its bytes on destruction, plus the CSPRNG helpers SSE uses for keys and nonces.
// Thread-safety: a Key256 is a value; const access from many threads is safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::sse {

// The 96-bit nonce an object's (part's) package nonces are derived from.
inline constexpr size_t kNonceSize = 12;
using BaseNonce = std::array<uint8_t, kNonceSize>;

class Key256 {
 public:
  static constexpr size_t kSize = 32;

  Key256() = default;  // all zero; only useful as a placeholder to assign into
  Key256(const Key256&) = default;
  Key256& operator=(const Key256&) = default;
  ~Key256();

  // InvalidArgument if `bytes` is not exactly 32 bytes.
  static absl::StatusOr<Key256> FromBytes(std::string_view bytes);
  // A fresh key from the OpenSSL CSPRNG; Internal if the generator fails.
  static absl::StatusOr<Key256> Random();

  const uint8_t* data() const { return bytes_.data(); }
  std::string_view view() const {
    return std::string_view(reinterpret_cast<const char*>(bytes_.data()), kSize);
  }
  // Constant-time comparison.
  bool Equals(const Key256& other) const;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// Fills `out` from the OpenSSL CSPRNG; Internal if the generator fails.
absl::Status RandomBytes(uint8_t* out, size_t n);

// A fresh random base nonce; Internal if the generator fails.
absl::StatusOr<BaseNonce> RandomBaseNonce();

}  // namespace sb::sse
