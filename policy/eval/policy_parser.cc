// JSON → Policy. Validation follows the IAM JSON policy grammar; every error names the
// statement and element so that PutBucketPolicy can tell the user exactly what is wrong.
#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/eval/internal/cat.h"
#include "policy/eval/internal/strict_json.h"
#include "policy/eval/policy.h"

namespace sb::policy::eval {
namespace {

namespace json = boost::json;

absl::Status Invalid(std::string_view where, std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   internal::Cat(where, ": ", message));
}

std::string_view Sv(json::string_view s) { return std::string_view(s.data(), s.size()); }

// A string or a non-empty array of strings (Action, Resource, principal lists).
absl::StatusOr<std::vector<std::string>> StringList(const json::value& v, std::string_view where,
                                                    std::string_view element) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(Sv(v.get_string()));
    return out;
  }
  if (!v.is_array()) {
    return Invalid(where, internal::Cat(element, " must be a string or an array of strings"));
  }
  for (const json::value& e : v.get_array()) {
    if (!e.is_string()) return Invalid(where, internal::Cat(element, " entries must be strings"));
    out.emplace_back(Sv(e.get_string()));
  }
  if (out.empty()) return Invalid(where, internal::Cat(element, " must not be empty"));
  return out;
}

// Condition values may be strings, numbers or booleans; they are compared as text.
absl::StatusOr<std::string> ScalarText(const json::value& v, std::string_view where) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(Sv(v.get_string()));
    case json::kind::bool_:
      return std::string(v.get_bool() ? "true" : "false");
    case json::kind::int64:
      return internal::Cat(v.get_int64());
    case json::kind::uint64:
      return internal::Cat(v.get_uint64());
    case json::kind::double_: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.get_double());  // shortest round trip
      return std::string(buf, r.ptr);
    }
    default:
      return Invalid(where, "condition values must be strings, numbers or booleans");
  }
}

bool ValidAction(std::string_view a) {
  if (a == "*") return true;
  size_t colon = a.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == a.size()) return false;
  for (char c : a.substr(0, colon)) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::Status ParseAwsPrincipal(std::string_view v, PrincipalSpec& spec, std::string_view where) {
  if (v == "*") {
    spec.any = true;
    return absl::OkStatus();
  }
  if (v.empty() || v.find_first_of("*?") != std::string_view::npos) {
    return Invalid(where, internal::Cat("invalid AWS principal \"", v,
                                        "\": wildcards are only allowed as \"*\" alone"));
  }
  if (v.substr(0, 4) != "arn:") {
    if (v.find(':') != std::string_view::npos || v.find('/') != std::string_view::npos) {
      return Invalid(where, internal::Cat("invalid AWS principal \"", v,
                                          "\": expected an ARN or an account id"));
    }
    spec.accounts.emplace_back(v);
    return absl::OkStatus();
  }
  // arn:partition:service:region:account:resource
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = v.find(':', start);
    if (colon == std::string_view::npos) {
      return Invalid(where, internal::Cat("invalid AWS principal ARN \"", v, "\""));
    }
    parts.push_back(v.substr(start, colon - start));
    start = colon + 1;
  }
  std::string_view resource = v.substr(start);
  if (parts[4].empty() || resource.empty()) {
    return Invalid(where, internal::Cat("invalid AWS principal ARN \"", v, "\""));
  }
  if (parts[2] == "iam" && resource == "root") {
    spec.accounts.emplace_back(parts[4]);  // the account itself (delegation)
  } else {
    spec.arns.emplace_back(v);
  }
  return absl::OkStatus();
}

absl::StatusOr<PrincipalSpec> ParsePrincipal(const json::value& v, std::string_view where,
                                             std::string_view element) {
  PrincipalSpec spec;
  if (v.is_string()) {
    if (Sv(v.get_string()) != "*") {
      return Invalid(where, internal::Cat(element,
                                          " must be \"*\" or an object such as "
                                          "{\"AWS\": \"arn:aws:iam::111122223333:root\"}"));
    }
    spec.any = true;
    return spec;
  }
  if (!v.is_object() || v.get_object().empty()) {
    return Invalid(where, internal::Cat(element, " must be \"*\" or a non-empty object"));
  }
  for (const auto& kv : v.get_object()) {
    std::string_view type = Sv(kv.key());
    SB_ASSIGN_OR_RETURN(std::vector<std::string> values,
                        StringList(kv.value(), where, internal::Cat(element, ".", type)));
    for (std::string& s : values) {
      if (type == "AWS") {
        SB_RETURN_IF_ERROR(ParseAwsPrincipal(s, spec, where));
      } else if (type == "Service") {
        spec.services.push_back(std::move(s));
      } else if (type == "CanonicalUser") {
        spec.canonical_users.push_back(std::move(s));
      } else if (type == "Federated") {
        spec.federated.push_back(std::move(s));
      } else {
        return Invalid(where, internal::Cat("unknown ", element, " type \"", type,
                                            "\" (expected AWS, Service, CanonicalUser or "
                                            "Federated)"));
      }
    }
  }
  return spec;
}

absl::Status ParseConditions(const json::value& v, bool variables, std::string_view where,
                             std::vector<Condition>& out) {
  if (!v.is_object()) return Invalid(where, "Condition must be an object");
  for (const auto& op : v.get_object()) {
    if (!op.value().is_object()) {
      return Invalid(where, internal::Cat("Condition operator \"", Sv(op.key()),
                                          "\" must map to an object of keys"));
    }
    for (const auto& kv : op.value().get_object()) {
      std::vector<std::string> values;
      if (kv.value().is_array()) {
        for (const json::value& e : kv.value().get_array()) {
          SB_ASSIGN_OR_RETURN(std::string s, ScalarText(e, where));
          values.push_back(std::move(s));
        }
      } else {
        SB_ASSIGN_OR_RETURN(std::string s, ScalarText(kv.value(), where));
        values.push_back(std::move(s));
      }
      absl::StatusOr<Condition> c =
          Condition::Create(Sv(op.key()), Sv(kv.key()), std::move(values), variables);
      if (!c.ok()) return Invalid(where, AsStd(c.status().message()));
      out.push_back(*std::move(c));
    }
  }
  return absl::OkStatus();
}

struct StatementParser {
  PolicyKind kind;
  bool variables;

  absl::Status Actions(const json::value& v, std::string_view where, std::string_view element,
                       Statement& st) const {
    SB_ASSIGN_OR_RETURN(std::vector<std::string> list, StringList(v, where, element));
    for (const std::string& a : list) {
      if (!ValidAction(a)) {
        return Invalid(where, internal::Cat("invalid ", element, " \"", a,
                                            "\" (expected \"*\" or \"service:action\")"));
      }
      PatternOptions o{.wildcards = true, .variables = false, .ignore_case = true};
      SB_ASSIGN_OR_RETURN(Pattern p, Pattern::Compile(a, o));
      st.actions.push_back(std::move(p));
    }
    return absl::OkStatus();
  }

  absl::Status Resources(const json::value& v, std::string_view where, std::string_view element,
                         Statement& st) const {
    SB_ASSIGN_OR_RETURN(std::vector<std::string> list, StringList(v, where, element));
    for (const std::string& r : list) {
      absl::StatusOr<ArnPattern> p = ArnPattern::Compile(r, variables);
      if (!p.ok()) return Invalid(where, AsStd(p.status().message()));
      if (r != "*" && (r.substr(0, 4) != "arn:" || !p->well_formed())) {
        return Invalid(where, internal::Cat("invalid ", element, " \"", r,
                                            "\" (expected \"*\" or an ARN such as "
                                            "arn:aws:s3:::bucket/*)"));
      }
      st.resources.push_back(*std::move(p));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Statement> Parse(const json::value& v, size_t index) const {
    std::string where = internal::Cat("Statement[", index, "]");
    if (!v.is_object()) return Invalid(where, "statement must be an object");
    const json::object& o = v.get_object();
    Statement st;
    if (const json::value* sid = o.if_contains("Sid")) {
      if (!sid->is_string()) return Invalid(where, "Sid must be a string");
      st.sid = std::string(Sv(sid->get_string()));
      where += internal::Cat(" (Sid \"", st.sid, "\")");
    }
    for (const auto& kv : o) {
      static constexpr std::string_view kKnown[] = {"Sid",          "Effect",      "Principal",
                                                    "NotPrincipal", "Action",      "NotAction",
                                                    "Resource",     "NotResource", "Condition"};
      bool known = false;
      for (std::string_view k : kKnown) known = known || Sv(kv.key()) == k;
      if (!known) return Invalid(where, internal::Cat("unknown element \"", Sv(kv.key()), "\""));
    }
    const json::value* effect = o.if_contains("Effect");
    if (effect == nullptr) return Invalid(where, "missing Effect");
    if (effect->is_string() && effect->get_string() == "Allow") {
      st.effect = Effect::kAllow;
    } else if (effect->is_string() && effect->get_string() == "Deny") {
      st.effect = Effect::kDeny;
    } else {
      return Invalid(where, internal::Cat("unknown Effect ", json::serialize(*effect),
                                          " (expected \"Allow\" or \"Deny\")"));
    }
    SB_RETURN_IF_ERROR(ParsePrincipals(o, where, st));
    const json::value* action = o.if_contains("Action");
    const json::value* not_action = o.if_contains("NotAction");
    if (action && not_action) return Invalid(where, "has both Action and NotAction");
    if (!action && !not_action) return Invalid(where, "missing Action or NotAction");
    st.not_action = not_action != nullptr;
    SB_RETURN_IF_ERROR(
        Actions(action ? *action : *not_action, where, action ? "Action" : "NotAction", st));
    const json::value* resource = o.if_contains("Resource");
    const json::value* not_resource = o.if_contains("NotResource");
    if (resource && not_resource) return Invalid(where, "has both Resource and NotResource");
    if (!resource && !not_resource) return Invalid(where, "missing Resource or NotResource");
    st.not_resource = not_resource != nullptr;
    SB_RETURN_IF_ERROR(Resources(resource ? *resource : *not_resource, where,
                                 resource ? "Resource" : "NotResource", st));
    if (const json::value* cond = o.if_contains("Condition")) {
      SB_RETURN_IF_ERROR(ParseConditions(*cond, variables, where, st.conditions));
    }
    return st;
  }

  absl::Status ParsePrincipals(const json::object& o, std::string_view where, Statement& st) const {
    const json::value* principal = o.if_contains("Principal");
    const json::value* not_principal = o.if_contains("NotPrincipal");
    if (kind != PolicyKind::kBucket) {
      if (principal || not_principal) {
        return Invalid(where,
                       "Principal/NotPrincipal is not allowed in identity or session "
                       "policies");
      }
      return absl::OkStatus();
    }
    if (principal && not_principal) return Invalid(where, "has both Principal and NotPrincipal");
    if (!principal && !not_principal) {
      return Invalid(where, "missing Principal or NotPrincipal (required in bucket policies)");
    }
    st.not_principal = not_principal != nullptr;
    SB_ASSIGN_OR_RETURN(PrincipalSpec spec,
                        ParsePrincipal(principal ? *principal : *not_principal, where,
                                       principal ? "Principal" : "NotPrincipal"));
    if (st.not_principal && spec.any) {
      return Invalid(where, "NotPrincipal cannot be \"*\" (it would match no principal)");
    }
    st.principal = std::move(spec);
    return absl::OkStatus();
  }
};

}  // namespace

absl::StatusOr<Policy> ParsePolicy(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_size_bytes) {
    return Invalid("policy", internal::Cat("document is ", text.size(), " bytes; the limit is ",
                                           options.max_size_bytes));
  }
  SB_ASSIGN_OR_RETURN(json::value doc, internal::ParseStrictJson(text));
  if (!doc.is_object()) return Invalid("policy", "document must be a JSON object");
  const json::object& o = doc.get_object();
  Policy policy;
  policy.kind = options.kind;
  for (const auto& kv : o) {
    std::string_view k = Sv(kv.key());
    if (k != "Version" && k != "Id" && k != "Statement") {
      return Invalid("policy", internal::Cat("unknown element \"", k, "\""));
    }
  }
  if (const json::value* version = o.if_contains("Version")) {
    if (version->is_string() && version->get_string() == "2012-10-17") {
      policy.version = PolicyVersion::k2012_10_17;
    } else if (version->is_string() && version->get_string() == "2008-10-17") {
      policy.version = PolicyVersion::k2008_10_17;
    } else {
      return Invalid("Version", internal::Cat("unsupported Version ", json::serialize(*version),
                                              " (expected \"2012-10-17\" or \"2008-10-17\")"));
    }
  }
  if (const json::value* id = o.if_contains("Id")) {
    if (!id->is_string()) return Invalid("Id", "must be a string");
    policy.id = std::string(Sv(id->get_string()));
  }
  const json::value* statements = o.if_contains("Statement");
  if (statements == nullptr) return Invalid("policy", "missing Statement");
  StatementParser parser{options.kind, policy.version == PolicyVersion::k2012_10_17};
  if (statements->is_object()) {
    SB_ASSIGN_OR_RETURN(Statement st, parser.Parse(*statements, 0));
    policy.statements.push_back(std::move(st));
  } else if (statements->is_array() && !statements->get_array().empty()) {
    size_t i = 0;
    for (const json::value& s : statements->get_array()) {
      SB_ASSIGN_OR_RETURN(Statement st, parser.Parse(s, i++));
      policy.statements.push_back(std::move(st));
    }
  } else {
    return Invalid("Statement", "must be an object or a non-empty array of objects");
  }
  absl::flat_hash_set<std::string> sids;
  for (const Statement& st : policy.statements) {
    if (!st.sid.empty() && !sids.insert(st.sid).second) {
      return Invalid("Statement", internal::Cat("duplicate Sid \"", st.sid, "\""));
    }
  }
  return policy;
}

bool ReferencesContextKeyPrefix(const Policy& policy, std::string_view prefix) {
  for (const Statement& statement : policy.statements) {
    for (const Condition& condition : statement.conditions) {
      std::string_view key = condition.key();
      if (key.size() >= prefix.size() &&
          CaseInsensitiveEq()(key.substr(0, prefix.size()), prefix)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace sb::policy::eval
