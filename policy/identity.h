// Identities and credentials: the root credential plus the IAM users' access keys, service
// accounts and STS sessions (all IamStore keys, of different kinds), when an IamStore is
// given. Thread-safe: the root credential is immutable and the IamStore is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/iam/iam_store.h"

namespace sb::policy {

struct Credential {
  std::string access_key;
  std::string secret_key;
  std::string user;  // display name / user id
  bool is_root = false;
  std::string user_id;              // IAM unique id (aws:userid); empty for root
  std::vector<std::string> groups;  // IAM groups of the user
  // A restricted key's own policy: it must also allow every request (null: unrestricted).
  std::shared_ptr<const eval::Policy> key_policy;
  iam::KeyKind kind = iam::KeyKind::kAccessKey;
  // STS sessions: SHA-256 (raw) of the session token every request must present.
  std::string session_token_sha256{};
};

// Who sent a request, as established by authentication.
struct Principal {
  bool anonymous = true;
  bool is_root = false;
  std::string access_key;
  std::string user;
  std::string source_ip;
  bool tls = false;
  std::string user_id;
  std::vector<std::string> groups;
  std::shared_ptr<const eval::Policy> key_policy;  // see Credential::key_policy
  iam::KeyKind key_kind = iam::KeyKind::kAccessKey;
};

class IdentityStore {
 public:
  // `iam` may be null (root only); it must outlive the store.
  explicit IdentityStore(Credential root, iam::IamStore* iam = nullptr);

  // Returns the credential for `access_key`: the root's, or an active, unexpired key of an
  // enabled IAM user. InvalidArgument(kExpiredToken) for an expired STS session;
  // PermissionDenied(kInvalidAccessKeyId) otherwise.
  absl::StatusOr<Credential> Lookup(std::string_view access_key) const;

  // Records that `access_key` just authenticated a request (the coarse last-used time of IAM
  // keys; see IamStore::NoteAccessKeyUsed). Never fails; no-op for root and unknown keys.
  void NoteUsed(std::string_view access_key) const;

  const Credential& root() const { return root_; }

 private:
  Credential root_;
  iam::IamStore* iam_;
};

}  // namespace sb::policy
