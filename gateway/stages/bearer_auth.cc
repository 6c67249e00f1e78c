#include "gateway/stages/bearer_auth.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "policy/token/bearer_token.h"

namespace sb::gateway {
namespace {

absl::Status Denied(std::string_view why) {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                   std::string(why));
}

}  // namespace

absl::StatusOr<bool> AuthenticateBearer(RequestContext& ctx,
                                        const policy::IdentityStore& identities, absl::Time now) {
  const std::string* header = ctx.http.Header("authorization");
  // The "Bearer" scheme (any case), alone or followed by a space and the token.
  constexpr std::string_view kScheme = "bearer";
  const std::string_view value = header == nullptr ? "" : std::string_view(*header);
  if (value.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(AsAbsl(value.substr(0, kScheme.size())), AsAbsl(kScheme)) ||
      (value.size() > kScheme.size() && value[kScheme.size()] != ' ')) {
    return false;
  }
  if (ctx.req.op != Operation::kMetrics) {
    return Denied("bearer tokens are accepted only by /_strongbox/metrics");
  }
  const std::string_view token =
      AsStd(absl::StripAsciiWhitespace(AsAbsl(value.substr(kScheme.size()))));
  absl::StatusOr<policy::token::Claims> claims = policy::token::Decode(token);
  if (!claims.ok()) return Denied("malformed bearer token");
  absl::StatusOr<policy::Credential> cred = identities.Lookup(claims->access_key);
  if (!cred.ok()) return Denied("bearer token of an unknown or disabled access key");
  // A session key is valid only together with its session token, which a bearer request
  // cannot carry, so sessions cannot issue bearer tokens.
  if (cred->kind == policy::iam::KeyKind::kSession || !cred->session_token_sha256.empty()) {
    return Denied("temporary credentials cannot issue bearer tokens");
  }
  absl::StatusOr<policy::token::Claims> verified =
      policy::token::Verify(token, cred->secret_key, policy::token::kPrometheusAudience, now);
  if (!verified.ok()) {
    Log(LogLevel::kWarn, "bearer token refused",
        {{"request_id", ctx.req.request_id},
         {"access_key", claims->access_key},
         {"error", std::string(verified.status().message())}});
    return Denied("invalid bearer token");
  }
  policy::Principal& p = ctx.auth.principal;
  p.source_ip = ctx.http.remote_ip;
  p.tls = ctx.http.tls;
  p.anonymous = false;
  p.access_key = cred->access_key;
  p.user = cred->user;
  p.is_root = cred->is_root;
  p.user_id = cred->user_id;
  p.groups = cred->groups;
  p.key_policy = cred->key_policy;
  p.key_kind = cred->kind;
  return true;
}

}  // namespace sb::gateway
