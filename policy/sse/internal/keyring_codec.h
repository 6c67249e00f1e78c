// Byte formats of the built-in KMS: the keyring file (sealed under the root key) and sealed
// data keys (wrapped under a master key version). docs/on-disk-format.md, "Encryption".
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/sse/encryption_context.h"
#include "policy/sse/key256.h"
#include "policy/sse/kms_types.h"

namespace sb::sse::internal {

struct MasterKeyRecord {
  KeyState state = KeyState::kEnabled;
  std::vector<Key256> versions;  // versions[i] is version i + 1
};
using MasterKeyMap = std::map<std::string, MasterKeyRecord, std::less<>>;

// True for 1..250 characters of [A-Za-z0-9._/:-] (so ARN-shaped ids fit).
bool IsValidKeyId(std::string_view key_id);

// The keyring file: encodes and seals `keys` under `root_key`.
absl::StatusOr<std::string> SealKeyring(const Key256& root_key, const MasterKeyMap& keys);
// PermissionDenied(kAccessDenied) if the file does not open under `root_key` (wrong root
// key, or a tampered file); DataLoss(kDataCorrupted) if it is not a keyring file at all or
// its decrypted content is malformed.
absl::StatusOr<MasterKeyMap> OpenKeyring(const Key256& root_key, std::string_view file);

// A sealed data key: header (format, key id, version) then WrapKey output, with header and
// canonical `context` as AAD.
absl::StatusOr<std::string> SealDataKey(const Key256& master, std::string_view key_id,
                                        uint32_t key_version, const EncryptionContext& context,
                                        const Key256& data_key);
// DataLoss(kDataCorrupted) if `sealed` is malformed.
absl::StatusOr<SealedKeyHeader> ParseSealedKeyHeader(std::string_view sealed);
// PermissionDenied(kAccessDenied) if it does not open (wrong context or tampered);
// DataLoss(kDataCorrupted) if malformed.
absl::StatusOr<Key256> OpenDataKey(const Key256& master, std::string_view sealed,
                                   const EncryptionContext& context);

}  // namespace sb::sse::internal
