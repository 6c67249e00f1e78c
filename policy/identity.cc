#include "policy/identity.h"

#include <openssl/crypto.h>

#include "common/error_reason.h"

namespace sb::policy {

IdentityStore::IdentityStore(Credential root) : root_(std::move(root)) { root_.is_root = true; }

absl::StatusOr<Credential> IdentityStore::Lookup(std::string_view access_key) const {
  // Constant-time compare: the access key itself is not secret, but this keeps lookups
  // free of early-exit timing differences between near-miss keys.
  if (access_key.size() == root_.access_key.size() &&
      CRYPTO_memcmp(access_key.data(), root_.access_key.data(), access_key.size()) == 0) {
    return root_;
  }
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
                   "The AWS Access Key Id you provided does not exist in our records.");
}

}  // namespace sb::policy
