// Plain data of the IAM store: users, groups, managed policies and access keys as the
// admin API sees them, plus the account-wide constants. Values only; thread-compatible.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "policy/eval/policy.h"

namespace sb::policy::iam {

// Strongbox is one account: every user ARN is arn:aws:iam::<kAccountId>:user/<name>, and
// the root credential is arn:aws:iam::<kAccountId>:root.
inline constexpr char kAccountId[] = "000000000000";
// At most this many access keys per user (AWS allows 2; rotation without downtime needs 2).
inline constexpr size_t kMaxAccessKeysPerUser = 10;
// Managed policy documents above this size (raw bytes) are refused.
inline constexpr size_t kMaxManagedPolicyBytes = 16 * 1024;
// An access key's own (session) policy is limited like AWS's inline session policies.
inline constexpr size_t kMaxKeyPolicyBytes = 2048 * 4;
inline constexpr size_t kMaxKeyDescriptionBytes = 256;

// Service accounts and STS sessions have their own limits (they are made by machines).
inline constexpr size_t kMaxServiceAccountsPerUser = 100;
inline constexpr size_t kMaxSessionsPerUser = 1000;
// STS session lifetimes (AssumeRole's DurationSeconds): AWS's defaults. The minimum can be
// lowered by server configuration (tests use seconds).
inline constexpr absl::Duration kDefaultSessionDuration = absl::Hours(1);
inline constexpr absl::Duration kMinSessionDuration = absl::Minutes(15);
inline constexpr absl::Duration kMaxSessionDuration = absl::Hours(12);

enum class KeyStatus : uint8_t { kActive, kInactive };
std::string_view KeyStatusName(KeyStatus status);  // "Active" / "Inactive"

// What a credential is for. Each kind has its own per-user limit.
//  - kAccessKey: a user's long-term key ("AKIA"-like, prefix SBAK).
//  - kServiceAccount: a machine's key under a user, optionally with its own (narrowing)
//    policy and an expiry (prefix SBSA).
//  - kSession: STS temporary credentials (prefix SBST): always expire, need the session
//    token on every request, optionally narrowed by a session policy.
enum class KeyKind : uint8_t { kAccessKey, kServiceAccount, kSession };
std::string_view KeyKindName(KeyKind kind);  // "access-key" / "service-account" / "session"
// The kind KeyKindName names; nullopt for anything else.
std::optional<KeyKind> ParseKeyKind(std::string_view name);

struct UserInfo {
  std::string name;
  std::string user_id;  // unique id ("AIDA…"), the value of aws:userid
  bool enabled = true;
  absl::Time created;
  std::vector<std::string> policies;  // attached managed policies, sorted
  std::vector<std::string> groups;    // sorted
};

struct GroupInfo {
  std::string name;
  absl::Time created;
  std::vector<std::string> policies;  // sorted
  std::vector<std::string> members;   // user names, sorted
};

struct PolicyInfo {
  std::string name;
  std::string document;  // JSON exactly as accepted
  absl::Time created;
  absl::Time updated;
  size_t attachments = 0;  // users + groups it is attached to
};

struct AccessKeyInfo {
  std::string access_key_id;
  std::string user;
  KeyStatus status = KeyStatus::kActive;
  absl::Time created;
  // Coarse (see IamStore::NoteAccessKeyUsed); nullopt if never used.
  std::optional<absl::Time> last_used;
  // A restricted key's own policy (JSON as accepted); empty: the key has all its user's
  // permissions.
  std::string policy;
  std::string description;
  KeyKind kind = KeyKind::kAccessKey;
  std::optional<absl::Time> expires{};  // nullopt: never
};

// Options of a new access key. A key with a policy is a restricted ("service account")
// key: it may do only what both its user's permissions and this policy allow, like an AWS
// session policy.
struct AccessKeyOptions {
  std::string policy;  // empty: unrestricted
  std::string description;
  // kAccessKey or kServiceAccount (sessions come from IamStore::CreateSession).
  KeyKind kind = KeyKind::kAccessKey;
  std::optional<absl::Time> expires{};  // must be in the future
};

// STS temporary credentials, returned once by IamStore::CreateSession.
struct NewSession {
  AccessKeyInfo info;  // kind kSession; expires set
  std::string secret_access_key;
  std::string session_token;
};

// A freshly created key: the only time the secret is ever returned.
struct NewAccessKey {
  AccessKeyInfo info;
  std::string secret_access_key;
};

// What authentication needs for a usable (active key, enabled user) access key.
struct KeyIdentity {
  std::string user;
  std::string user_id;
  std::string secret_access_key;
  std::vector<std::string> groups;
  std::shared_ptr<const eval::Policy> key_policy;  // null unless the key is restricted
  KeyKind kind = KeyKind::kAccessKey;
  // kSession only: SHA-256 of the session token, which every request must carry.
  std::string session_token_sha256{};
};

// A parsed managed policy with its name, for evaluation.
struct NamedPolicy {
  std::string name;
  std::shared_ptr<const eval::Policy> policy;
};

// The ARN of IAM user `name` in the Strongbox account.
std::string UserArn(std::string_view name);
// The ARN of the account root.
std::string RootArn();

}  // namespace sb::policy::iam
