#include "policy/sse/keyring.h"

#include <utility>

#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::sse {
namespace {

absl::Status UnknownKey(std::string_view key_id) {
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kInvalidArgument,
                   "KMS key does not exist: " + std::string(key_id));
}

absl::Status Disabled(std::string_view key_id) {
  return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kKmsKeyDisabled,
                   "KMS key is disabled: " + std::string(key_id));
}

KeyInfo InfoOf(const std::string& id, const internal::MasterKeyRecord& record) {
  return KeyInfo{id, record.state, static_cast<uint32_t>(record.versions.size())};
}

}  // namespace

absl::StatusOr<SealedKeyHeader> InspectSealedDataKey(std::string_view sealed) {
  return internal::ParseSealedKeyHeader(sealed);
}

Keyring::Keyring(const Key256& root_key, std::unique_ptr<KeyringStore> store,
                 internal::MasterKeyMap keys)
    : root_key_(root_key), store_(std::move(store)), keys_(std::move(keys)) {}

absl::StatusOr<std::unique_ptr<Keyring>> Keyring::Open(const Key256& root_key,
                                                       std::unique_ptr<KeyringStore> store) {
  internal::MasterKeyMap keys;
  absl::StatusOr<std::string> blob = store->Load();
  if (blob.ok()) {
    SB_ASSIGN_OR_RETURN(keys, internal::OpenKeyring(root_key, *blob));
  } else if (blob.status().code() != absl::StatusCode::kNotFound) {
    return blob.status();
  }
  std::unique_ptr<Keyring> keyring(new Keyring(root_key, std::move(store), std::move(keys)));
  {
    absl::MutexLock lock(&keyring->mu_);
    if (!keyring->keys_.contains(kSseS3KeyId)) {
      SB_ASSIGN_OR_RETURN(Key256 first, Key256::Random());
      keyring->keys_[kSseS3KeyId] = internal::MasterKeyRecord{KeyState::kEnabled, {first}};
      SB_RETURN_IF_ERROR(keyring->SaveLocked());
    }
  }
  return keyring;
}

absl::Status Keyring::SaveLocked() {
  SB_ASSIGN_OR_RETURN(std::string blob, internal::SealKeyring(root_key_, keys_));
  return store_->Save(blob);
}

absl::StatusOr<const internal::MasterKeyRecord*> Keyring::FindLocked(
    std::string_view key_id) const {
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return UnknownKey(key_id);
  return &it->second;
}

absl::Status Keyring::CreateKey(std::string_view key_id) {
  if (!internal::IsValidKeyId(key_id)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "invalid KMS key id (1..250 characters of A-Z a-z 0-9 . _ / : -)");
  }
  SB_ASSIGN_OR_RETURN(Key256 first, Key256::Random());
  absl::MutexLock lock(&mu_);
  if (keys_.contains(key_id)) {
    return absl::AlreadyExistsError("KMS key already exists: " + std::string(key_id));
  }
  auto it =
      keys_.emplace(std::string(key_id), internal::MasterKeyRecord{KeyState::kEnabled, {first}})
          .first;
  absl::Status status = SaveLocked();
  if (!status.ok()) keys_.erase(it);
  return status;
}

absl::StatusOr<uint32_t> Keyring::RotateKey(std::string_view key_id) {
  SB_ASSIGN_OR_RETURN(Key256 next, Key256::Random());
  absl::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return UnknownKey(key_id);
  if (it->second.state != KeyState::kEnabled) return Disabled(key_id);
  it->second.versions.push_back(next);
  absl::Status status = SaveLocked();
  if (!status.ok()) {
    it->second.versions.pop_back();
    return status;
  }
  return static_cast<uint32_t>(it->second.versions.size());
}

absl::Status Keyring::SetKeyState(std::string_view key_id, KeyState state) {
  if (state != KeyState::kEnabled && state != KeyState::kDisabled) {
    return absl::InvalidArgumentError("invalid KMS key state");
  }
  absl::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return UnknownKey(key_id);
  const KeyState old_state = it->second.state;
  if (old_state == state) return absl::OkStatus();
  it->second.state = state;
  absl::Status status = SaveLocked();
  if (!status.ok()) it->second.state = old_state;
  return status;
}

absl::StatusOr<KeyInfo> Keyring::DescribeKey(std::string_view key_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return UnknownKey(key_id);
  return InfoOf(it->first, it->second);
}

std::vector<KeyInfo> Keyring::ListKeys() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<KeyInfo> out;
  out.reserve(keys_.size());
  for (const auto& [id, record] : keys_) out.push_back(InfoOf(id, record));
  return out;
}

absl::StatusOr<DataKey> Keyring::GenerateDataKey(std::string_view key_id,
                                                 const EncryptionContext& context) const {
  absl::StatusOr<DataKey> result = [&]() -> absl::StatusOr<DataKey> {
    DataKey out;
    SB_ASSIGN_OR_RETURN(out.plaintext, Key256::Random());
    absl::ReaderMutexLock lock(&mu_);
    SB_ASSIGN_OR_RETURN(const internal::MasterKeyRecord* record, FindLocked(key_id));
    if (record->state != KeyState::kEnabled) return Disabled(key_id);
    out.key_id = std::string(key_id);
    out.key_version = static_cast<uint32_t>(record->versions.size());
    SB_ASSIGN_OR_RETURN(out.sealed, internal::SealDataKey(record->versions.back(), key_id,
                                                          out.key_version, context, out.plaintext));
    return out;
  }();
  Count(KmsStats::kGenerate, result.ok());
  return result;
}

absl::StatusOr<Key256> Keyring::UnwrapLocked(std::string_view sealed,
                                             const EncryptionContext& context,
                                             SealedKeyHeader* header) const {
  SB_ASSIGN_OR_RETURN(*header, internal::ParseSealedKeyHeader(sealed));
  SB_ASSIGN_OR_RETURN(const internal::MasterKeyRecord* record, FindLocked(header->key_id));
  if (record->state != KeyState::kEnabled) return Disabled(header->key_id);
  if (header->key_version > record->versions.size()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kInvalidArgument,
                     "KMS key version does not exist: " + header->key_id + " v" +
                         std::to_string(header->key_version));
  }
  return internal::OpenDataKey(record->versions[header->key_version - 1], sealed, context);
}

absl::StatusOr<Key256> Keyring::UnwrapDataKey(std::string_view sealed,
                                              const EncryptionContext& context) const {
  absl::ReaderMutexLock lock(&mu_);
  SealedKeyHeader header;
  absl::StatusOr<Key256> key = UnwrapLocked(sealed, context, &header);
  Count(KmsStats::kUnwrap, key.ok());
  return key;
}

absl::StatusOr<std::string> Keyring::Rewrap(std::string_view sealed,
                                            const EncryptionContext& context) const {
  absl::ReaderMutexLock lock(&mu_);
  SealedKeyHeader header;
  absl::StatusOr<Key256> data_key = UnwrapLocked(sealed, context, &header);
  if (!data_key.ok()) {
    Count(KmsStats::kRewrap, false);
    return data_key.status();
  }
  const internal::MasterKeyRecord& record = keys_.find(header.key_id)->second;
  const auto latest = static_cast<uint32_t>(record.versions.size());
  absl::StatusOr<std::string> sealed_again =
      internal::SealDataKey(record.versions.back(), header.key_id, latest, context, *data_key);
  Count(KmsStats::kRewrap, sealed_again.ok());
  return sealed_again;
}

KmsStats Keyring::Stats() const {
  KmsStats s;
  for (int op = 0; op < KmsStats::kOpCount; ++op) {
    for (int r = 0; r < 2; ++r) s.count[op][r] = counts_[op][r].load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace sb::sse
