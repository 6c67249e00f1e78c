// Bucket CORS configuration (Put/GetBucketCors) and the rule matching that preflight
// (OPTIONS) and ordinary requests with an Origin header use. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::gateway::xml {

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // at most one '*' each
  std::vector<std::string> allowed_methods;  // GET, PUT, POST, DELETE, HEAD
  std::vector<std::string> allowed_headers;  // at most one '*' each; matched case-blind
  std::vector<std::string> expose_headers;
  std::optional<int64_t> max_age_seconds;
};

inline constexpr size_t kMaxCorsRules = 100;

// PutBucketCors' body. MalformedXML for bad XML or a rule without an origin or a method;
// InvalidRequest (as S3) for an unsupported method or an origin/header with two '*'; more
// than 100 rules is MalformedXML.
absl::StatusOr<std::vector<CorsRule>> ParseCorsConfiguration(std::string_view body);

// GetBucketCors' body.
std::string CorsConfigurationXml(const std::vector<CorsRule>& rules);

// The first rule allowing `origin` to use `method` with every header in
// `request_headers` (lower-cased by the caller is not needed); nullptr if none.
const CorsRule* MatchCorsRule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers);

}  // namespace sb::gateway::xml
