// Helpers shared by the policy_eval tests: parse-or-fail and request builders.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/eval/evaluator.h"
#include "policy/eval/policy.h"

namespace sb::policy::eval::testing {

// Parses `json` or records a test failure (and returns an empty policy).
inline Policy MustParse(std::string_view json, PolicyKind kind = PolicyKind::kIdentity) {
  absl::StatusOr<Policy> p = ParsePolicy(json, ParseOptions{.kind = kind});
  if (!p.ok()) {
    ADD_FAILURE() << "policy did not parse: " << p.status() << "\n" << json;
    return Policy{};
  }
  return *std::move(p);
}

inline Policy MustParseBucket(std::string_view json) {
  return MustParse(json, PolicyKind::kBucket);
}

// The parse error message, or "" (with a test failure) if `json` parsed.
inline std::string ParseError(std::string_view json, PolicyKind kind = PolicyKind::kIdentity) {
  absl::StatusOr<Policy> p = ParsePolicy(json, ParseOptions{.kind = kind});
  if (p.ok()) {
    ADD_FAILURE() << "policy parsed but should not have:\n" << json;
    return "";
  }
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

inline ContextMap Ctx(
    std::initializer_list<std::pair<std::string, std::vector<std::string>>> entries) {
  ContextMap m;
  for (const auto& [k, v] : entries) m[k] = v;
  return m;
}

// An IAM user `name` of account 111122223333.
inline EvalRequest UserRequest(std::string name, std::string action, std::string resource) {
  EvalRequest r;
  r.account = "111122223333";
  r.principal_arn = "arn:aws:iam::111122223333:user/" + name;
  r.user = std::move(name);
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

inline EvalRequest AnonymousRequest(std::string action, std::string resource) {
  EvalRequest r;
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

inline EvalRequest RootRequest(std::string action, std::string resource) {
  EvalRequest r;
  r.account = "111122223333";
  r.principal_arn = "arn:aws:iam::111122223333:root";
  r.is_root = true;
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

inline Decision Eval(const EvalRequest& r, std::vector<const Policy*> identity,
                     const Policy* bucket = nullptr, std::vector<const Policy*> session = {}) {
  return Evaluate(r, identity, bucket, session);
}

}  // namespace sb::policy::eval::testing
