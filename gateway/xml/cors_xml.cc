#include "gateway/xml/cors_xml.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/xml/pugi_util.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

absl::Status InvalidRequest(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest, message);
}

bool ValidMethod(std::string_view m) {
  return m == "GET" || m == "PUT" || m == "POST" || m == "DELETE" || m == "HEAD";
}

// `pattern` with at most one '*' matching any run; `ignore_case` for header names.
bool WildcardMatch(std::string_view pattern, std::string_view s, bool ignore_case) {
  const auto eq = [&](std::string_view a, std::string_view b) {
    return ignore_case ? absl::EqualsIgnoreCase(AsAbsl(a), AsAbsl(b)) : a == b;
  };
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return eq(pattern, s);
  const std::string_view head = pattern.substr(0, star);
  const std::string_view tail = pattern.substr(star + 1);
  return s.size() >= head.size() + tail.size() && eq(s.substr(0, head.size()), head) &&
         eq(s.substr(s.size() - tail.size()), tail);
}

std::vector<std::string> Texts(const pugi::xml_node& rule, std::string_view name) {
  std::vector<std::string> out;
  for (const pugi::xml_node& n : Children(rule, name)) out.push_back(Text(n));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<CorsRule>> ParseCorsConfiguration(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "CORSConfiguration"));
  std::vector<CorsRule> rules;
  for (const pugi::xml_node& node : Children(root, "CORSRule")) {
    CorsRule rule;
    if (auto ids = Children(node, "ID"); !ids.empty()) rule.id = Text(ids.front());
    rule.allowed_origins = Texts(node, "AllowedOrigin");
    rule.allowed_methods = Texts(node, "AllowedMethod");
    rule.allowed_headers = Texts(node, "AllowedHeader");
    rule.expose_headers = Texts(node, "ExposeHeader");
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) return MalformedXml();
    for (const std::string& m : rule.allowed_methods) {
      if (!ValidMethod(m)) {
        return InvalidRequest(absl::StrCat(
            "Found unsupported HTTP method in CORS config. Unsupported method is ", AsAbsl(m)));
      }
    }
    for (const auto* list : {&rule.allowed_origins, &rule.allowed_headers}) {
      for (const std::string& v : *list) {
        if (std::count(v.begin(), v.end(), '*') > 1) {
          return InvalidRequest(absl::StrCat("AllowedOrigin/AllowedHeader \"", AsAbsl(v),
                                             "\" can not have more than one wildcard."));
        }
      }
    }
    if (auto ages = Children(node, "MaxAgeSeconds"); !ages.empty()) {
      int64_t age = 0;
      if (ages.size() > 1 || !absl::SimpleAtoi(Text(ages.front()), &age) || age < 0) {
        return MalformedXml();
      }
      rule.max_age_seconds = age;
    }
    rules.push_back(std::move(rule));
  }
  if (rules.empty() || rules.size() > kMaxCorsRules) return MalformedXml();
  return rules;
}

std::string CorsConfigurationXml(const std::vector<CorsRule>& rules) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("CORSConfiguration");
  for (const CorsRule& r : rules) {
    b.Open("CORSRule");
    if (!r.id.empty()) b.Element("ID", r.id);
    for (const auto& v : r.allowed_headers) b.Element("AllowedHeader", v);
    for (const auto& v : r.allowed_methods) b.Element("AllowedMethod", v);
    for (const auto& v : r.allowed_origins) b.Element("AllowedOrigin", v);
    for (const auto& v : r.expose_headers) b.Element("ExposeHeader", v);
    if (r.max_age_seconds.has_value()) b.Element("MaxAgeSeconds", *r.max_age_seconds);
    b.Close("CORSRule");
  }
  b.Close("CORSConfiguration");
  return b.Finish();
}

const CorsRule* MatchCorsRule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers) {
  for (const CorsRule& rule : rules) {
    const bool origin_ok =
        std::any_of(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                    [&](const std::string& o) { return WildcardMatch(o, origin, false); });
    const bool method_ok = std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(),
                                     method) != rule.allowed_methods.end();
    if (!origin_ok || !method_ok) continue;
    const bool headers_ok =
        std::all_of(request_headers.begin(), request_headers.end(), [&](const std::string& h) {
          return std::any_of(
              rule.allowed_headers.begin(), rule.allowed_headers.end(),
              [&](const std::string& allowed) { return WildcardMatch(allowed, h, true); });
        });
    if (headers_ok) return &rule;
  }
  return nullptr;
}

}  // namespace sb::gateway::xml
