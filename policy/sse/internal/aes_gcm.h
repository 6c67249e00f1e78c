// AES-256-GCM over OpenSSL EVP, plus the small primitives SSE builds on (HKDF, HMAC, MD5,
// one-shot key wrapping). AesGcm keeps one EVP_CIPHER_CTX whose key schedule is set once;
// each Seal/Open only re-arms the nonce, so streams allocate nothing per package.
// Thread-safety: an AesGcm is used by one thread at a time; the free functions are safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/sse/key256.h"

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace sb::sse::internal {

inline constexpr size_t kTagSize = 16;

class AesGcm {
 public:
  enum class Direction { kSeal, kOpen };

  // Sets up the key schedule once. Internal if OpenSSL fails.
  static absl::StatusOr<AesGcm> Create(const Key256& key, Direction direction);

  AesGcm(AesGcm&&) noexcept = default;
  AesGcm& operator=(AesGcm&&) noexcept = default;
  ~AesGcm();

  // Encrypts `plaintext` with `aad` under `nonce` (12 bytes) and writes ciphertext||tag to
  // `out`, which must hold plaintext.size() + kTagSize bytes. Internal on OpenSSL failure.
  absl::Status Seal(const uint8_t* nonce, std::string_view aad, std::string_view plaintext,
                    char* out);
  // Verifies and decrypts `sealed` (ciphertext||tag) into `out` (sealed.size() - kTagSize
  // bytes). DataLoss(kDataCorrupted) if the tag does not verify; `out` then holds garbage
  // that the caller must not use.
  absl::Status Open(const uint8_t* nonce, std::string_view aad, std::string_view sealed, char* out);

 private:
  struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const;
  };
  AesGcm(EVP_CIPHER_CTX* ctx, Direction direction) : ctx_(ctx), direction_(direction) {}

  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx_;
  Direction direction_;
};

// Wraps a 32-byte key: returns nonce(12) || ciphertext(32) || tag(16), the nonce random.
inline constexpr size_t kWrappedKeySize = 12 + Key256::kSize + kTagSize;
absl::StatusOr<std::string> WrapKey(const Key256& kek, std::string_view aad, const Key256& key);
// Inverse of WrapKey. DataLoss(kDataCorrupted) if `wrapped` has the wrong size or does not
// authenticate under `kek` and `aad`.
absl::StatusOr<Key256> UnwrapKey(const Key256& kek, std::string_view aad, std::string_view wrapped);

// Seals an arbitrary blob: nonce(12) || ciphertext || tag, the nonce random.
absl::StatusOr<std::string> SealBlob(const Key256& key, std::string_view aad,
                                     std::string_view plaintext);
// Inverse of SealBlob. DataLoss(kDataCorrupted) if it does not authenticate.
absl::StatusOr<std::string> OpenBlob(const Key256& key, std::string_view aad,
                                     std::string_view sealed);

// HKDF-SHA256 (RFC 5869) expanding `ikm` to a 32-byte key. Internal on OpenSSL failure.
absl::StatusOr<Key256> HkdfSha256(const Key256& ikm, std::string_view salt, std::string_view info);
// HMAC-SHA256 of `message` under `key` (32 raw bytes).
absl::StatusOr<std::string> HmacSha256(std::string_view key, std::string_view message);
// MD5 digest (16 raw bytes); S3 uses it to let clients prove which SSE-C key they sent.
absl::StatusOr<std::string> Md5(std::string_view data);

// Wipes a string that held secret bytes.
void Cleanse(std::string& s);

}  // namespace sb::sse::internal
