// One compiled condition of a policy statement: operator (with optional ForAnyValue: /
// ForAllValues: qualifier and IfExists suffix), context key, and the policy values parsed into
// their types (patterns, numbers, dates, CIDRs...) at parse time. Semantics follow the IAM
// reference "Condition operators" and "Single-valued vs. multivalued context keys".
// Immutable after Create(); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "policy/eval/context.h"
#include "policy/eval/pattern.h"
#include "policy/eval/values.h"

namespace sb::policy::eval {

enum class ConditionOp : uint8_t {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kNotIpAddress,
  kArnEquals,
  kArnLike,
  kArnNotEquals,
  kArnNotLike,
  kNull,
};

enum class SetQualifier : uint8_t { kNone, kForAnyValue, kForAllValues };

struct OperatorSpec {
  ConditionOp op = ConditionOp::kStringEquals;
  SetQualifier qualifier = SetQualifier::kNone;
  bool if_exists = false;
};

// Parses "ForAnyValue:StringLikeIfExists" and the like (names are matched case-insensitively).
// InvalidArgument for an unknown operator, "NullIfExists" (AWS: IfExists is not allowed on
// Null) or a qualifier on Null.
absl::StatusOr<OperatorSpec> ParseOperator(std::string_view name);

// The base operator's canonical name, e.g. "StringNotLike".
std::string_view OperatorName(ConditionOp op);

// True for the negated operators (StringNotEquals, NotIpAddress, ArnNotLike...).
bool IsNegated(ConditionOp op);

class Condition {
 public:
  // Compiles `values` for the operator `op_name` on `key`. `variables` enables ${...} in the
  // values of string and ARN operators (policy version 2012-10-17). InvalidArgument with a
  // precise message if a value does not parse as the operator's type (number, date, bool,
  // base64, CIDR) or the list is empty.
  static absl::StatusOr<Condition> Create(std::string_view op_name, std::string_view key,
                                          std::vector<std::string> values, bool variables);

  // Evaluates against the request context. Policy values are OR'ed; for a present key,
  // negated operators are the negation of their positive form. A missing (or empty) key gives:
  // IfExists → true; ForAllValues → true; ForAnyValue → false; negated → true; else false.
  // Null tests presence only. ForAnyValue / ForAllValues apply the (possibly negated)
  // operator to each request value and need any / all of them to hold.
  bool Evaluate(const ContextMap& context) const;

  const std::string& op_name() const { return op_name_; }  // as written
  const std::string& key() const { return key_; }          // as written
  const std::vector<std::string>& values() const { return raw_values_; }
  const OperatorSpec& spec() const { return spec_; }

 private:
  using Value = std::variant<Pattern, ArnPattern, double, absl::Time, bool, std::string, IpRange>;

  // True if the single request value `v` matches policy value `p` (positive form).
  bool MatchOne(const Value& p, std::string_view v, const ContextMap& context) const;
  bool MatchAny(std::string_view v, const ContextMap& context) const;

  std::string op_name_;
  std::string key_;
  std::vector<std::string> raw_values_;
  OperatorSpec spec_;
  bool negated_ = false;
  std::vector<Value> values_;
};

}  // namespace sb::policy::eval
