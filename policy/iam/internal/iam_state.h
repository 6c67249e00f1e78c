// The IAM store's in-memory state and its on-disk record codec (JSON, one record per user,
// group, policy and access key; format in docs/security.md). Internal to policy/iam.
// Plain values; the IamStore guards them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "policy/eval/policy.h"
#include "policy/iam/iam_types.h"

namespace sb::policy::iam::internal {

// Record kinds in the metadata store's IAM namespace.
inline constexpr char kUserKind[] = "user";
inline constexpr char kGroupKind[] = "group";
inline constexpr char kPolicyKind[] = "policy";
inline constexpr char kAccessKeyKind[] = "accesskey";

struct UserEntry {
  std::string user_id;
  bool enabled = true;
  absl::Time created;
  std::set<std::string> policies;
  std::set<std::string> groups;
};

struct GroupEntry {
  absl::Time created;
  std::set<std::string> policies;
};

struct PolicyEntry {
  std::string document;
  absl::Time created;
  absl::Time updated;
  std::shared_ptr<const eval::Policy> parsed;  // not stored: re-parsed on load
};

struct KeyEntry {
  std::string user;
  std::string sealed_secret;  // as stored (SecretBox::Seal output)
  std::string secret;         // plaintext, memory only
  KeyStatus status = KeyStatus::kActive;
  absl::Time created;
  std::optional<absl::Time> last_used;
  std::string policy_document;                 // empty: unrestricted
  std::shared_ptr<const eval::Policy> policy;  // parsed policy_document; not stored
  std::string description;
  KeyKind kind = KeyKind::kAccessKey;
  std::optional<absl::Time> expires;
  std::string session_token_sha256;  // kSession: SHA-256 (raw bytes) of the token
};

struct IamState {
  std::map<std::string, UserEntry, std::less<>> users;
  std::map<std::string, GroupEntry, std::less<>> groups;
  std::map<std::string, PolicyEntry, std::less<>> policies;
  std::map<std::string, KeyEntry, std::less<>> keys;
};

// Encoders never fail; decoders return DataLoss(kDataCorrupted) naming `name` for anything
// that is not a well-formed record of their kind. Unknown fields are ignored (forward
// compatibility); PolicyEntry::parsed, KeyEntry::policy and KeyEntry::secret are left empty.
std::string EncodeUser(const UserEntry& user);
absl::StatusOr<UserEntry> DecodeUser(std::string_view name, std::string_view bytes);
std::string EncodeGroup(const GroupEntry& group);
absl::StatusOr<GroupEntry> DecodeGroup(std::string_view name, std::string_view bytes);
std::string EncodePolicy(const PolicyEntry& policy);
absl::StatusOr<PolicyEntry> DecodePolicy(std::string_view name, std::string_view bytes);
std::string EncodeKey(const KeyEntry& key);
absl::StatusOr<KeyEntry> DecodeKey(std::string_view name, std::string_view bytes);

}  // namespace sb::policy::iam::internal
