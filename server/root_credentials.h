// Root credentials: from the environment, or generated once on first start and kept in
// the metadata directory (mode 0600). There is never a built-in default password.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "policy/identity.h"

namespace sb::server {

struct RootCredentials {
  policy::Credential credential;
  bool generated_now = false;  // true only on the start that created them
  std::string stored_at;       // file path when not from the environment
};

// Uses `access_key`/`secret_key` when non-empty; otherwise loads `dir`/root-credentials
// or creates it with fresh random keys (from the kernel CSPRNG via OpenSSL).
absl::StatusOr<RootCredentials> LoadOrCreateRootCredentials(const std::string& dir,
                                                            const std::string& access_key,
                                                            const std::string& secret_key);

}  // namespace sb::server
