#include "policy/sse/sse_metadata.h"

#include <algorithm>

#include "common/error_reason.h"
#include "policy/sse/internal/keyring_codec.h"
#include "policy/sse/internal/wire.h"
#include "policy/sse/sse_c.h"

namespace sb::sse {
namespace {

// Sealed data keys are 61 (SSE-C) to 321 (KMS, longest id) bytes; leave room to grow.
constexpr uint16_t kMaxSealedKeySize = 1024;

bool ValidMode(uint8_t mode) {
  return mode == static_cast<uint8_t>(SseMode::kS3) ||
         mode == static_cast<uint8_t>(SseMode::kKms) ||
         mode == static_cast<uint8_t>(SseMode::kCustomer);
}

}  // namespace

std::string SseMetadata::Serialize() const {
  std::string out;
  internal::WireWriter w(&out);
  w.U8(kVersion);
  w.U8(static_cast<uint8_t>(mode));
  w.U32(package_size);
  w.U64(plaintext_size);
  w.Bytes(std::string_view(reinterpret_cast<const char*>(base_nonce.data()), base_nonce.size()));
  w.U8(static_cast<uint8_t>(key_id.size()));
  w.Bytes(key_id);
  w.U16(static_cast<uint16_t>(sealed_data_key.size()));
  w.Bytes(sealed_data_key);
  if (mode == SseMode::kCustomer) {
    w.Bytes(customer_salt);
    w.Bytes(customer_check);
  }
  return out;
}

absl::StatusOr<SseMetadata> SseMetadata::Parse(std::string_view bytes) {
  internal::WireReader r(bytes);
  SseMetadata m;
  uint8_t version = 0, mode = 0, key_id_len = 0;
  uint16_t sealed_len = 0;
  std::string_view nonce, key_id, sealed;
  bool ok = r.U8(&version) && version == kVersion && r.U8(&mode) && ValidMode(mode) &&
            r.U32(&m.package_size) && IsValidPackageSize(m.package_size) &&
            r.U64(&m.plaintext_size) && r.Bytes(kNonceSize, &nonce) && r.U8(&key_id_len) &&
            r.Bytes(key_id_len, &key_id) && r.U16(&sealed_len) && sealed_len > 0 &&
            sealed_len <= kMaxSealedKeySize && r.Bytes(sealed_len, &sealed);
  if (ok) {
    m.mode = static_cast<SseMode>(mode);
    // Only SSE-C records carry a key check, and only they have no master key id.
    if (m.mode == SseMode::kCustomer) {
      std::string_view salt, check;
      ok = key_id.empty() && r.Bytes(kKeyCheckSaltSize, &salt) && r.Bytes(kKeyCheckMacSize, &check);
      m.customer_salt = std::string(salt);
      m.customer_check = std::string(check);
    } else {
      ok = internal::IsValidKeyId(key_id);
    }
  }
  if (!ok || !r.done()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     "malformed SSE metadata record");
  }
  std::copy(nonce.begin(), nonce.end(), m.base_nonce.begin());
  m.key_id = std::string(key_id);
  m.sealed_data_key = std::string(sealed);
  return m;
}

}  // namespace sb::sse
