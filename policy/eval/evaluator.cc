#include "policy/eval/evaluator.h"

#include <utility>

#include "policy/eval/internal/cat.h"

namespace sb::policy::eval {
namespace {

// The statement that produced an outcome.
struct Hit {
  PolicySource source = PolicySource::kNone;
  int policy_index = -1;
  const Policy* policy = nullptr;
  int statement_index = -1;
};

PrincipalMatch MatchSpec(const PrincipalSpec& spec, const EvalRequest& r) {
  if (spec.any) return PrincipalMatch::kYes;
  if (r.anonymous()) return PrincipalMatch::kNo;
  for (const std::string& arn : spec.arns) {
    if (!r.principal_arn.empty() && arn == r.principal_arn) return PrincipalMatch::kYes;
  }
  for (const std::string& s : spec.services) {
    if (!r.service.empty() && s == r.service) return PrincipalMatch::kYes;
  }
  for (const std::string& c : spec.canonical_users) {
    if (!r.canonical_user_id.empty() && c == r.canonical_user_id) return PrincipalMatch::kYes;
  }
  for (const std::string& a : spec.accounts) {
    if (!r.account.empty() && a == r.account) {
      return r.is_root ? PrincipalMatch::kYes : PrincipalMatch::kAccount;
    }
  }
  return PrincipalMatch::kNo;
}

PrincipalMatch MatchPrincipal(const Statement& st, const EvalRequest& r) {
  if (!st.principal.has_value()) return PrincipalMatch::kNotApplicable;
  PrincipalMatch m = MatchSpec(*st.principal, r);
  if (!st.not_principal) return m;
  // NotPrincipal excludes exactly the listed principals; an account entry excludes the
  // account's root only, so a Deny with NotPrincipal still covers the account's users.
  return m == PrincipalMatch::kYes ? PrincipalMatch::kNo : PrincipalMatch::kYes;
}

bool MatchActions(const Statement& st, std::string_view action) {
  bool any = false;
  for (const Pattern& p : st.actions) {
    if (p.Matches(action, nullptr)) {
      any = true;
      break;
    }
  }
  return any != st.not_action;
}

bool MatchResources(const Statement& st, const EvalRequest& r) {
  bool any = false;
  for (const ArnPattern& p : st.resources) {
    if (p.Matches(r.resource, &r.context)) {
      any = true;
      break;
    }
  }
  return any != st.not_resource;
}

// One evaluation: scans statements and remembers the first hit of each kind.
class Run {
 public:
  Run(const EvalRequest& r, std::vector<StatementTrace>* trace) : r_(r), trace_(trace) {}

  // Returns false once an explicit deny is known and no trace is wanted (nothing can change).
  bool Scan(const Policy* policy, PolicySource source, int index) {
    if (policy == nullptr) return true;
    for (size_t i = 0; i < policy->statements.size(); ++i) {
      const Statement& st = policy->statements[i];
      PrincipalMatch pm = PrincipalMatch::kNotApplicable;
      if (!Applies(st, policy, source, index, static_cast<int>(i), &pm)) continue;
      Hit hit{source, index, policy, static_cast<int>(i)};
      if (st.effect == Effect::kDeny) {
        if (!deny_) deny_ = hit;
        if (trace_ == nullptr) return false;
        continue;
      }
      if (source == PolicySource::kIdentity && !identity_allow_) identity_allow_ = hit;
      if (source == PolicySource::kSession && !session_allow_) session_allow_ = hit;
      if (source == PolicySource::kBucket) {
        if (pm == PrincipalMatch::kAccount) {
          if (!bucket_delegated_) bucket_delegated_ = hit;
        } else if (!bucket_allow_) {
          bucket_allow_ = hit;
        }
      }
    }
    return true;
  }

  Decision Decide(bool has_session_policies) const {
    if (deny_) return Make(DecisionKind::kExplicitDeny, *deny_);
    const bool anonymous = r_.anonymous();
    const bool cross_account = !anonymous && !r_.resource_account.empty() && !r_.account.empty() &&
                               r_.resource_account != r_.account;
    std::optional<Hit> grant;
    Decision missing;  // implicit deny, with the missing half when known
    if (cross_account) {
      // Both the principal's account (identity policy, or root) and the resource owner
      // (bucket policy, possibly via account delegation) must allow.
      std::optional<Hit> bucket = bucket_allow_ ? bucket_allow_ : bucket_delegated_;
      if (!bucket) {
        missing.source = PolicySource::kBucket;
      } else if (!r_.is_root && !identity_allow_) {
        missing.source = PolicySource::kIdentity;
      } else {
        grant = bucket;
      }
    } else if (r_.is_root) {
      grant = Hit{PolicySource::kRoot};
    } else if (identity_allow_ && !anonymous) {
      grant = identity_allow_;
    } else if (bucket_allow_) {
      grant = bucket_allow_;
    }
    if (!grant) return missing;
    if (has_session_policies && !session_allow_) {
      Decision d;
      d.source = PolicySource::kSession;
      return d;
    }
    return Make(DecisionKind::kAllow, *grant);
  }

 private:
  bool Applies(const Statement& st, const Policy* policy, PolicySource source, int index, int i,
               PrincipalMatch* pm) {
    const bool full = trace_ != nullptr;
    bool action = MatchActions(st, r_.action);
    bool resource = (action || full) && MatchResources(st, r_);
    *pm = (action && resource) || full ? MatchPrincipal(st, r_) : PrincipalMatch::kNo;
    bool principal = *pm != PrincipalMatch::kNo;
    if (!full && !(action && resource && principal)) return false;
    StatementTrace* t = nullptr;
    if (full) {
      t = &trace_->emplace_back();
      t->source = source;
      t->policy_index = index;
      t->policy_id = policy->id;
      t->statement_index = i;
      t->sid = st.sid;
      t->effect = st.effect;
      t->action_matched = action;
      t->resource_matched = resource;
      t->principal = *pm;
    }
    bool conditions = true;
    for (const Condition& c : st.conditions) {
      bool ok = c.Evaluate(r_.context);
      if (t != nullptr) {
        t->conditions.push_back(ConditionTrace{
            c.op_name(), c.key(), FindContextValues(r_.context, c.key()) != nullptr, ok});
      }
      if (!ok) {
        conditions = false;
        if (t == nullptr) break;
      }
    }
    bool applies = action && resource && principal && conditions;
    if (t != nullptr) {
      t->conditions_matched = conditions;
      t->applies = applies;
    }
    return applies;
  }

  static Decision Make(DecisionKind kind, const Hit& hit) {
    Decision d;
    d.kind = kind;
    d.allowed = kind == DecisionKind::kAllow;
    d.source = hit.source;
    d.policy_index = hit.policy_index;
    d.statement_index = hit.statement_index;
    if (hit.policy != nullptr) {
      d.policy_id = hit.policy->id;
      d.sid = hit.policy->statements[hit.statement_index].sid;
    }
    return d;
  }

  const EvalRequest& r_;
  std::vector<StatementTrace>* trace_;
  std::optional<Hit> deny_, identity_allow_, bucket_allow_, bucket_delegated_, session_allow_;
};

bool AnyPolicy(const std::vector<const Policy*>& policies) {
  for (const Policy* p : policies) {
    if (p != nullptr) return true;
  }
  return false;
}

Decision EvaluateImpl(const EvalRequest& r, const std::vector<const Policy*>& identity,
                      const Policy* bucket, const std::vector<const Policy*>& session,
                      std::vector<StatementTrace>* trace) {
  Run run(r, trace);
  bool go = true;
  for (size_t i = 0; go && i < identity.size(); ++i) {
    go = run.Scan(identity[i], PolicySource::kIdentity, static_cast<int>(i));
  }
  if (go) go = run.Scan(bucket, PolicySource::kBucket, 0);
  for (size_t i = 0; go && i < session.size(); ++i) {
    go = run.Scan(session[i], PolicySource::kSession, static_cast<int>(i));
  }
  return run.Decide(AnyPolicy(session));
}

}  // namespace

Decision Evaluate(const EvalRequest& request, const std::vector<const Policy*>& identity_policies,
                  const Policy* bucket_policy, const std::vector<const Policy*>& session_policies) {
  return EvaluateImpl(request, identity_policies, bucket_policy, session_policies, nullptr);
}

Explanation Explain(const EvalRequest& request, const std::vector<const Policy*>& identity_policies,
                    const Policy* bucket_policy,
                    const std::vector<const Policy*>& session_policies) {
  Explanation e;
  e.decision =
      EvaluateImpl(request, identity_policies, bucket_policy, session_policies, &e.statements);
  return e;
}

std::string_view DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kAllow:
      return "Allow";
    case DecisionKind::kExplicitDeny:
      return "ExplicitDeny";
    case DecisionKind::kImplicitDeny:
      return "ImplicitDeny";
  }
  return "?";
}

std::string_view PolicySourceName(PolicySource source) {
  switch (source) {
    case PolicySource::kNone:
      return "none";
    case PolicySource::kIdentity:
      return "identity";
    case PolicySource::kBucket:
      return "bucket";
    case PolicySource::kSession:
      return "session";
    case PolicySource::kRoot:
      return "root";
  }
  return "?";
}

std::string_view PrincipalMatchName(PrincipalMatch match) {
  switch (match) {
    case PrincipalMatch::kNotApplicable:
      return "n/a";
    case PrincipalMatch::kNo:
      return "no";
    case PrincipalMatch::kAccount:
      return "account";
    case PrincipalMatch::kYes:
      return "yes";
  }
  return "?";
}

std::string Decision::ToString() const {
  using internal::Cat;
  if (kind == DecisionKind::kAllow && source == PolicySource::kRoot) return "allow: account root";
  if (kind == DecisionKind::kImplicitDeny) {
    switch (source) {
      case PolicySource::kSession:
        return "implicit deny: the session policy does not allow this request";
      case PolicySource::kBucket:
        return "implicit deny: cross-account request not allowed by the bucket policy";
      case PolicySource::kIdentity:
        return "implicit deny: cross-account request not allowed by an identity policy";
      default:
        return "implicit deny: no statement allows this request";
    }
  }
  std::string out = Cat(kind == DecisionKind::kAllow ? "allow by " : "explicit deny by ",
                        PolicySourceName(source), " policy");
  if (source != PolicySource::kBucket) out += Cat(" #", policy_index);
  if (!policy_id.empty()) out += Cat(" (Id \"", policy_id, "\")");
  out += Cat(" statement ", statement_index);
  if (!sid.empty()) out += Cat(" (Sid \"", sid, "\")");
  return out;
}

}  // namespace sb::policy::eval
