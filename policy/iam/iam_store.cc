// IamStore: opening, the commit path, users, access keys and the request-path lookups.
// Groups and managed policies are in iam_store_groups.cc.
#include "policy/iam/iam_store.h"

#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/iam/internal/iam_util.h"

namespace sb::policy::iam {
namespace {

using internal::IamState;
using internal::KeyEntry;
using internal::UserEntry;

constexpr size_t kMaxUserName = 64;
// A last-used time is rewritten at most this often per key.
constexpr absl::Duration kLastUsedResolution = absl::Minutes(1);

UserInfo ToUserInfo(std::string_view name, const UserEntry& u) {
  return UserInfo{std::string(name),
                  u.user_id,
                  u.enabled,
                  u.created,
                  {u.policies.begin(), u.policies.end()},
                  {u.groups.begin(), u.groups.end()}};
}

AccessKeyInfo ToKeyInfo(std::string_view id, const KeyEntry& k) {
  return AccessKeyInfo{std::string(id),   k.user,        k.status, k.created, k.last_used,
                       k.policy_document, k.description, k.kind,   k.expires};
}

size_t KeyLimit(KeyKind kind) {
  switch (kind) {
    case KeyKind::kServiceAccount:
      return kMaxServiceAccountsPerUser;
    case KeyKind::kSession:
      return kMaxSessionsPerUser;
    case KeyKind::kAccessKey:
      break;
  }
  return kMaxAccessKeysPerUser;
}

std::string Sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

absl::Status InvalidAccessKeyId() {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
                   "The AWS Access Key Id you provided does not exist in our records.");
}

metadata::IamRecordWrite PutUser(std::string_view name, const UserEntry& u) {
  return {internal::kUserKind, std::string(name), internal::EncodeUser(u)};
}

metadata::IamRecordWrite PutKey(std::string_view id, const KeyEntry& k) {
  return {internal::kAccessKeyKind, std::string(id), internal::EncodeKey(k)};
}

// Loads and decodes every record of one kind into `out`.
template <typename Entry, typename Decode>
absl::Status LoadKind(metadata::MetadataStore& meta, const char* kind, Decode decode,
                      std::map<std::string, Entry, std::less<>>& out) {
  SB_ASSIGN_OR_RETURN(auto records, meta.ListIamRecords(kind));
  for (auto& [name, bytes] : records) {
    SB_ASSIGN_OR_RETURN(Entry entry, decode(name, bytes));
    out.emplace(name, std::move(entry));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<IamStore>> IamStore::Open(metadata::MetadataStore& meta,
                                                         const sse::Key256& root_key,
                                                         const Clock& clock) {
  SB_ASSIGN_OR_RETURN(internal::SecretBox box, internal::SecretBox::Create(root_key));
  IamState state;
  SB_RETURN_IF_ERROR(LoadKind(meta, internal::kUserKind, internal::DecodeUser, state.users));
  SB_RETURN_IF_ERROR(LoadKind(meta, internal::kGroupKind, internal::DecodeGroup, state.groups));
  SB_RETURN_IF_ERROR(LoadKind(meta, internal::kPolicyKind, internal::DecodePolicy, state.policies));
  SB_RETURN_IF_ERROR(LoadKind(meta, internal::kAccessKeyKind, internal::DecodeKey, state.keys));
  for (auto& [name, policy] : state.policies) {
    auto parsed = internal::ParseManagedPolicy(policy.document);
    if (!parsed.ok()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       absl::StrCat("stored IAM policy ", name,
                                    " no longer parses: ", parsed.status().message()));
    }
    policy.parsed = *std::move(parsed);
  }
  for (auto& [id, key] : state.keys) {
    SB_ASSIGN_OR_RETURN(key.secret, box.Open(id, key.sealed_secret));
    if (key.policy_document.empty()) continue;
    auto parsed = internal::ParseKeyPolicy(key.policy_document);
    if (!parsed.ok()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       absl::StrCat("the stored policy of access key ", id,
                                    " no longer parses: ", parsed.status().message()));
    }
    key.policy = *std::move(parsed);
  }
  return std::unique_ptr<IamStore>(new IamStore(meta, std::move(box), clock, std::move(state)));
}

IamStore::IamStore(metadata::MetadataStore& meta, internal::SecretBox box, const Clock& clock,
                   IamState state)
    : meta_(meta), box_(std::move(box)), clock_(clock), state_(std::move(state)) {}

absl::Status IamStore::Commit(std::vector<metadata::IamRecordWrite> writes,
                              const std::function<void(IamState&)>& apply) {
  SB_RETURN_IF_ERROR(meta_.WriteIamRecords(writes));
  absl::MutexLock lock(&mu_);
  apply(state_);
  return absl::OkStatus();
}

absl::StatusOr<UserInfo> IamStore::CreateUser(std::string_view name) {
  SB_RETURN_IF_ERROR(internal::ValidateName("user", name, kMaxUserName));
  if (internal::EqualsIgnoringCase(name, "root")) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "the user name root is reserved for the root credential");
  }
  absl::MutexLock write_lock(&write_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (internal::ContainsIgnoringCase(state_.users, name)) {
      return internal::AlreadyExists("user", name);
    }
  }
  UserEntry user;
  SB_ASSIGN_OR_RETURN(user.user_id, internal::NewUniqueId("AIDA"));
  user.created = clock_.Now();
  SB_RETURN_IF_ERROR(Commit({PutUser(name, user)},
                            [&](IamState& s) { s.users.emplace(std::string(name), user); }));
  return ToUserInfo(name, user);
}

absl::Status IamStore::DeleteUser(std::string_view name) {
  absl::MutexLock write_lock(&write_mu_);
  std::vector<metadata::IamRecordWrite> writes;
  std::vector<std::string> key_ids;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.users.find(name) == state_.users.end()) return internal::NoSuchEntity("user", name);
    for (const auto& [id, key] : state_.keys) {
      if (key.user == name) key_ids.push_back(id);
    }
  }
  writes.push_back({internal::kUserKind, std::string(name), std::nullopt});
  for (const auto& id : key_ids) writes.push_back({internal::kAccessKeyKind, id, std::nullopt});
  return Commit(std::move(writes), [&](IamState& s) {
    s.users.erase(s.users.find(name));
    for (const auto& id : key_ids) s.keys.erase(id);
  });
}

absl::Status IamStore::SetUserEnabled(std::string_view name, bool enabled) {
  absl::MutexLock write_lock(&write_mu_);
  UserEntry user;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.users.find(name);
    if (it == state_.users.end()) return internal::NoSuchEntity("user", name);
    user = it->second;
  }
  if (user.enabled == enabled) return absl::OkStatus();
  user.enabled = enabled;
  return Commit({PutUser(name, user)},
                [&](IamState& s) { s.users.find(name)->second.enabled = enabled; });
}

absl::StatusOr<UserInfo> IamStore::GetUser(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = state_.users.find(name);
  if (it == state_.users.end()) return internal::NoSuchEntity("user", name);
  return ToUserInfo(name, it->second);
}

std::vector<UserInfo> IamStore::ListUsers() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<UserInfo> out;
  for (const auto& [name, user] : state_.users) out.push_back(ToUserInfo(name, user));
  return out;
}

absl::StatusOr<NewAccessKey> IamStore::CreateAccessKey(std::string_view user,
                                                       const AccessKeyOptions& options) {
  if (options.kind == KeyKind::kSession) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "sessions are created through STS AssumeRole");
  }
  if (options.expires.has_value() && *options.expires <= clock_.Now()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "the expiry must be in the future");
  }
  KeyEntry key;
  key.kind = options.kind;
  key.expires = options.expires;
  key.description = options.description;
  SB_ASSIGN_OR_RETURN(std::string id, AddKey(user, options.policy, std::move(key)));
  absl::ReaderMutexLock lock(&mu_);
  const KeyEntry& added = state_.keys.find(id)->second;
  return NewAccessKey{ToKeyInfo(id, added), added.secret};
}

absl::StatusOr<NewSession> IamStore::CreateSession(std::string_view user,
                                                   std::string_view session_policy,
                                                   absl::Duration duration) {
  if (duration <= absl::ZeroDuration()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "a session's duration must be positive");
  }
  SB_ASSIGN_OR_RETURN(std::string token, internal::NewSessionToken());
  KeyEntry key;
  key.kind = KeyKind::kSession;
  key.expires = clock_.Now() + duration;
  key.session_token_sha256 = Sha256(token);
  SB_ASSIGN_OR_RETURN(std::string id, AddKey(user, session_policy, std::move(key)));
  absl::ReaderMutexLock lock(&mu_);
  const KeyEntry& added = state_.keys.find(id)->second;
  return NewSession{ToKeyInfo(id, added), added.secret, std::move(token)};
}

// Validates and persists a new key of `key.kind` for `user`. Expired sessions (of any user)
// are purged in the same batch, so STS records never accumulate.
absl::StatusOr<std::string> IamStore::AddKey(std::string_view user, std::string_view policy_doc,
                                             KeyEntry key) {
  if (!policy_doc.empty()) {
    SB_ASSIGN_OR_RETURN(key.policy, internal::ParseKeyPolicy(policy_doc));
    key.policy_document = std::string(policy_doc);
  }
  if (key.description.size() > kMaxKeyDescriptionBytes) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
        absl::StrCat("the description is limited to ", kMaxKeyDescriptionBytes, " bytes"));
  }
  const absl::Time now = clock_.Now();
  absl::MutexLock write_lock(&write_mu_);
  std::string id;
  std::vector<std::string> purge;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.users.find(user) == state_.users.end()) return internal::NoSuchEntity("user", user);
    size_t count = 0;
    for (const auto& [other_id, other] : state_.keys) {
      if (other.kind == KeyKind::kSession && other.expires <= now) {
        purge.push_back(other_id);
      } else if (other.user == user && other.kind == key.kind) {
        ++count;
      }
    }
    if (size_t limit = KeyLimit(key.kind); count >= limit) {
      return MakeError(absl::StatusCode::kResourceExhausted, ErrorReason::kLimitExceeded,
                       absl::StrCat("user ", std::string(user), " already has ", limit, " ",
                                    AsAbsl(KeyKindName(key.kind)), "s"));
    }
    do {
      SB_ASSIGN_OR_RETURN(id, internal::NewAccessKeyId(key.kind));
    } while (state_.keys.find(id) != state_.keys.end());
  }
  key.user = std::string(user);
  SB_ASSIGN_OR_RETURN(key.secret, internal::NewSecretAccessKey());
  SB_ASSIGN_OR_RETURN(key.sealed_secret, box_.Seal(id, key.secret));
  key.created = now;
  std::vector<metadata::IamRecordWrite> writes{PutKey(id, key)};
  for (const auto& old : purge) writes.push_back({internal::kAccessKeyKind, old, std::nullopt});
  SB_RETURN_IF_ERROR(Commit(std::move(writes), [&](IamState& s) {
    for (const auto& old : purge) s.keys.erase(old);
    s.keys.emplace(id, std::move(key));
  }));
  return id;
}

absl::Status IamStore::DeleteAccessKey(std::string_view access_key_id) {
  absl::MutexLock write_lock(&write_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.keys.find(access_key_id) == state_.keys.end()) {
      return internal::NoSuchEntity("access key", access_key_id);
    }
  }
  return Commit({{internal::kAccessKeyKind, std::string(access_key_id), std::nullopt}},
                [&](IamState& s) { s.keys.erase(s.keys.find(access_key_id)); });
}

absl::Status IamStore::SetAccessKeyStatus(std::string_view access_key_id, KeyStatus status) {
  absl::MutexLock write_lock(&write_mu_);
  KeyEntry key;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.keys.find(access_key_id);
    if (it == state_.keys.end()) return internal::NoSuchEntity("access key", access_key_id);
    key = it->second;
  }
  if (key.status == status) return absl::OkStatus();
  key.status = status;
  return Commit({PutKey(access_key_id, key)},
                [&](IamState& s) { s.keys.find(access_key_id)->second.status = status; });
}

absl::StatusOr<std::pair<AccessKeyInfo, std::shared_ptr<const eval::Policy>>>
IamStore::GetAccessKey(std::string_view access_key_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = state_.keys.find(access_key_id);
  if (it == state_.keys.end()) return internal::NoSuchEntity("access key", access_key_id);
  return std::make_pair(ToKeyInfo(access_key_id, it->second), it->second.policy);
}

absl::StatusOr<std::vector<AccessKeyInfo>> IamStore::ListAccessKeys(std::string_view user) const {
  absl::ReaderMutexLock lock(&mu_);
  if (state_.users.find(user) == state_.users.end()) return internal::NoSuchEntity("user", user);
  std::vector<AccessKeyInfo> out;
  for (const auto& [id, key] : state_.keys) {
    if (key.user == user && key.kind != KeyKind::kSession) out.push_back(ToKeyInfo(id, key));
  }
  std::stable_sort(out.begin(), out.end(), [](const AccessKeyInfo& a, const AccessKeyInfo& b) {
    return a.created < b.created;
  });
  return out;
}

absl::StatusOr<KeyIdentity> IamStore::LookupAccessKey(std::string_view access_key_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto key = state_.keys.find(access_key_id);
  if (key == state_.keys.end() || key->second.status != KeyStatus::kActive) {
    return InvalidAccessKeyId();
  }
  auto user = state_.users.find(key->second.user);
  if (user == state_.users.end() || !user->second.enabled) return InvalidAccessKeyId();
  if (key->second.expires.has_value() && clock_.Now() >= *key->second.expires) {
    if (key->second.kind == KeyKind::kSession) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kExpiredToken,
                       "The provided token has expired.");
    }
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
                     "The access key has expired.");
  }
  return KeyIdentity{user->first,
                     user->second.user_id,
                     key->second.secret,
                     {user->second.groups.begin(), user->second.groups.end()},
                     key->second.policy,
                     key->second.kind,
                     key->second.session_token_sha256};
}

void IamStore::NoteAccessKeyUsed(std::string_view access_key_id) {
  const absl::Time now = clock_.Now();
  auto recent = [&](const KeyEntry& key) {
    return key.last_used.has_value() && now - *key.last_used < kLastUsedResolution;
  };
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.keys.find(access_key_id);
    if (it == state_.keys.end() || recent(it->second)) return;
  }
  // An admin mutation holds write_mu_ across a disk write: skip rather than wait; a later
  // request records the use.
  if (!write_mu_.TryLock()) return;
  KeyEntry key;
  bool found = false;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.keys.find(access_key_id);
    if (it != state_.keys.end() && !recent(it->second)) {
      key = it->second;
      found = true;
    }
  }
  if (found) {
    key.last_used = now;
    Commit({PutKey(access_key_id, key)}, [&](IamState& s) {
      s.keys.find(access_key_id)->second.last_used = now;
    }).IgnoreError();
  }
  write_mu_.Unlock();
}

}  // namespace sb::policy::iam
