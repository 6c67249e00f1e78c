// Small helpers shared by the IAM store's source files: name validation, random ids and
// secrets, and the store's error statuses. Internal to policy/iam. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/eval/policy.h"
#include "policy/iam/iam_types.h"

namespace sb::policy::iam::internal {

// InvalidArgument(kInvalidArgument) unless `name` is 1..max_len of [A-Za-z0-9+=,.@_-] (the
// IAM name alphabet); `what` ("user", "group", "policy") names it in the message.
absl::Status ValidateName(std::string_view what, std::string_view name, size_t max_len);

// `n` characters drawn uniformly from `alphabet` (at most 256 characters) by the OpenSSL
// CSPRNG. Internal if the generator fails.
absl::StatusOr<std::string> RandomString(std::string_view alphabet, size_t n);
// A prefix naming the kind ("SBAK" access key, "SBSA" service account, "SBST" session) + 16
// of [A-Z2-7]: 80 random bits.
absl::StatusOr<std::string> NewAccessKeyId(KeyKind kind);
// An STS session token: "SBSESSION" + 64 of [A-Za-z0-9+/] (384 random bits). Only its
// SHA-256 is stored.
absl::StatusOr<std::string> NewSessionToken();
// 40 of [A-Za-z0-9+/]: 240 random bits.
absl::StatusOr<std::string> NewSecretAccessKey();
// `prefix` + 17 of [A-Z2-7] (AWS-style unique ids such as "AIDA…").
absl::StatusOr<std::string> NewUniqueId(std::string_view prefix);

// Parses a managed (identity) policy document of at most kMaxManagedPolicyBytes.
// InvalidArgument(kMalformedPolicy) carrying the parser's message otherwise.
absl::StatusOr<std::shared_ptr<const eval::Policy>> ParseManagedPolicy(std::string_view document);
// Parses an access key's own policy (a session policy of at most kMaxKeyPolicyBytes).
// InvalidArgument(kMalformedPolicy) otherwise.
absl::StatusOr<std::shared_ptr<const eval::Policy>> ParseKeyPolicy(std::string_view document);

absl::Status NoSuchEntity(std::string_view what, std::string_view name);
absl::Status AlreadyExists(std::string_view what, std::string_view name);

// True if `map` has a key equal to `name` ignoring ASCII case (IAM names are unique without
// regard to case).
template <typename Map>
bool ContainsIgnoringCase(const Map& map, std::string_view name);

bool EqualsIgnoringCase(std::string_view a, std::string_view b);

template <typename Map>
bool ContainsIgnoringCase(const Map& map, std::string_view name) {
  for (const auto& [key, value] : map) {
    if (EqualsIgnoringCase(key, name)) return true;
  }
  return false;
}

}  // namespace sb::policy::iam::internal
