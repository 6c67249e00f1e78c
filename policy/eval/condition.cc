#include "policy/eval/condition.h"

#include <iterator>
#include <utility>

#include "absl/strings/escaping.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "policy/eval/internal/cat.h"

namespace sb::policy::eval {
namespace {

struct OpInfo {
  std::string_view name;
  ConditionOp op;
  bool negated;
};

constexpr OpInfo kOps[] = {
    {"StringEquals", ConditionOp::kStringEquals, false},
    {"StringNotEquals", ConditionOp::kStringNotEquals, true},
    {"StringEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", ConditionOp::kStringNotEqualsIgnoreCase, true},
    {"StringLike", ConditionOp::kStringLike, false},
    {"StringNotLike", ConditionOp::kStringNotLike, true},
    {"NumericEquals", ConditionOp::kNumericEquals, false},
    {"NumericNotEquals", ConditionOp::kNumericNotEquals, true},
    {"NumericLessThan", ConditionOp::kNumericLessThan, false},
    {"NumericLessThanEquals", ConditionOp::kNumericLessThanEquals, false},
    {"NumericGreaterThan", ConditionOp::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionOp::kNumericGreaterThanEquals, false},
    {"DateEquals", ConditionOp::kDateEquals, false},
    {"DateNotEquals", ConditionOp::kDateNotEquals, true},
    {"DateLessThan", ConditionOp::kDateLessThan, false},
    {"DateLessThanEquals", ConditionOp::kDateLessThanEquals, false},
    {"DateGreaterThan", ConditionOp::kDateGreaterThan, false},
    {"DateGreaterThanEquals", ConditionOp::kDateGreaterThanEquals, false},
    {"Bool", ConditionOp::kBool, false},
    {"BinaryEquals", ConditionOp::kBinaryEquals, false},
    {"IpAddress", ConditionOp::kIpAddress, false},
    {"NotIpAddress", ConditionOp::kNotIpAddress, true},
    {"ArnEquals", ConditionOp::kArnEquals, false},
    {"ArnLike", ConditionOp::kArnLike, false},
    {"ArnNotEquals", ConditionOp::kArnNotEquals, true},
    {"ArnNotLike", ConditionOp::kArnNotLike, true},
    {"Null", ConditionOp::kNull, false},
};

// Info() indexes kOps by enumerator value.
constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < std::size(kOps); ++i) {
    if (static_cast<size_t>(kOps[i].op) != i) return false;
  }
  return std::size(kOps) == static_cast<size_t>(ConditionOp::kNull) + 1;
}
static_assert(TableInEnumOrder(), "kOps must list every ConditionOp in enum order");

const OpInfo& Info(ConditionOp op) { return kOps[static_cast<int>(op)]; }

absl::Status Invalid(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

bool ConsumePrefixIgnoreCase(std::string_view& s, std::string_view prefix) {
  if (s.size() < prefix.size() || !EqualsIgnoreCase(s.substr(0, prefix.size()), prefix)) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

enum class Family { kString, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull };

Family FamilyOf(ConditionOp op) {
  switch (op) {
    case ConditionOp::kStringEquals:
    case ConditionOp::kStringNotEquals:
    case ConditionOp::kStringEqualsIgnoreCase:
    case ConditionOp::kStringNotEqualsIgnoreCase:
    case ConditionOp::kStringLike:
    case ConditionOp::kStringNotLike:
      return Family::kString;
    case ConditionOp::kNumericEquals:
    case ConditionOp::kNumericNotEquals:
    case ConditionOp::kNumericLessThan:
    case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kNumericGreaterThan:
    case ConditionOp::kNumericGreaterThanEquals:
      return Family::kNumeric;
    case ConditionOp::kDateEquals:
    case ConditionOp::kDateNotEquals:
    case ConditionOp::kDateLessThan:
    case ConditionOp::kDateLessThanEquals:
    case ConditionOp::kDateGreaterThan:
    case ConditionOp::kDateGreaterThanEquals:
      return Family::kDate;
    case ConditionOp::kBool:
      return Family::kBool;
    case ConditionOp::kBinaryEquals:
      return Family::kBinary;
    case ConditionOp::kIpAddress:
    case ConditionOp::kNotIpAddress:
      return Family::kIp;
    case ConditionOp::kArnEquals:
    case ConditionOp::kArnLike:
    case ConditionOp::kArnNotEquals:
    case ConditionOp::kArnNotLike:
      return Family::kArn;
    case ConditionOp::kNull:
      return Family::kNull;
  }
  return Family::kNull;
}

// Ordering test shared by the Numeric* and Date* operators: `r` is the request value,
// `p` the policy value.
template <typename T>
bool Compare(ConditionOp op, const T& r, const T& p) {
  switch (op) {
    case ConditionOp::kNumericEquals:
    case ConditionOp::kNumericNotEquals:
    case ConditionOp::kDateEquals:
    case ConditionOp::kDateNotEquals:
      return r == p;
    case ConditionOp::kNumericLessThan:
    case ConditionOp::kDateLessThan:
      return r < p;
    case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kDateLessThanEquals:
      return r <= p;
    case ConditionOp::kNumericGreaterThan:
    case ConditionOp::kDateGreaterThan:
      return r > p;
    case ConditionOp::kNumericGreaterThanEquals:
    case ConditionOp::kDateGreaterThanEquals:
      return r >= p;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<OperatorSpec> ParseOperator(std::string_view name) {
  OperatorSpec spec;
  std::string_view rest = name;
  if (ConsumePrefixIgnoreCase(rest, "ForAnyValue:")) {
    spec.qualifier = SetQualifier::kForAnyValue;
  } else if (ConsumePrefixIgnoreCase(rest, "ForAllValues:")) {
    spec.qualifier = SetQualifier::kForAllValues;
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (rest.size() > kIfExists.size() &&
      EqualsIgnoreCase(rest.substr(rest.size() - kIfExists.size()), kIfExists)) {
    spec.if_exists = true;
    rest.remove_suffix(kIfExists.size());
  }
  for (const OpInfo& info : kOps) {
    if (!EqualsIgnoreCase(rest, info.name)) continue;
    spec.op = info.op;
    if (spec.op == ConditionOp::kNull && spec.if_exists) {
      return Invalid(
          "condition operator \"NullIfExists\" is not allowed: IfExists cannot be "
          "combined with Null");
    }
    if (spec.op == ConditionOp::kNull && spec.qualifier != SetQualifier::kNone) {
      return Invalid(internal::Cat("condition operator \"", std::string(name),
                                   "\": ForAnyValue/ForAllValues cannot be combined with Null"));
    }
    return spec;
  }
  return Invalid(internal::Cat("unknown condition operator \"", std::string(name), "\""));
}

std::string_view OperatorName(ConditionOp op) { return Info(op).name; }

bool IsNegated(ConditionOp op) { return Info(op).negated; }

absl::StatusOr<Condition> Condition::Create(std::string_view op_name, std::string_view key,
                                            std::vector<std::string> values, bool variables) {
  absl::StatusOr<OperatorSpec> spec = ParseOperator(op_name);
  if (!spec.ok()) return spec.status();
  Condition c;
  c.op_name_ = std::string(op_name);
  c.key_ = std::string(key);
  c.spec_ = *spec;
  c.negated_ = IsNegated(spec->op);
  const std::string where = internal::Cat("condition \"", c.op_name_, "\" on key \"", c.key_, "\"");
  if (key.empty()) return Invalid(internal::Cat(where, ": empty condition key"));
  if (values.empty()) return Invalid(internal::Cat(where, ": empty value list"));
  const ConditionOp op = spec->op;
  for (const std::string& v : values) {
    auto bad = [&](std::string_view what) {
      return Invalid(internal::Cat(where, ": value \"", v, "\" is not ", what));
    };
    switch (FamilyOf(op)) {
      case Family::kString: {
        PatternOptions o;
        o.wildcards = op == ConditionOp::kStringLike || op == ConditionOp::kStringNotLike;
        o.variables = variables;
        o.ignore_case = op == ConditionOp::kStringEqualsIgnoreCase ||
                        op == ConditionOp::kStringNotEqualsIgnoreCase;
        absl::StatusOr<Pattern> p = Pattern::Compile(v, o);
        if (!p.ok()) return p.status();
        c.values_.emplace_back(std::in_place_type<Pattern>, *std::move(p));
        break;
      }
      case Family::kArn: {
        absl::StatusOr<ArnPattern> p = ArnPattern::Compile(v, variables);
        if (!p.ok()) return p.status();
        c.values_.emplace_back(std::in_place_type<ArnPattern>, *std::move(p));
        break;
      }
      case Family::kNumeric: {
        std::optional<double> d = ParseNumberValue(v);
        if (!d) return bad("a number");
        c.values_.emplace_back(std::in_place_type<double>, *d);
        break;
      }
      case Family::kDate: {
        std::optional<absl::Time> t = ParseDateValue(v);
        if (!t) return bad("an ISO 8601 date or epoch seconds");
        c.values_.emplace_back(std::in_place_type<absl::Time>, *t);
        break;
      }
      case Family::kBool:
      case Family::kNull: {
        std::optional<bool> b = ParseBoolValue(v);
        if (!b) return bad("\"true\" or \"false\"");
        c.values_.emplace_back(std::in_place_type<bool>, *b);
        break;
      }
      case Family::kBinary: {
        std::string bytes;
        if (!absl::Base64Unescape(AsAbsl(v), &bytes)) return bad("base64");
        c.values_.emplace_back(std::in_place_type<std::string>, std::move(bytes));
        break;
      }
      case Family::kIp: {
        std::optional<IpRange> r = IpRange::Parse(v);
        if (!r) return bad("an IPv4/IPv6 address or CIDR range");
        c.values_.emplace_back(std::in_place_type<IpRange>, *r);
        break;
      }
    }
  }
  c.raw_values_ = std::move(values);
  return c;
}

bool Condition::MatchOne(const Value& p, std::string_view v, const ContextMap& context) const {
  const ConditionOp op = spec_.op;
  switch (FamilyOf(op)) {
    case Family::kString:
      return std::get<Pattern>(p).Matches(v, &context);
    case Family::kArn:
      return std::get<ArnPattern>(p).Matches(v, &context);
    case Family::kNumeric: {
      std::optional<double> r = ParseNumberValue(v);
      return r && Compare(op, *r, std::get<double>(p));
    }
    case Family::kDate: {
      std::optional<absl::Time> r = ParseDateValue(v);
      return r && Compare(op, *r, std::get<absl::Time>(p));
    }
    case Family::kBool: {
      std::optional<bool> r = ParseBoolValue(v);
      return r && *r == std::get<bool>(p);
    }
    case Family::kBinary:
      return v == std::get<std::string>(p);
    case Family::kIp: {
      std::optional<IpAddress> a = IpAddress::Parse(v);
      return a && std::get<IpRange>(p).Contains(*a);
    }
    case Family::kNull:
      return false;  // handled in Evaluate
  }
  return false;
}

bool Condition::MatchAny(std::string_view v, const ContextMap& context) const {
  for (const Value& p : values_) {
    if (MatchOne(p, v, context)) return true;
  }
  return false;
}

bool Condition::Evaluate(const ContextMap& context) const {
  const std::vector<std::string>* request = FindContextValues(context, key_);
  if (spec_.op == ConditionOp::kNull) {
    // "Null": {"k": "true"} holds when k is absent; "false" when it is present.
    const bool absent = request == nullptr;
    for (const Value& p : values_) {
      if (std::get<bool>(p) == absent) return true;
    }
    return false;
  }
  if (request == nullptr) {
    if (spec_.if_exists) return true;
    switch (spec_.qualifier) {
      case SetQualifier::kForAllValues:
        return true;  // vacuously true: AWS warns about this with Allow
      case SetQualifier::kForAnyValue:
        return false;
      case SetQualifier::kNone:
        return negated_;
    }
  }
  switch (spec_.qualifier) {
    case SetQualifier::kNone: {
      bool any = false;
      for (const std::string& v : *request) {
        if (MatchAny(v, context)) {
          any = true;
          break;
        }
      }
      return any != negated_;
    }
    case SetQualifier::kForAnyValue:
      for (const std::string& v : *request) {
        if (MatchAny(v, context) != negated_) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const std::string& v : *request) {
        if (MatchAny(v, context) == negated_) return false;
      }
      return true;
  }
  return false;
}

}  // namespace sb::policy::eval
