#include "gateway/handlers/iam_json.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/iam_routes.h"

namespace sb::gateway::iam_json {
namespace {

namespace json = boost::json;

constexpr size_t kMaxJsonBody = 64 * 1024;

json::string_view J(std::string_view s) { return json::string_view(s.data(), s.size()); }

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(J(v));
  return out;
}

absl::Status BadRequest(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

}  // namespace

std::string FormatIsoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

json::object UserJson(const policy::iam::UserInfo& u) {
  return json::object{{"name", J(u.name)},
                      {"user_id", J(u.user_id)},
                      {"arn", J(policy::iam::UserArn(u.name))},
                      {"enabled", u.enabled},
                      {"created", J(FormatIsoTime(u.created))},
                      {"policies", Strings(u.policies)},
                      {"groups", Strings(u.groups)}};
}

json::object KeyJson(const policy::iam::AccessKeyInfo& k) {
  json::object o{{"access_key_id", J(k.access_key_id)},
                 {"user", J(k.user)},
                 {"status", J(policy::iam::KeyStatusName(k.status))},
                 {"created", J(FormatIsoTime(k.created))}};
  if (k.last_used.has_value()) {
    o["last_used"] = J(FormatIsoTime(*k.last_used));
  } else {
    o["last_used"] = nullptr;
  }
  o["restricted"] = !k.policy.empty();
  if (!k.policy.empty()) {
    boost::system::error_code ec;
    json::value doc = json::parse(J(k.policy), ec);
    o["policy"] = ec ? json::value(J(k.policy)) : std::move(doc);
  }
  if (!k.description.empty()) o["description"] = J(k.description);
  o["kind"] = J(policy::iam::KeyKindName(k.kind));
  if (k.expires.has_value()) {
    o["expires"] = J(FormatIsoTime(*k.expires));
  } else {
    o["expires"] = nullptr;
  }
  return o;
}

json::object GroupJson(const policy::iam::GroupInfo& g) {
  return json::object{{"name", J(g.name)},
                      {"created", J(FormatIsoTime(g.created))},
                      {"policies", Strings(g.policies)},
                      {"members", Strings(g.members)}};
}

json::object PolicyJson(const policy::iam::PolicyInfo& p, bool with_document) {
  json::object o{{"name", J(p.name)},
                 {"created", J(FormatIsoTime(p.created))},
                 {"updated", J(FormatIsoTime(p.updated))},
                 {"attachments", p.attachments}};
  if (with_document) {
    boost::system::error_code ec;
    json::value doc = json::parse(J(p.document), ec);
    o["document"] = ec ? json::value(J(p.document)) : std::move(doc);
  }
  return o;
}

absl::Status RespondJson(RequestContext& ctx, int status, const json::object& body) {
  return ctx.Respond(status, {}, json::serialize(body), "application/json");
}

absl::StatusOr<json::object> ReadJsonObject(RequestContext& ctx, bool allow_empty) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, kMaxJsonBody));
  if (allow_empty && body.empty()) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(J(body), ec);
  if (ec || !v.is_object()) return BadRequest("the request body must be a JSON object");
  return std::move(v.as_object());
}

absl::StatusOr<std::string> RequiredString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(J(key));
  if (v == nullptr || !v->is_string()) {
    return BadRequest(absl::StrCat("\"", std::string(key), "\" must be a string"));
  }
  return std::string(v->as_string());
}

absl::StatusOr<std::string> PathSegment(const RequestContext& ctx, size_t index) {
  std::optional<std::vector<std::string>> segments = IamPathSegments(ctx.req.raw_path);
  if (!segments.has_value() || index >= segments->size()) {
    return BadRequest("malformed IAM admin path");
  }
  return (*segments)[index];
}

absl::StatusOr<policy::iam::IamStore*> RequireIam(Services& s) {
  if (s.iam == nullptr) {
    return MakeError(absl::StatusCode::kUnimplemented, ErrorReason::kNotImplemented,
                     "IAM is not configured on this server");
  }
  return s.iam;
}

}  // namespace sb::gateway::iam_json
