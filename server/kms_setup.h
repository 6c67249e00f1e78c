// Startup of the built-in KMS: finds the KMS root key (--kms-key-file, $STRONGBOX_KMS_KEY, or
// for a quick start a key generated once beside the metadata) and opens the keyring in
// <meta>/kms/keyring, which makes sure the SSE-S3 master key exists. Called once by Run.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "policy/sse/keyring.h"

namespace sb::server {

// The quick-start root key file, relative to the metadata directory.
inline constexpr char kGeneratedRootKeyFile[] = "kms-root.key";

// The KMS root key. `key_file` (may be empty) names the root key file; without it the key
// comes from $STRONGBOX_KMS_KEY, else from <meta_dir>/kms-root.key, created on first start
// (a WARN is logged on every start that uses it: the key then sits beside the data it
// protects). Errors: sse::LoadRootKey's for a bad or insecure key file, and
// sse::GenerateRootKeyFile's.
absl::StatusOr<sse::Key256> LoadKmsRootKey(const std::string& meta_dir,
                                           const std::string& key_file);

// Opens (or starts) the keyring in <meta_dir>/kms/keyring under `root_key`.
// PermissionDenied(kAccessDenied) if the key does not open the existing keyring; DataLoss if
// the keyring file is damaged; Internal on I/O errors.
absl::StatusOr<std::unique_ptr<sse::Keyring>> OpenKeyring(const std::string& meta_dir,
                                                          const sse::Key256& root_key);

}  // namespace sb::server
