// The request side of policy evaluation: who asks, for what action on which resource, and the
// condition context (key → values). Context keys are case-insensitive, as in AWS. Plain data,
// built once per request by the caller; not synchronised.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace sb::policy::eval {

// ASCII case-insensitive hashing and equality, transparent so lookups take string_view.
struct CaseInsensitiveHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const;
};
struct CaseInsensitiveEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// Condition keys ("aws:SourceIp", "s3:prefix") → values. A key with several values is a
// multivalued key (aws:TagKeys); a key mapped to an empty vector counts as absent.
// BinaryEquals compares against the raw bytes stored here.
using ContextMap = absl::flat_hash_map<std::string, std::vector<std::string>, CaseInsensitiveHash,
                                       CaseInsensitiveEq>;

struct EvalRequest {
  // Authenticated principal. An anonymous request has is_root == false and empty
  // principal_arn and service.
  std::string principal_arn;      // "arn:aws:iam::111122223333:user/alice"
  std::string account;            // "111122223333"
  std::string user;               // IAM user name ("alice"); empty for root/anonymous
  std::string user_id;            // unique id for aws:userid; defaults to `user`
  std::string service;            // service principal ("logging.s3.amazonaws.com")
  std::string canonical_user_id;  // matched by "CanonicalUser" principals
  bool is_root = false;           // the account's root credential

  std::string action;    // "s3:GetObject"
  std::string resource;  // "arn:aws:s3:::bucket/key"
  // Account owning the resource; when set and different from `account`, the request is
  // cross-account and needs an allow from both the identity and the bucket policy.
  std::string resource_account;

  ContextMap context;

  bool anonymous() const { return !is_root && principal_arn.empty() && service.empty(); }
};

// Returns the values of `key` in `context`, or nullptr if absent or empty.
const std::vector<std::string>* FindContextValues(const ContextMap& context, std::string_view key);

// Fills the global keys AWS derives from the principal and the clock: aws:CurrentTime,
// aws:EpochTime, aws:PrincipalType, aws:userid, aws:PrincipalArn, aws:PrincipalAccount and
// aws:username (IAM users only). Overwrites existing entries: these come from authentication,
// never from the client. `now` comes from the caller's Clock.
void AddGlobalContextKeys(EvalRequest& request, absl::Time now);

}  // namespace sb::policy::eval
