// IamStore: groups, managed policies, attachments and the per-user policy set.
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/iam/iam_store.h"
#include "policy/iam/internal/iam_util.h"

namespace sb::policy::iam {
namespace {

using internal::GroupEntry;
using internal::IamState;
using internal::PolicyEntry;
using internal::UserEntry;

constexpr size_t kMaxGroupName = 128;
constexpr size_t kMaxPolicyName = 128;

GroupInfo ToGroupInfo(const IamState& s, std::string_view name, const GroupEntry& g) {
  GroupInfo info{std::string(name), g.created, {g.policies.begin(), g.policies.end()}, {}};
  for (const auto& [user, entry] : s.users) {
    if (entry.groups.count(std::string(name)) != 0) info.members.push_back(user);
  }
  return info;
}

PolicyInfo ToPolicyInfo(const IamState& s, std::string_view name, const PolicyEntry& p) {
  PolicyInfo info{std::string(name), p.document, p.created, p.updated, 0};
  const std::string key(name);
  for (const auto& [n, u] : s.users) info.attachments += u.policies.count(key);
  for (const auto& [n, g] : s.groups) info.attachments += g.policies.count(key);
  return info;
}

metadata::IamRecordWrite PutUser(std::string_view name, const UserEntry& u) {
  return {internal::kUserKind, std::string(name), internal::EncodeUser(u)};
}

metadata::IamRecordWrite PutGroup(std::string_view name, const GroupEntry& g) {
  return {internal::kGroupKind, std::string(name), internal::EncodeGroup(g)};
}

}  // namespace

absl::StatusOr<GroupInfo> IamStore::CreateGroup(std::string_view name) {
  SB_RETURN_IF_ERROR(internal::ValidateName("group", name, kMaxGroupName));
  absl::MutexLock write_lock(&write_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (internal::ContainsIgnoringCase(state_.groups, name)) {
      return internal::AlreadyExists("group", name);
    }
  }
  GroupEntry group;
  group.created = clock_.Now();
  SB_RETURN_IF_ERROR(Commit({PutGroup(name, group)},
                            [&](IamState& s) { s.groups.emplace(std::string(name), group); }));
  return GroupInfo{std::string(name), group.created, {}, {}};
}

absl::Status IamStore::DeleteGroup(std::string_view name) {
  absl::MutexLock write_lock(&write_mu_);
  const std::string key(name);
  std::vector<metadata::IamRecordWrite> writes = {{internal::kGroupKind, key, std::nullopt}};
  std::vector<std::string> members;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.groups.find(name) == state_.groups.end())
      return internal::NoSuchEntity("group", name);
    for (const auto& [user, entry] : state_.users) {
      if (entry.groups.count(key) == 0) continue;
      UserEntry updated = entry;
      updated.groups.erase(key);
      writes.push_back(PutUser(user, updated));
      members.push_back(user);
    }
  }
  return Commit(std::move(writes), [&](IamState& s) {
    s.groups.erase(key);
    for (const auto& user : members) s.users.find(user)->second.groups.erase(key);
  });
}

absl::StatusOr<GroupInfo> IamStore::GetGroup(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = state_.groups.find(name);
  if (it == state_.groups.end()) return internal::NoSuchEntity("group", name);
  return ToGroupInfo(state_, name, it->second);
}

std::vector<GroupInfo> IamStore::ListGroups() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<GroupInfo> out;
  for (const auto& [name, group] : state_.groups) out.push_back(ToGroupInfo(state_, name, group));
  return out;
}

absl::Status IamStore::AddUserToGroup(std::string_view group, std::string_view user) {
  absl::MutexLock write_lock(&write_mu_);
  UserEntry entry;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.groups.find(group) == state_.groups.end()) {
      return internal::NoSuchEntity("group", group);
    }
    auto it = state_.users.find(user);
    if (it == state_.users.end()) return internal::NoSuchEntity("user", user);
    entry = it->second;
  }
  if (!entry.groups.emplace(group).second) return absl::OkStatus();
  return Commit({PutUser(user, entry)},
                [&](IamState& s) { s.users.find(user)->second.groups.emplace(group); });
}

absl::Status IamStore::RemoveUserFromGroup(std::string_view group, std::string_view user) {
  absl::MutexLock write_lock(&write_mu_);
  UserEntry entry;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.groups.find(group) == state_.groups.end()) {
      return internal::NoSuchEntity("group", group);
    }
    auto it = state_.users.find(user);
    if (it == state_.users.end()) return internal::NoSuchEntity("user", user);
    entry = it->second;
  }
  if (entry.groups.erase(std::string(group)) == 0) return absl::OkStatus();
  return Commit({PutUser(user, entry)},
                [&](IamState& s) { s.users.find(user)->second.groups.erase(std::string(group)); });
}

absl::StatusOr<PolicyInfo> IamStore::PutPolicy(std::string_view name, std::string_view document) {
  SB_RETURN_IF_ERROR(internal::ValidateName("policy", name, kMaxPolicyName));
  SB_ASSIGN_OR_RETURN(std::shared_ptr<const eval::Policy> parsed,
                      internal::ParseManagedPolicy(document));
  absl::MutexLock write_lock(&write_mu_);
  PolicyEntry policy;
  policy.document = std::string(document);
  policy.updated = clock_.Now();
  policy.created = policy.updated;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.policies.find(name);
    if (it != state_.policies.end()) {
      policy.created = it->second.created;  // an update keeps the creation time
    } else if (internal::ContainsIgnoringCase(state_.policies, name)) {
      return internal::AlreadyExists("policy", name);
    }
  }
  policy.parsed = std::move(parsed);
  SB_RETURN_IF_ERROR(
      Commit({{internal::kPolicyKind, std::string(name), internal::EncodePolicy(policy)}},
             [&](IamState& s) { s.policies.insert_or_assign(std::string(name), policy); }));
  absl::ReaderMutexLock lock(&mu_);
  return ToPolicyInfo(state_, name, policy);
}

absl::Status IamStore::DeletePolicy(std::string_view name) {
  absl::MutexLock write_lock(&write_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = state_.policies.find(name);
    if (it == state_.policies.end()) return internal::NoSuchEntity("policy", name);
    size_t attachments = ToPolicyInfo(state_, name, it->second).attachments;
    if (attachments != 0) {
      return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kDeleteConflict,
                       absl::StrCat("policy ", std::string(name), " is attached to ", attachments,
                                    " users or groups; detach it first"));
    }
  }
  return Commit({{internal::kPolicyKind, std::string(name), std::nullopt}},
                [&](IamState& s) { s.policies.erase(s.policies.find(name)); });
}

absl::StatusOr<PolicyInfo> IamStore::GetPolicy(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = state_.policies.find(name);
  if (it == state_.policies.end()) return internal::NoSuchEntity("policy", name);
  return ToPolicyInfo(state_, name, it->second);
}

std::vector<PolicyInfo> IamStore::ListPolicies() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<PolicyInfo> out;
  for (const auto& [name, p] : state_.policies) out.push_back(ToPolicyInfo(state_, name, p));
  return out;
}

absl::Status IamStore::AttachUserPolicy(std::string_view user, std::string_view policy) {
  return SetPolicyAttachment(false, user, policy, true);
}
absl::Status IamStore::DetachUserPolicy(std::string_view user, std::string_view policy) {
  return SetPolicyAttachment(false, user, policy, false);
}
absl::Status IamStore::AttachGroupPolicy(std::string_view group, std::string_view policy) {
  return SetPolicyAttachment(true, group, policy, true);
}
absl::Status IamStore::DetachGroupPolicy(std::string_view group, std::string_view policy) {
  return SetPolicyAttachment(true, group, policy, false);
}

absl::Status IamStore::SetPolicyAttachment(bool group, std::string_view owner,
                                           std::string_view policy, bool attach) {
  absl::MutexLock write_lock(&write_mu_);
  const std::string name(policy);
  std::set<std::string> policies;
  metadata::IamRecordWrite write;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (state_.policies.find(policy) == state_.policies.end()) {
      return internal::NoSuchEntity("policy", policy);
    }
    if (group) {
      auto it = state_.groups.find(owner);
      if (it == state_.groups.end()) return internal::NoSuchEntity("group", owner);
      GroupEntry entry = it->second;
      bool changed = attach ? entry.policies.insert(name).second : entry.policies.erase(name) != 0;
      if (!changed) return absl::OkStatus();
      policies = entry.policies;
      write = PutGroup(owner, entry);
    } else {
      auto it = state_.users.find(owner);
      if (it == state_.users.end()) return internal::NoSuchEntity("user", owner);
      UserEntry entry = it->second;
      bool changed = attach ? entry.policies.insert(name).second : entry.policies.erase(name) != 0;
      if (!changed) return absl::OkStatus();
      policies = entry.policies;
      write = PutUser(owner, entry);
    }
  }
  return Commit({std::move(write)}, [&](IamState& s) {
    if (group) {
      s.groups.find(owner)->second.policies = policies;
    } else {
      s.users.find(owner)->second.policies = policies;
    }
  });
}

absl::StatusOr<std::vector<NamedPolicy>> IamStore::PoliciesForUser(std::string_view user) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = state_.users.find(user);
  if (it == state_.users.end()) return internal::NoSuchEntity("user", user);
  std::vector<NamedPolicy> out;
  auto add = [&](const std::string& name) {
    for (const NamedPolicy& p : out) {
      if (p.name == name) return;
    }
    auto policy = state_.policies.find(name);
    if (policy != state_.policies.end()) out.push_back({name, policy->second.parsed});
  };
  for (const std::string& name : it->second.policies) add(name);
  for (const std::string& group : it->second.groups) {
    auto g = state_.groups.find(group);
    if (g == state_.groups.end()) continue;
    for (const std::string& name : g->second.policies) add(name);
  }
  return out;
}

}  // namespace sb::policy::iam
