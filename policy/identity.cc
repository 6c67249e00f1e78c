#include "policy/identity.h"

#include <openssl/crypto.h>

#include "common/error_reason.h"

namespace sb::policy {
namespace {

bool IsRootKey(std::string_view access_key, const Credential& root) {
  // Constant-time compare: the access key itself is not secret, but this keeps lookups
  // free of early-exit timing differences between near-miss keys.
  return access_key.size() == root.access_key.size() &&
         CRYPTO_memcmp(access_key.data(), root.access_key.data(), access_key.size()) == 0;
}

}  // namespace

IdentityStore::IdentityStore(Credential root, iam::IamStore* iam)
    : root_(std::move(root)), iam_(iam) {
  root_.is_root = true;
}

absl::StatusOr<Credential> IdentityStore::Lookup(std::string_view access_key) const {
  if (IsRootKey(access_key, root_)) return root_;
  if (iam_ != nullptr) {
    absl::StatusOr<iam::KeyIdentity> identity = iam_->LookupAccessKey(access_key);
    if (identity.ok()) {
      return Credential{std::string(access_key),
                        std::move(identity->secret_access_key),
                        std::move(identity->user),
                        false,
                        std::move(identity->user_id),
                        std::move(identity->groups),
                        std::move(identity->key_policy),
                        identity->kind,
                        std::move(identity->session_token_sha256)};
    }
    if (GetReason(identity.status()) == ErrorReason::kExpiredToken) return identity.status();
  }
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
                   "The AWS Access Key Id you provided does not exist in our records.");
}

void IdentityStore::NoteUsed(std::string_view access_key) const {
  if (iam_ == nullptr || IsRootKey(access_key, root_)) return;
  iam_->NoteAccessKeyUsed(access_key);
}

}  // namespace sb::policy
