// Policy evaluation: identity, bucket and session policies → allow / deny, and which
// statement decided. AWS logic ("Policy evaluation logic"): an explicit Deny anywhere wins;
// otherwise an Allow from an identity policy, or from the bucket policy for a matching
// principal, allows; a session policy, when given, must also allow; otherwise implicit deny.
// Pure functions over immutable inputs; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/eval/context.h"
#include "policy/eval/policy.h"

namespace sb::policy::eval {

enum class DecisionKind : uint8_t { kAllow, kExplicitDeny, kImplicitDeny };

// Which policy decided: kRoot is the account root's implicit full access; for an implicit
// deny, the source (if any) is the policy whose Allow was missing (kSession: the session
// policy did not allow; kIdentity / kBucket: a cross-account request lacked that half).
enum class PolicySource : uint8_t { kNone, kIdentity, kBucket, kSession, kRoot };

struct Decision {
  bool allowed = false;
  DecisionKind kind = DecisionKind::kImplicitDeny;
  PolicySource source = PolicySource::kNone;
  int policy_index = -1;     // index in the identity or session list; 0 for the bucket policy
  std::string policy_id;     // the deciding policy's Id element (may be empty)
  int statement_index = -1;  // index in the policy's Statement array
  std::string sid;           // the deciding statement's Sid (may be empty)

  // One line for logs and audit, e.g.
  // `explicit deny by bucket policy statement 1 (Sid "DenyHttp")`.
  std::string ToString() const;
};

// How a statement's Principal / NotPrincipal relates to the requester.
enum class PrincipalMatch : uint8_t {
  kNotApplicable,  // identity / session policy
  kNo,
  kAccount,  // an account principal matched a non-root identity of that account: a Deny
             // applies; an Allow only delegates to the account's own policies
  kYes,
};

struct ConditionTrace {
  std::string op;   // as written, e.g. "ForAnyValue:StringLike"
  std::string key;  // as written
  bool key_present = false;
  bool result = false;
};

struct StatementTrace {
  PolicySource source = PolicySource::kNone;
  int policy_index = -1;
  std::string policy_id;
  int statement_index = -1;
  std::string sid;
  Effect effect = Effect::kDeny;
  bool action_matched = false;                                // after applying NotAction
  bool resource_matched = false;                              // after applying NotResource
  PrincipalMatch principal = PrincipalMatch::kNotApplicable;  // after applying NotPrincipal
  std::vector<ConditionTrace> conditions;
  bool conditions_matched = false;
  bool applies = false;  // everything matched (an account-only Allow match counts)
};

struct Explanation {
  Decision decision;
  std::vector<StatementTrace> statements;  // every statement, in evaluation order
};

// Decides `request`. Null entries in the vectors (and a null bucket_policy) are skipped. An
// empty `session_policies` means "no session policy" (no extra restriction). Root is allowed
// unless explicitly denied; anonymous requests can only be allowed by the bucket policy.
Decision Evaluate(const EvalRequest& request, const std::vector<const Policy*>& identity_policies,
                  const Policy* bucket_policy, const std::vector<const Policy*>& session_policies);

// As Evaluate, but evaluates every statement fully and records why each did or did not
// apply, for the admin `simulate` call. Slower; not for the request path.
Explanation Explain(const EvalRequest& request, const std::vector<const Policy*>& identity_policies,
                    const Policy* bucket_policy,
                    const std::vector<const Policy*>& session_policies);

// Renders an Explanation as JSON for the admin API (stable field names, see
// docs/security.md).
std::string ExplanationToJson(const Explanation& explanation);

std::string_view DecisionKindName(DecisionKind kind);       // "Allow", "ExplicitDeny", ...
std::string_view PolicySourceName(PolicySource source);     // "identity", "bucket", ...
std::string_view PrincipalMatchName(PrincipalMatch match);  // "n/a", "no", "account", "yes"

}  // namespace sb::policy::eval
