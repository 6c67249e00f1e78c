#include "policy/sse/internal/aes_gcm.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <climits>

#include "common/error_reason.h"

namespace sb::sse::internal {
namespace {

absl::Status OpenSslError(std::string_view what) {
  return absl::InternalError(std::string("OpenSSL failure: ") + std::string(what));
}

absl::Status AuthFailure() {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                   "AES-GCM authentication failed");
}

bool FitsInt(size_t n) { return n <= static_cast<size_t>(INT_MAX); }

const unsigned char* U8(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* U8(char* p) { return reinterpret_cast<unsigned char*>(p); }

}  // namespace

void AesGcm::CtxDeleter::operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }

AesGcm::~AesGcm() = default;

absl::StatusOr<AesGcm> AesGcm::Create(const Key256& key, Direction direction) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return OpenSslError("EVP_CIPHER_CTX_new");
  AesGcm gcm(ctx, direction);
  const int enc = direction == Direction::kSeal ? 1 : 0;
  // The nonce is supplied per package; the default GCM IV length is the 12 bytes we use.
  if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr, enc) != 1) {
    return OpenSslError("EVP_CipherInit_ex(key)");
  }
  return gcm;
}

absl::Status AesGcm::Seal(const uint8_t* nonce, std::string_view aad, std::string_view plaintext,
                          char* out) {
  if (direction_ != Direction::kSeal) return OpenSslError("Seal on an Open context");
  if (!FitsInt(plaintext.size()) || !FitsInt(aad.size())) return OpenSslError("input too large");
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int len = 0;
  // Passing only the IV keeps the key schedule and re-arms GCM for a new message.
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1) {
    return OpenSslError("EVP_EncryptInit_ex(iv)");
  }
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx, nullptr, &len, U8(aad.data()), static_cast<int>(aad.size())) != 1) {
    return OpenSslError("EVP_EncryptUpdate(aad)");
  }
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx, U8(out), &len, U8(plaintext.data()),
                          static_cast<int>(plaintext.size())) != 1) {
      return OpenSslError("EVP_EncryptUpdate");
    }
    written = len;
  }
  if (EVP_EncryptFinal_ex(ctx, U8(out) + written, &len) != 1) {
    return OpenSslError("EVP_EncryptFinal_ex");
  }
  written += len;
  if (static_cast<size_t>(written) != plaintext.size()) return OpenSslError("short GCM output");
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, out + plaintext.size()) != 1) {
    return OpenSslError("EVP_CTRL_GCM_GET_TAG");
  }
  return absl::OkStatus();
}

absl::Status AesGcm::Open(const uint8_t* nonce, std::string_view aad, std::string_view sealed,
                          char* out) {
  if (direction_ != Direction::kOpen) return OpenSslError("Open on a Seal context");
  if (sealed.size() < kTagSize) return AuthFailure();
  if (!FitsInt(sealed.size()) || !FitsInt(aad.size())) return OpenSslError("input too large");
  const size_t ct_size = sealed.size() - kTagSize;
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int len = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1) {
    return OpenSslError("EVP_DecryptInit_ex(iv)");
  }
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx, nullptr, &len, U8(aad.data()), static_cast<int>(aad.size())) != 1) {
    return OpenSslError("EVP_DecryptUpdate(aad)");
  }
  int written = 0;
  if (ct_size > 0) {
    if (EVP_DecryptUpdate(ctx, U8(out), &len, U8(sealed.data()), static_cast<int>(ct_size)) != 1) {
      return OpenSslError("EVP_DecryptUpdate");
    }
    written = len;
  }
  // The tag is copied by OpenSSL; the const_cast only satisfies the ctrl signature.
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize,
                          const_cast<char*>(sealed.data() + ct_size)) != 1) {
    return OpenSslError("EVP_CTRL_GCM_SET_TAG");
  }
  if (EVP_DecryptFinal_ex(ctx, U8(out) + written, &len) != 1) return AuthFailure();
  return absl::OkStatus();
}

absl::StatusOr<std::string> SealBlob(const Key256& key, std::string_view aad,
                                     std::string_view plaintext) {
  auto gcm = AesGcm::Create(key, AesGcm::Direction::kSeal);
  if (!gcm.ok()) return gcm.status();
  std::string out(kNonceSize + plaintext.size() + kTagSize, '\0');
  auto* nonce = reinterpret_cast<uint8_t*>(out.data());
  absl::Status status = RandomBytes(nonce, kNonceSize);
  if (!status.ok()) return status;
  status = gcm->Seal(nonce, aad, plaintext, out.data() + kNonceSize);
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> OpenBlob(const Key256& key, std::string_view aad,
                                     std::string_view sealed) {
  if (sealed.size() < kNonceSize + kTagSize) return AuthFailure();
  auto gcm = AesGcm::Create(key, AesGcm::Direction::kOpen);
  if (!gcm.ok()) return gcm.status();
  std::string out(sealed.size() - kNonceSize - kTagSize, '\0');
  absl::Status status = gcm->Open(reinterpret_cast<const uint8_t*>(sealed.data()), aad,
                                  sealed.substr(kNonceSize), out.data());
  if (!status.ok()) {
    Cleanse(out);
    return status;
  }
  return out;
}

absl::StatusOr<std::string> WrapKey(const Key256& kek, std::string_view aad, const Key256& key) {
  return SealBlob(kek, aad, key.view());
}

absl::StatusOr<Key256> UnwrapKey(const Key256& kek, std::string_view aad,
                                 std::string_view wrapped) {
  if (wrapped.size() != kWrappedKeySize) return AuthFailure();
  auto gcm = AesGcm::Create(kek, AesGcm::Direction::kOpen);
  if (!gcm.ok()) return gcm.status();
  char plain[Key256::kSize];
  absl::Status status = gcm->Open(reinterpret_cast<const uint8_t*>(wrapped.data()), aad,
                                  wrapped.substr(kNonceSize), plain);
  absl::StatusOr<Key256> key = status.ok()
                                   ? Key256::FromBytes(std::string_view(plain, sizeof(plain)))
                                   : absl::StatusOr<Key256>(status);
  OPENSSL_cleanse(plain, sizeof(plain));
  return key;
}

absl::StatusOr<Key256> HkdfSha256(const Key256& ikm, std::string_view salt, std::string_view info) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return OpenSslError("EVP_KDF_fetch(HKDF)");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return OpenSslError("EVP_KDF_CTX_new");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.data()),
                                        Key256::kSize),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end(),
  };
  uint8_t out[Key256::kSize];
  const int rc = EVP_KDF_derive(ctx, out, sizeof(out), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) return OpenSslError("EVP_KDF_derive(HKDF)");
  auto key = Key256::FromBytes(std::string_view(reinterpret_cast<char*>(out), sizeof(out)));
  OPENSSL_cleanse(out, sizeof(out));
  return key;
}

absl::StatusOr<std::string> HmacSha256(std::string_view key, std::string_view message) {
  if (!FitsInt(key.size())) return OpenSslError("HMAC key too large");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), U8(message.data()),
           message.size(), out, &len) == nullptr) {
    return OpenSslError("HMAC");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

absl::StatusOr<std::string> Md5(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_md5(), nullptr) != 1) {
    return OpenSslError("EVP_Digest(MD5)");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

void Cleanse(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace sb::sse::internal
