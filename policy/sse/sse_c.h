// SSE-C: a customer-provided AES-256 key sent with every request. The server never stores
// the key; it stores a KeyCheck (random salt + HMAC-SHA256 of the key) to tell a wrong key
// from the right one, and wraps each object's random data key under a key derived (HKDF)
// from the customer key and that salt. Thread-safety: SseCKey is an immutable value.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/sse/encryption_context.h"
#include "policy/sse/key256.h"

namespace sb::sse {

inline constexpr size_t kKeyCheckSaltSize = 16;
inline constexpr size_t kKeyCheckMacSize = 32;

// What the object record keeps about an SSE-C key.
struct KeyCheck {
  std::string salt;  // kKeyCheckSaltSize random bytes
  std::string mac;   // HMAC-SHA256(customer key, label || salt)
};

class SseCKey {
 public:
  // Validates the three values a client sends (algorithm, base64 key, base64 MD5 of the
  // key). InvalidArgument(kInvalidArgument) unless the algorithm is "AES256", the key is
  // base64 of 32 bytes and the MD5 matches. Messages never echo the key.
  static absl::StatusOr<SseCKey> FromHeaders(std::string_view algorithm, std::string_view key_b64,
                                             std::string_view key_md5_b64);
  // For callers that already hold the raw key (tests, copy paths).
  static absl::StatusOr<SseCKey> FromKey(const Key256& key);

  const Key256& key() const { return key_; }
  // Base64 MD5 of the key, which S3 echoes back in responses.
  const std::string& key_md5_b64() const { return key_md5_b64_; }

  // The ETag of an SSE-C object or part with this plaintext MD5: 16 bytes of an HMAC under
  // the customer key, so the same data under the same key gets the same ETag (a re-sent
  // part matches its listed one) while the ETag reveals nothing of the data to anyone
  // without the key (S3: an SSE-C ETag is not the MD5 of the data).
  absl::StatusOr<std::string> Etag(std::string_view plaintext_md5) const;

  // A fresh check with a random salt. Internal if the CSPRNG or OpenSSL fails.
  absl::StatusOr<KeyCheck> NewKeyCheck() const;
  // OK if this key made `check`; PermissionDenied(kAccessDenied) if not;
  // DataLoss(kDataCorrupted) if `check` is malformed.
  absl::Status Verify(const KeyCheck& check) const;

  // Seals `data_key` under HKDF(customer key, salt) with `context` as AAD. `salt` is the
  // KeyCheck salt of the same object.
  absl::StatusOr<std::string> WrapDataKey(const Key256& data_key, std::string_view salt,
                                          const EncryptionContext& context) const;
  // Inverse of WrapDataKey. PermissionDenied(kAccessDenied) if it does not open (wrong key
  // or context); DataLoss(kDataCorrupted) if `sealed` is malformed.
  absl::StatusOr<Key256> UnwrapDataKey(std::string_view sealed, std::string_view salt,
                                       const EncryptionContext& context) const;

 private:
  SseCKey(const Key256& key, std::string md5_b64) : key_(key), key_md5_b64_(std::move(md5_b64)) {}
  absl::StatusOr<Key256> WrappingKey(std::string_view salt) const;

  Key256 key_;
  std::string key_md5_b64_;
};

}  // namespace sb::sse
