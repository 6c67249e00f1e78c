#include "server/kms_setup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "policy/sse/keyring_store.h"
#include "policy/sse/root_key.h"

namespace sb::server {
absl::StatusOr<sse::Key256> LoadKmsRootKey(const std::string& meta_dir,
                                           const std::string& key_file) {
  if (!key_file.empty()) return sse::LoadRootKey(key_file);
  const char* env = std::getenv(sse::kRootKeyEnvVar);
  if (env != nullptr && *env != '\0') return sse::LoadRootKey("");
  const std::string path = absl::StrCat(meta_dir, "/", kGeneratedRootKeyFile);
  Log(LogLevel::kWarn,
      "KMS root key is stored beside the data it protects (quick start only): anyone who "
      "copies the data directory can decrypt every SSE-S3/SSE-KMS object. Move the key "
      "elsewhere and pass --kms-key-file or STRONGBOX_KMS_KEY",
      {{"kms_root_key", path}});
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return sse::LoadRootKey(path);
  SB_ASSIGN_OR_RETURN(sse::Key256 key, sse::GenerateRootKeyFile(path));
  Log(LogLevel::kInfo, "generated a new KMS root key", {{"kms_root_key", path}});
  return key;
}

absl::StatusOr<std::unique_ptr<sse::Keyring>> OpenKeyring(const std::string& meta_dir,
                                                          const sse::Key256& root) {
  const std::string dir = absl::StrCat(meta_dir, "/kms");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir));
  }
  auto keyring =
      sse::Keyring::Open(root, std::make_unique<sse::FileKeyringStore>(dir + "/keyring"));
  if (GetReason(keyring.status()) == ErrorReason::kAccessDenied) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     absl::StrCat("the KMS root key does not open the keyring in ", dir,
                                  " (was it created with another root key?)"));
  }
  return keyring;
}

}  // namespace sb::server
