#include "policy/sse/root_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/absl_compat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "policy/sse/internal/aes_gcm.h"
#include "policy/sse/internal/file_util.h"

namespace sb::sse {

absl::StatusOr<Key256> ParseRootKey(std::string_view base64_text) {
  const std::string_view trimmed = AsStd(absl::StripAsciiWhitespace(AsAbsl(base64_text)));
  std::string raw;
  if (trimmed.empty() || !absl::Base64Unescape(AsAbsl(trimmed), &raw) ||
      raw.size() != Key256::kSize) {
    internal::Cleanse(raw);
    return absl::InvalidArgumentError("KMS root key must be base64 of exactly 32 bytes");
  }
  auto key = Key256::FromBytes(raw);
  internal::Cleanse(raw);
  return key;
}

absl::StatusOr<Key256> LoadRootKey(std::string_view key_file) {
  if (key_file.empty()) {
    const char* env = std::getenv(kRootKeyEnvVar);
    if (env == nullptr || *env == '\0') {
      return absl::NotFoundError("no KMS root key: pass --kms-key-file or set STRONGBOX_KMS_KEY");
    }
    return ParseRootKey(env);
  }
  const std::string path(key_file);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError("KMS root key file not found: " + path);
  }
  // Writable by others means someone else can swap the key: refuse. Merely readable is
  // common for mounted secrets (Kubernetes defaults to 0644), so it only warns.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError("KMS root key file " + path +
                                         " is writable by group or others; chmod 600 it");
  }
  if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    Log(LogLevel::kWarn, "KMS root key file is readable by group or others; chmod 600 it",
        {{"path", path}});
  }
  SB_ASSIGN_OR_RETURN(std::string text, internal::ReadSmallFile(path));
  auto key = ParseRootKey(text);
  internal::Cleanse(text);
  if (!key.ok()) {
    return absl::InvalidArgumentError("KMS root key file " + path +
                                      " must hold base64 of exactly 32 bytes");
  }
  return key;
}

absl::StatusOr<Key256> GenerateRootKeyFile(std::string_view path) {
  SB_ASSIGN_OR_RETURN(Key256 key, Key256::Random());
  std::string text = absl::Base64Escape(AsAbsl(key.view())) + "\n";
  absl::Status status = internal::CreateFileExclusive(std::string(path), text);
  internal::Cleanse(text);
  if (!status.ok()) return status;
  return key;
}

}  // namespace sb::sse
