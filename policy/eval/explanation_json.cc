// ExplanationToJson: the `simulate` admin answer. Field names are part of the admin API.
#include <boost/json.hpp>

#include "policy/eval/evaluator.h"

namespace sb::policy::eval {
namespace {

namespace json = boost::json;

json::string_view J(std::string_view s) { return json::string_view(s.data(), s.size()); }

json::object DecisionJson(const Decision& d) {
  json::object o;
  o["allowed"] = d.allowed;
  o["kind"] = J(DecisionKindName(d.kind));
  o["source"] = J(PolicySourceName(d.source));
  o["policy_index"] = d.policy_index;
  o["policy_id"] = J(d.policy_id);
  o["statement_index"] = d.statement_index;
  o["sid"] = J(d.sid);
  o["summary"] = J(d.ToString());
  return o;
}

json::object StatementJson(const StatementTrace& t) {
  json::object o;
  o["source"] = J(PolicySourceName(t.source));
  o["policy_index"] = t.policy_index;
  o["policy_id"] = J(t.policy_id);
  o["statement_index"] = t.statement_index;
  o["sid"] = J(t.sid);
  o["effect"] = t.effect == Effect::kAllow ? "Allow" : "Deny";
  o["action_matched"] = t.action_matched;
  o["resource_matched"] = t.resource_matched;
  o["principal"] = J(PrincipalMatchName(t.principal));
  json::array conditions;
  for (const ConditionTrace& c : t.conditions) {
    json::object co;
    co["operator"] = J(c.op);
    co["key"] = J(c.key);
    co["key_present"] = c.key_present;
    co["result"] = c.result;
    conditions.push_back(std::move(co));
  }
  o["conditions"] = std::move(conditions);
  o["conditions_matched"] = t.conditions_matched;
  o["applies"] = t.applies;
  return o;
}

}  // namespace

std::string ExplanationToJson(const Explanation& explanation) {
  json::object root;
  root["decision"] = DecisionJson(explanation.decision);
  json::array statements;
  for (const StatementTrace& t : explanation.statements) statements.push_back(StatementJson(t));
  root["statements"] = std::move(statements);
  return json::serialize(root);
}

}  // namespace sb::policy::eval
