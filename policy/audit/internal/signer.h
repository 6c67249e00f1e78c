// Ed25519 keys for signing audit checkpoints (OpenSSL EVP_PKEY_ED25519). The private key is
// PEM (PKCS#8) on disk, created 0600 on first start and never overwritten.
// Thread-safety: const methods are safe to call concurrently (OpenSSL keys are immutable).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace sb::audit::internal {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Public half: verifies checkpoint signatures. Used offline by Verify.
class Ed25519Verifier {
 public:
  // InvalidArgument if `pem` is not an Ed25519 SubjectPublicKeyInfo PEM.
  static absl::StatusOr<Ed25519Verifier> FromPem(std::string_view pem);

  // True iff `signature_hex` is a valid signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature_hex) const;
  // Hex of the first 16 bytes of SHA-256 over the raw 32-byte public key.
  const std::string& key_id() const { return key_id_; }

 private:
  PkeyPtr key_;
  std::string key_id_;
};

class Ed25519Signer {
 public:
  // InvalidArgument if `pem` is not an Ed25519 private key PEM.
  static absl::StatusOr<Ed25519Signer> FromPrivatePem(std::string_view pem);
  // Loads the key at `path`, or generates one and writes it there (mode 0600, O_EXCL so an
  // existing key is never overwritten). Internal on I/O or OpenSSL failure.
  static absl::StatusOr<Ed25519Signer> LoadOrCreate(const std::string& path);

  // Hex Ed25519 signature of `message`; Internal if OpenSSL fails.
  absl::StatusOr<std::string> Sign(std::string_view message) const;
  const std::string& public_key_pem() const { return public_pem_; }
  const std::string& key_id() const { return key_id_; }

 private:
  PkeyPtr key_;
  std::string public_pem_;
  std::string key_id_;
};

}  // namespace sb::audit::internal
