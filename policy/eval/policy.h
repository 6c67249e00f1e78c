// The IAM policy language AST and its parser: identity policies, bucket (resource) policies
// and session policies as JSON → Policy, with wildcards, variables, dates and CIDRs compiled
// up front so evaluation does no parsing. A parsed Policy is immutable; share it freely
// between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/eval/condition.h"
#include "policy/eval/pattern.h"

namespace sb::policy::eval {

enum class Effect : uint8_t { kAllow, kDeny };
enum class PolicyVersion : uint8_t { k2008_10_17, k2012_10_17 };

// Where a policy is attached. Identity and session policies must not name a Principal;
// bucket policies must (Principal or NotPrincipal).
enum class PolicyKind : uint8_t { kIdentity, kBucket, kSession };

// The Principal / NotPrincipal element of a bucket policy statement.
struct PrincipalSpec {
  bool any = false;                          // "*" or {"AWS": "*"}: everyone, anonymous too
  std::vector<std::string> arns;             // exact principal ARNs (users, roles, sessions)
  std::vector<std::string> accounts;         // "111122223333" or "arn:aws:iam::…:root"
  std::vector<std::string> services;         // {"Service": "logging.s3.amazonaws.com"}
  std::vector<std::string> canonical_users;  // {"CanonicalUser": "…"}
  std::vector<std::string> federated;        // parsed, never matched (no federation yet)
};

struct Statement {
  std::string sid;
  Effect effect = Effect::kDeny;
  std::optional<PrincipalSpec> principal;  // Principal or NotPrincipal; unset for identity
  bool not_principal = false;
  std::vector<Pattern> actions;  // case-insensitive ("s3:get*" matches s3:GetObject)
  bool not_action = false;
  std::vector<ArnPattern> resources;  // case-sensitive ARN patterns
  bool not_resource = false;
  std::vector<Condition> conditions;  // AND'ed
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  // A missing Version means 2008-10-17, where ${...} is literal text (as AWS does).
  PolicyVersion version = PolicyVersion::k2008_10_17;
  std::string id;  // the Id element, may be empty
  std::vector<Statement> statements;
};

struct ParseOptions {
  PolicyKind kind = PolicyKind::kIdentity;
  // Documents larger than this (bytes, as given) are refused. AWS: bucket policies 20 KiB;
  // IAM managed policies 6,144 characters; inline user policies 2,048.
  size_t max_size_bytes = 20 * 1024;
};

// Parses and validates a policy document. Returns InvalidArgument (ErrorReason
// kInvalidArgument) with a message naming the offending element for: oversize documents,
// malformed JSON or duplicate object keys, unknown elements, an unsupported Version, a
// missing or unknown Effect, both or neither of Action/NotAction (and Resource/NotResource),
// a Principal in an identity/session policy or none in a bucket policy, duplicate Sids,
// unknown condition operators, and condition values that do not parse for their operator.
absl::StatusOr<Policy> ParsePolicy(std::string_view json, const ParseOptions& options = {});

// True if any condition of `policy` names a context key starting with `prefix` (ASCII
// case-insensitive), e.g. "s3:ExistingObjectTag/": lets callers skip gathering context that
// costs a lookup when no policy in play can read it.
bool ReferencesContextKeyPrefix(const Policy& policy, std::string_view prefix);

}  // namespace sb::policy::eval
