// Authorizer: decides whether a principal may perform an action on a resource, and says
// which rule decided. AWS semantics through policy/eval: an explicit Deny anywhere wins (the
// root credential included), then an Allow from the user's identity policies (its own
// managed policies and its groups') or from the bucket policy, else implicit deny. Root is
// allowed unless explicitly denied; anonymous requests only through the bucket policy.
// Administrative actions ("admin:*") are for the root credential only, except the read-only
// kPrometheusAction (scraping /_strongbox/metrics), which identity policies may grant. Root
// can always Get/Put/DeleteBucketPolicy (AWS's protection against a policy that locks
// everyone out).
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "policy/bucket_policy.h"
#include "policy/eval/context.h"
#include "policy/eval/evaluator.h"
#include "policy/iam/iam_store.h"
#include "policy/identity.h"

namespace sb::policy {

// Reading the metrics endpoint; the one admin action identity policies can grant.
inline constexpr std::string_view kPrometheusAction = "admin:Prometheus";

struct Decision {
  bool allowed = false;
  // Which rule decided; goes into the audit record. "root" (the root's implicit access),
  // "implicit-deny", "admin-requires-root", "policy:<managed policy>#<sid or statement
  // index>", "bucket-policy:<bucket>#<sid or statement index>" or (a restricted key's own
  // policy denying) "access-key-policy:<key id>#<sid or statement index>".
  std::string decided_by;
  std::string policy_id;     // the deciding managed policy, "bucket-policy:<bucket>" or
                             // "access-key-policy:<key id>"
  std::string statement_id;  // the deciding statement's Sid (may be empty)
};

struct AuthzRequest {
  const Principal* principal = nullptr;
  std::string_view action;    // IAM action, "s3:GetObject"
  std::string_view resource;  // ARN, "arn:aws:s3:::b/k"
  std::string_view bucket;    // whose bucket policy applies; empty: none
  // Request condition keys (aws:SourceIp, s3:prefix, ...). The keys derived from the
  // principal and the clock (aws:username, aws:CurrentTime, ...) are set by the Authorizer.
  eval::ContextMap context;
  // The tags of the object the request acts on, for s3:ExistingObjectTag/<key>. Called (at
  // most once) only when a policy in play reads such a key, so requests under policies that
  // never do cost no lookup. NotFound means there is no such object: no tags. Any other
  // error fails the authorization (the caller refuses the request).
  std::function<absl::StatusOr<std::vector<std::pair<std::string, std::string>>>()>
      existing_object_tags;
};

// What `simulate` returns: the full trace plus the names behind its policy indexes.
struct Simulation {
  Decision decision;
  eval::Explanation explanation;
  std::vector<std::string> identity_policies;  // explanation's identity policy_index → name
  bool has_bucket_policy = false;
};

class Authorizer {
 public:
  // Root only: root allowed, everyone else implicitly denied (no IAM, no bucket policies).
  Authorizer() = default;
  // `iam` and `bucket_policies` may be null; all must outlive the Authorizer.
  Authorizer(const iam::IamStore* iam, const BucketPolicyCache* bucket_policies, const Clock* clock)
      : iam_(iam), bucket_policies_(bucket_policies), clock_(clock) {}

  // Errors only from reading the bucket policy (metadata errors, DataLoss for a stored
  // policy that no longer parses); the caller must then refuse the request.
  absl::StatusOr<Decision> Authorize(const AuthzRequest& request) const;
  // Without bucket or request context; a failure to decide is a deny.
  Decision Authorize(const Principal& principal, std::string_view action,
                     std::string_view resource) const;

  // As Authorize, but evaluates every statement and explains (the admin `simulate` call).
  absl::StatusOr<Simulation> Simulate(const AuthzRequest& request) const;

 private:
  struct Inputs;
  absl::StatusOr<Inputs> Gather(const AuthzRequest& request) const;

  const iam::IamStore* iam_ = nullptr;
  const BucketPolicyCache* bucket_policies_ = nullptr;
  const Clock* clock_ = nullptr;
};

}  // namespace sb::policy
