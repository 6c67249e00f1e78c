#include "policy/sse/sse_c.h"

#include <openssl/crypto.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/sse/internal/aes_gcm.h"

namespace sb::sse {
namespace {

constexpr std::string_view kCheckLabel = "strongbox/sse-c/check/v1";
constexpr std::string_view kWrapLabel = "strongbox/sse-c/wrap/v1";
constexpr std::string_view kEtagLabel = "strongbox/sse-c/etag/v1";
constexpr uint8_t kSealedFormat = 1;

absl::Status BadHeaders(std::string_view why) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, why);
}

absl::Status WrongKey() {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                   "the SSE-C key does not match the key the object was stored with");
}

absl::Status Corrupted(std::string_view what) {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted, what);
}

absl::StatusOr<std::string> CheckMac(const Key256& key, std::string_view salt) {
  std::string message(kCheckLabel);
  message.append(salt.data(), salt.size());
  return internal::HmacSha256(key.view(), message);
}

std::string WrapAad(const EncryptionContext& context) {
  std::string aad(kWrapLabel);
  aad.push_back(static_cast<char>(kSealedFormat));
  aad += CanonicalEncryptionContext(context);
  return aad;
}

}  // namespace

absl::StatusOr<std::string> SseCKey::Etag(std::string_view plaintext_md5) const {
  std::string message(kEtagLabel);
  message.append(plaintext_md5.data(), plaintext_md5.size());
  SB_ASSIGN_OR_RETURN(std::string mac, internal::HmacSha256(key_.view(), message));
  mac.resize(16);
  return mac;
}

absl::StatusOr<SseCKey> SseCKey::FromHeaders(std::string_view algorithm, std::string_view key_b64,
                                             std::string_view key_md5_b64) {
  // S3 accepts only AES256 for SSE-C (AWS S3 docs, "ServerSideEncryptionCustomerKeys").
  if (algorithm != "AES256") {
    return BadHeaders("SSE-C algorithm must be AES256");
  }
  std::string raw;
  if (!absl::Base64Unescape(AsAbsl(key_b64), &raw) || raw.size() != Key256::kSize) {
    internal::Cleanse(raw);
    return BadHeaders("SSE-C key must be base64 of a 256-bit key");
  }
  std::string claimed_md5;
  if (!absl::Base64Unescape(AsAbsl(key_md5_b64), &claimed_md5) || claimed_md5.size() != 16) {
    internal::Cleanse(raw);
    return BadHeaders("SSE-C key MD5 must be base64 of a 16-byte MD5 digest");
  }
  auto key = Key256::FromBytes(raw);
  internal::Cleanse(raw);
  if (!key.ok()) return BadHeaders("SSE-C key must be base64 of a 256-bit key");
  SB_ASSIGN_OR_RETURN(SseCKey out, FromKey(*key));
  std::string actual_md5;
  absl::Base64Unescape(AsAbsl(out.key_md5_b64_), &actual_md5);
  if (actual_md5 != claimed_md5) {
    return BadHeaders("the calculated MD5 hash of the SSE-C key did not match the hash provided");
  }
  return out;
}

absl::StatusOr<SseCKey> SseCKey::FromKey(const Key256& key) {
  SB_ASSIGN_OR_RETURN(std::string md5, internal::Md5(key.view()));
  return SseCKey(key, absl::Base64Escape(md5));
}

absl::StatusOr<KeyCheck> SseCKey::NewKeyCheck() const {
  KeyCheck check;
  check.salt.resize(kKeyCheckSaltSize);
  SB_RETURN_IF_ERROR(RandomBytes(reinterpret_cast<uint8_t*>(check.salt.data()), check.salt.size()));
  SB_ASSIGN_OR_RETURN(check.mac, CheckMac(key_, check.salt));
  return check;
}

absl::Status SseCKey::Verify(const KeyCheck& check) const {
  if (check.salt.size() != kKeyCheckSaltSize || check.mac.size() != kKeyCheckMacSize) {
    return Corrupted("malformed SSE-C key check");
  }
  SB_ASSIGN_OR_RETURN(std::string mac, CheckMac(key_, check.salt));
  if (CRYPTO_memcmp(mac.data(), check.mac.data(), kKeyCheckMacSize) != 0) return WrongKey();
  return absl::OkStatus();
}

absl::StatusOr<Key256> SseCKey::WrappingKey(std::string_view salt) const {
  return internal::HkdfSha256(key_, salt, kWrapLabel);
}

absl::StatusOr<std::string> SseCKey::WrapDataKey(const Key256& data_key, std::string_view salt,
                                                 const EncryptionContext& context) const {
  SB_ASSIGN_OR_RETURN(Key256 kek, WrappingKey(salt));
  SB_ASSIGN_OR_RETURN(std::string wrapped, internal::WrapKey(kek, WrapAad(context), data_key));
  std::string sealed(1, static_cast<char>(kSealedFormat));
  sealed += wrapped;
  return sealed;
}

absl::StatusOr<Key256> SseCKey::UnwrapDataKey(std::string_view sealed, std::string_view salt,
                                              const EncryptionContext& context) const {
  if (sealed.size() != 1 + internal::kWrappedKeySize ||
      static_cast<uint8_t>(sealed[0]) != kSealedFormat) {
    return Corrupted("malformed SSE-C sealed data key");
  }
  SB_ASSIGN_OR_RETURN(Key256 kek, WrappingKey(salt));
  auto key = internal::UnwrapKey(kek, WrapAad(context), sealed.substr(1));
  if (!key.ok() && key.status().code() == absl::StatusCode::kDataLoss) return WrongKey();
  return key;
}

}  // namespace sb::sse
