// Identities and credentials. Today the store holds the root credential only; users,
// groups, service accounts and STS sessions (issue 10) plug in behind Lookup().
// Thread-safe: immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::policy {

struct Credential {
  std::string access_key;
  std::string secret_key;
  std::string user;  // display name / user id
  bool is_root = false;
};

// Who sent a request, as established by authentication.
struct Principal {
  bool anonymous = true;
  bool is_root = false;
  std::string access_key;
  std::string user;
  std::string source_ip;
  bool tls = false;
};

class IdentityStore {
 public:
  explicit IdentityStore(Credential root);

  // Returns the credential for `access_key`; PermissionDenied(kInvalidAccessKeyId) if none.
  absl::StatusOr<Credential> Lookup(std::string_view access_key) const;

  const Credential& root() const { return root_; }

 private:
  Credential root_;
};

}  // namespace sb::policy
