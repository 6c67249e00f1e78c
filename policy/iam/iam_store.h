// IamStore: users, groups, managed policies and access keys, persisted as IAM records in the
// MetadataStore and served from an in-memory copy. Access key secrets are sealed with
// AES-256-GCM under a key derived (HKDF) from the KMS root key; they are plaintext only in
// this process's memory. Every mutation is written (one atomic batch) before the in-memory
// copy changes, so a disabled user or deleted key is refused from the next request on.
// Thread-safe: mutations are serialized; lookups never wait for a disk write.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "metadata/metadata_store.h"
#include "policy/iam/iam_types.h"
#include "policy/iam/internal/iam_state.h"
#include "policy/iam/internal/secret_box.h"
#include "policy/sse/key256.h"

namespace sb::policy::iam {

// Error conventions of every method below: InvalidArgument(kInvalidArgument) for a malformed
// name; NotFound(kNoSuchEntity) for an unknown user, group, policy or key;
// AlreadyExists(kEntityAlreadyExists) when creating a name that exists (compared without
// case, as IAM does); metadata store errors are returned as is and change nothing.
class IamStore {
 public:
  // Loads every IAM record. DataLoss(kDataCorrupted) if a record does not parse or a secret
  // does not decrypt under `root_key` (e.g. the server was started with another KMS root
  // key). `meta` and `clock` must outlive the store.
  static absl::StatusOr<std::unique_ptr<IamStore>> Open(metadata::MetadataStore& meta,
                                                        const sse::Key256& root_key,
                                                        const Clock& clock);

  // Users. Names: 1..64 of [A-Za-z0-9+=,.@_-]; "root" is reserved.
  absl::StatusOr<UserInfo> CreateUser(std::string_view name);
  // Also deletes the user's access keys and memberships, atomically.
  absl::Status DeleteUser(std::string_view name);
  // A disabled user's keys stop authenticating; its data and configuration stay.
  absl::Status SetUserEnabled(std::string_view name, bool enabled);
  absl::StatusOr<UserInfo> GetUser(std::string_view name) const;
  std::vector<UserInfo> ListUsers() const;

  // Access keys. CreateAccessKey: LimitExceeded(kLimitExceeded) past kMaxAccessKeysPerUser;
  // InvalidArgument(kMalformedPolicy) for a key policy that is not a valid identity policy
  // (or is over kMaxKeyPolicyBytes); InvalidArgument for a description over
  // kMaxKeyDescriptionBytes.
  // Service accounts (options.kind) have their own limit, kMaxServiceAccountsPerUser; an
  // expiry must lie in the future.
  absl::StatusOr<NewAccessKey> CreateAccessKey(std::string_view user,
                                               const AccessKeyOptions& options = {});
  // STS: temporary credentials for `user`, valid for `duration`, narrowed by
  // `session_policy` (JSON; empty: the user's own permissions). Persisted, so they survive a
  // restart; expired sessions are purged by later creations. Same errors as CreateAccessKey
  // (LimitExceeded past kMaxSessionsPerUser live sessions).
  absl::StatusOr<NewSession> CreateSession(std::string_view user, std::string_view session_policy,
                                           absl::Duration duration);
  // The key and its parsed policy (null if unrestricted), whatever its status.
  absl::StatusOr<std::pair<AccessKeyInfo, std::shared_ptr<const eval::Policy>>> GetAccessKey(
      std::string_view access_key_id) const;
  absl::Status DeleteAccessKey(std::string_view access_key_id);
  absl::Status SetAccessKeyStatus(std::string_view access_key_id, KeyStatus status);
  // Access keys and service accounts (not sessions), sorted by creation time; never secrets.
  absl::StatusOr<std::vector<AccessKeyInfo>> ListAccessKeys(std::string_view user) const;

  // Groups. Names: 1..128 of [A-Za-z0-9+=,.@_-]. DeleteGroup also removes its memberships.
  absl::StatusOr<GroupInfo> CreateGroup(std::string_view name);
  absl::Status DeleteGroup(std::string_view name);
  absl::StatusOr<GroupInfo> GetGroup(std::string_view name) const;
  std::vector<GroupInfo> ListGroups() const;
  // Adding a present member or removing an absent one is a no-op.
  absl::Status AddUserToGroup(std::string_view group, std::string_view user);
  absl::Status RemoveUserFromGroup(std::string_view group, std::string_view user);

  // Managed policies. PutPolicy creates or replaces; InvalidArgument(kMalformedPolicy) with
  // the parser's message if the document is not a valid identity policy. DeletePolicy:
  // FailedPrecondition(kDeleteConflict) while the policy is attached anywhere.
  absl::StatusOr<PolicyInfo> PutPolicy(std::string_view name, std::string_view document);
  absl::Status DeletePolicy(std::string_view name);
  absl::StatusOr<PolicyInfo> GetPolicy(std::string_view name) const;
  std::vector<PolicyInfo> ListPolicies() const;
  // Attaching an attached policy or detaching a detached one is a no-op.
  absl::Status AttachUserPolicy(std::string_view user, std::string_view policy);
  absl::Status DetachUserPolicy(std::string_view user, std::string_view policy);
  absl::Status AttachGroupPolicy(std::string_view group, std::string_view policy);
  absl::Status DetachGroupPolicy(std::string_view group, std::string_view policy);

  // Request path. The identity behind `access_key_id` if the key is active, unexpired and its
  // user enabled; PermissionDenied(kInvalidAccessKeyId) otherwise (unknown, inactive,
  // disabled all look the same to the client), except an expired session:
  // InvalidArgument(kExpiredToken). Constant work; never touches disk.
  absl::StatusOr<KeyIdentity> LookupAccessKey(std::string_view access_key_id) const;
  // Records a successful use. Writes at most once a minute per key (and skips the write if
  // an admin mutation is in progress), so the request path rarely pays a disk write. Errors
  // are swallowed: losing a last-used time must never fail a request.
  void NoteAccessKeyUsed(std::string_view access_key_id);
  // The user's attached policies followed by its groups' (each policy once, by name).
  // NotFound(kNoSuchEntity) for an unknown user.
  absl::StatusOr<std::vector<NamedPolicy>> PoliciesForUser(std::string_view user) const;

 private:
  IamStore(metadata::MetadataStore& meta, internal::SecretBox box, const Clock& clock,
           internal::IamState state);

  // Persists `writes` atomically, then applies `apply` to the in-memory state.
  absl::Status Commit(std::vector<metadata::IamRecordWrite> writes,
                      const std::function<void(internal::IamState&)>& apply)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::StatusOr<std::string> AddKey(std::string_view user, std::string_view policy_doc,
                                     internal::KeyEntry key);
  absl::Status SetPolicyAttachment(bool group, std::string_view owner, std::string_view policy,
                                   bool attach);

  metadata::MetadataStore& meta_;
  const internal::SecretBox box_;
  const Clock& clock_;
  // Serializes mutations, including their disk writes. Taken before mu_.
  absl::Mutex write_mu_;
  mutable absl::Mutex mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  internal::IamState state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sb::policy::iam
