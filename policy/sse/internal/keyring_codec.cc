#include "policy/sse/internal/keyring_codec.h"

#include <string>

#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/sse/internal/aes_gcm.h"
#include "policy/sse/internal/wire.h"

namespace sb::sse::internal {
namespace {

constexpr std::string_view kKeyringMagic = "SBKR";
constexpr uint8_t kKeyringVersion = 1;
constexpr uint8_t kSealedKeyFormat = 1;
constexpr std::string_view kDataKeyAadLabel = "strongbox/kms/datakey/v1";
// Far above any real keyring; bounds what a corrupted count can make us allocate.
constexpr uint32_t kMaxKeys = 1 << 16;
constexpr uint32_t kMaxVersions = 1 << 16;

absl::Status Corrupted(std::string_view what) {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted, what);
}

std::string KeyringAad() {
  std::string aad(kKeyringMagic);
  aad.push_back(static_cast<char>(kKeyringVersion));
  return aad;
}

// The clear header of a sealed data key, also bound as AAD.
std::string SealedHeader(std::string_view key_id, uint32_t key_version) {
  std::string out;
  WireWriter w(&out);
  w.U8(kSealedKeyFormat);
  w.U8(static_cast<uint8_t>(key_id.size()));
  w.Bytes(key_id);
  w.U32(key_version);
  return out;
}

std::string DataKeyAad(std::string_view header, const EncryptionContext& context) {
  std::string aad(kDataKeyAadLabel);
  aad.append(header.data(), header.size());
  aad += CanonicalEncryptionContext(context);
  return aad;
}

}  // namespace

bool IsValidKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > 250) return false;
  for (char c : key_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '/' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<std::string> SealKeyring(const Key256& root_key, const MasterKeyMap& keys) {
  std::string payload;
  WireWriter w(&payload);
  w.U32(static_cast<uint32_t>(keys.size()));
  for (const auto& [id, record] : keys) {
    w.U8(static_cast<uint8_t>(id.size()));
    w.Bytes(id);
    w.U8(static_cast<uint8_t>(record.state));
    w.U32(static_cast<uint32_t>(record.versions.size()));
    for (const Key256& version : record.versions) w.Bytes(version.view());
  }
  auto sealed = SealBlob(root_key, KeyringAad(), payload);
  Cleanse(payload);
  if (!sealed.ok()) return sealed.status();
  std::string file = KeyringAad();
  file += *sealed;
  return file;
}

absl::StatusOr<MasterKeyMap> OpenKeyring(const Key256& root_key, std::string_view file) {
  const std::string aad = KeyringAad();
  if (file.substr(0, aad.size()) != aad) return Corrupted("not a strongbox keyring file");
  auto payload = OpenBlob(root_key, aad, file.substr(aad.size()));
  if (!payload.ok()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "keyring does not open with this KMS root key (wrong key or tampered file)");
  }
  MasterKeyMap keys;
  WireReader r(*payload);
  uint32_t count = 0;
  bool ok = r.U32(&count) && count <= kMaxKeys;
  for (uint32_t i = 0; ok && i < count; ++i) {
    uint8_t id_len = 0, state = 0;
    uint32_t versions = 0;
    std::string_view id;
    ok = r.U8(&id_len) && r.Bytes(id_len, &id) && IsValidKeyId(id) && r.U8(&state) &&
         (state == static_cast<uint8_t>(KeyState::kEnabled) ||
          state == static_cast<uint8_t>(KeyState::kDisabled)) &&
         r.U32(&versions) && versions >= 1 && versions <= kMaxVersions &&
         r.remaining() >= uint64_t{versions} * Key256::kSize && !keys.contains(id);
    if (!ok) break;
    MasterKeyRecord& record = keys[std::string(id)];
    record.state = static_cast<KeyState>(state);
    record.versions.reserve(versions);
    for (uint32_t v = 0; v < versions; ++v) {
      std::string_view bytes;
      r.Bytes(Key256::kSize, &bytes);
      record.versions.push_back(*Key256::FromBytes(bytes));
    }
  }
  ok = ok && r.done();
  Cleanse(*payload);
  if (!ok) return Corrupted("keyring content is malformed");
  return keys;
}

absl::StatusOr<std::string> SealDataKey(const Key256& master, std::string_view key_id,
                                        uint32_t key_version, const EncryptionContext& context,
                                        const Key256& data_key) {
  std::string sealed = SealedHeader(key_id, key_version);
  SB_ASSIGN_OR_RETURN(std::string wrapped, WrapKey(master, DataKeyAad(sealed, context), data_key));
  sealed += wrapped;
  return sealed;
}

absl::StatusOr<SealedKeyHeader> ParseSealedKeyHeader(std::string_view sealed) {
  WireReader r(sealed);
  uint8_t format = 0, id_len = 0;
  std::string_view id;
  SealedKeyHeader header;
  if (!r.U8(&format) || format != kSealedKeyFormat || !r.U8(&id_len) || !r.Bytes(id_len, &id) ||
      !IsValidKeyId(id) || !r.U32(&header.key_version) || header.key_version == 0 ||
      r.remaining() != kWrappedKeySize) {
    return Corrupted("malformed sealed data key");
  }
  header.key_id = std::string(id);
  return header;
}

absl::StatusOr<Key256> OpenDataKey(const Key256& master, std::string_view sealed,
                                   const EncryptionContext& context) {
  SB_ASSIGN_OR_RETURN(SealedKeyHeader header, ParseSealedKeyHeader(sealed));
  const size_t header_size = sealed.size() - kWrappedKeySize;
  auto key = UnwrapKey(master, DataKeyAad(sealed.substr(0, header_size), context),
                       sealed.substr(header_size));
  if (!key.ok() && key.status().code() == absl::StatusCode::kDataLoss) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "data key " + header.key_id +
                         " does not unwrap (wrong encryption context or tampered key)");
  }
  return key;
}

}  // namespace sb::sse::internal
