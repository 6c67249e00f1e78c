// Hashing and HMAC primitives for SigV4 verification (SHA-256, HMAC-SHA256, hex, constant-time
// compare, signing-key derivation with a process-wide cache). Internal to gateway/. All free
// functions are thread-safe; a Sha256Hasher instance is not.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sb::gateway::internal {

using Sha256Digest = std::array<uint8_t, 32>;

// SHA-256 of the empty string, lowercase hex (the hash of an empty payload).
inline constexpr std::string_view kEmptySha256Hex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Incremental SHA-256. Reusable after Finish() (it resets itself). Not thread-safe.
class Sha256Hasher {
 public:
  Sha256Hasher();
  void Update(std::string_view data);
  void Update(const void* data, size_t size);
  // Returns the digest of everything since construction or the previous Finish().
  Sha256Digest Finish();

 private:
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx_;
};

Sha256Digest Sha256(std::string_view data);

// HMAC-SHA256(key, data) per RFC 2104.
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex of `size` bytes.
std::string HexLower(const uint8_t* data, size_t size);
inline std::string HexLower(const Sha256Digest& d) { return HexLower(d.data(), d.size()); }

// True if `s` is exactly 64 hex digits (either case).
bool IsSha256Hex(std::string_view s);

// Compares without data-dependent timing (only the length comparison may leak).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// Same as DeriveSigningKey but memoized per (secret, date, region, service) in a bounded,
// mutex-protected process-wide cache: most requests of a day reuse the same key.
std::string CachedSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// Lowercase hex HMAC-SHA256 of `string_to_sign` with `signing_key`: a SigV4 signature.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

}  // namespace sb::gateway::internal
