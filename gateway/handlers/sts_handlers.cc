// STS at the root path (AWS's query protocol, API version 2011-06-15). AssumeRole gives the
// calling IAM user temporary credentials for itself (any RoleArn is accepted, as MinIO does,
// until roles exist), optionally narrowed by an inline session policy. The credentials are
// IAM keys of kind kSession: they expire, and every request must carry the session token.
//
// AssumeRoleWithCertificate (as MinIO's): over mutual TLS, the subject CN of the client
// certificate that verified against --tls-client-ca names a service account by its access
// key id; the answer is temporary credentials of that service account's user, narrowed by
// the service account's policy (the same permissions as the service account itself). The
// request needs no signature: the certificate is the credential.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/sts_xml.h"

namespace sb::gateway {
namespace {

using Params = std::map<std::string, std::string, std::less<>>;

absl::Status Validation(std::string message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kValidationError, message);
}

// The request's parameters: the query string's, then the form body's (which win).
absl::StatusOr<Params> GatherParams(const RequestContext& ctx) {
  Params params;
  for (const auto& [name, value] : ctx.req.query) params[name] = value;
  for (absl::string_view pair : absl::StrSplit(AsAbsl(ctx.auth.sts_form), '&')) {
    if (pair.empty()) continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::string name;
    std::string value;
    if (!PercentDecode(AsStd(kv.first), true, &name) ||
        !PercentDecode(AsStd(kv.second), true, &value)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidEncoding,
                       "the form body is not valid URL encoding");
    }
    params[name] = std::move(value);
  }
  return params;
}

const std::string* Param(const Params& params, std::string_view name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

// RoleSessionName: 2..64 of [\w+=,.@-], as AWS validates it.
bool ValidSessionName(std::string_view name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("_+=,.@-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<absl::Duration> SessionDuration(const Params& params, absl::Duration min) {
  const std::string* text = Param(params, "DurationSeconds");
  if (text == nullptr) return std::max(min, policy::iam::kDefaultSessionDuration);
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(*text, &seconds) || absl::Seconds(seconds) < min ||
      absl::Seconds(seconds) > policy::iam::kMaxSessionDuration) {
    return Validation(absl::StrCat(
        "1 validation error detected: Value '", *text,
        "' at 'durationSeconds' failed to satisfy constraint: Member must have value between ",
        absl::ToInt64Seconds(min), " and ",
        absl::ToInt64Seconds(policy::iam::kMaxSessionDuration)));
  }
  return absl::Seconds(seconds);
}

// Only an IAM user's own long-term key may start a session: the session policy can then be
// evaluated against exactly that user's permissions.
absl::Status CheckCaller(const policy::Principal& p) {
  if (p.anonymous) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "AssumeRole requires a signed request");
  }
  if (p.is_root) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "the root credential cannot assume a role; call AssumeRole with an IAM "
                     "user's access key");
  }
  if (p.key_kind != policy::iam::KeyKind::kAccessKey || p.key_policy != nullptr) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "AssumeRole must be called with a user's own unrestricted access key, not a "
                     "service account, a restricted key or temporary credentials");
  }
  return absl::OkStatus();
}

absl::Status AssumeRole(RequestContext& ctx, Services& s, const Params& params) {
  SB_RETURN_IF_ERROR(CheckCaller(ctx.auth.principal));
  if (s.iam == nullptr) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kNotImplemented,
                     "IAM is not enabled on this server");
  }
  const std::string* role_arn = Param(params, "RoleArn");
  const std::string* session_name = Param(params, "RoleSessionName");
  if (role_arn == nullptr || role_arn->size() < 20 || role_arn->size() > 2048) {
    return Validation("RoleArn is required (20 to 2048 characters; any role ARN is accepted)");
  }
  if (session_name == nullptr || !ValidSessionName(*session_name)) {
    return Validation("RoleSessionName is required: 2 to 64 of [A-Za-z0-9_+=,.@-]");
  }
  SB_ASSIGN_OR_RETURN(absl::Duration duration, SessionDuration(params, s.sts_min_duration));
  const std::string* policy = Param(params, "Policy");
  SB_ASSIGN_OR_RETURN(
      policy::iam::NewSession session,
      s.iam->CreateSession(ctx.auth.principal.user, policy == nullptr ? "" : *policy, duration));

  xml::AssumeRoleResult result;
  const std::string& user = ctx.auth.principal.user;
  result.assumed_role_arn = absl::StrCat("arn:aws:sts::", policy::iam::kAccountId, ":assumed-role/",
                                         user, "/", *session_name);
  result.assumed_role_id = absl::StrCat(ctx.auth.principal.user_id, ":", *session_name);
  result.access_key_id = session.info.access_key_id;
  result.secret_access_key = session.secret_access_key;
  result.session_token = session.session_token;
  result.expiration_unix_nanos = absl::ToUnixNanos(*session.info.expires);
  result.request_id = ctx.req.request_id;
  return ctx.Respond(200, {}, xml::AssumeRoleResponseXml(result), "text/xml");
}

absl::Status AssumeRoleWithCertificate(RequestContext& ctx, Services& s, const Params& params) {
  const std::string& cn = ctx.http.tls_client_cn;
  if (!ctx.http.tls || cn.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "AssumeRoleWithCertificate requires a client certificate verified by the "
                     "server's --tls-client-ca");
  }
  if (s.iam == nullptr) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kNotImplemented,
                     "IAM is not enabled on this server");
  }
  // LookupAccessKey refuses an inactive or expired key and a disabled user.
  auto identity = s.iam->LookupAccessKey(cn);
  auto key = s.iam->GetAccessKey(cn);
  if (!identity.ok() || !key.ok() || key->first.kind != policy::iam::KeyKind::kServiceAccount) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "the client certificate's subject CN does not name an active service "
                     "account");
  }
  const policy::iam::AccessKeyInfo& account = key->first;
  SB_ASSIGN_OR_RETURN(absl::Duration duration, SessionDuration(params, s.sts_min_duration));
  if (account.expires.has_value()) {  // never outlive the service account itself
    duration = std::min(duration, *account.expires - s.clock.Now());
    if (duration <= absl::ZeroDuration()) {
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                       "the service account has expired");
    }
  }
  SB_ASSIGN_OR_RETURN(policy::iam::NewSession session,
                      s.iam->CreateSession(account.user, account.policy, duration));
  xml::AssumeRoleResult result;
  result.action = "AssumeRoleWithCertificate";
  result.assumed_role_arn = absl::StrCat("arn:aws:sts::", policy::iam::kAccountId, ":assumed-role/",
                                         account.user, "/", cn);
  result.assumed_role_id = absl::StrCat(identity->user_id, ":", cn);
  result.access_key_id = session.info.access_key_id;
  result.secret_access_key = session.secret_access_key;
  result.session_token = session.session_token;
  result.expiration_unix_nanos = absl::ToUnixNanos(*session.info.expires);
  result.request_id = ctx.req.request_id;
  return ctx.Respond(200, {}, xml::AssumeRoleResponseXml(result), "text/xml");
}

}  // namespace

absl::Status HandleStsOperation(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(Params params, GatherParams(ctx));
  const std::string* action = Param(params, "Action");
  if (action == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidAction,
                     "the request has no Action; the STS API here implements AssumeRole");
  }
  if (const std::string* version = Param(params, "Version");
      version != nullptr && *version != "2011-06-15") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidAction,
                     absl::StrCat("STS API version ", *version, " is not supported"));
  }
  if (*action == "AssumeRole") return AssumeRole(ctx, s, params);
  if (*action == "AssumeRoleWithCertificate") return AssumeRoleWithCertificate(ctx, s, params);
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidAction,
                   absl::StrCat("Could not find operation ", *action,
                                " for version 2011-06-15; Strongbox's STS implements AssumeRole "
                                "and AssumeRoleWithCertificate"));
}

}  // namespace sb::gateway
