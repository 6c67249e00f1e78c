// Authentication of S3 POST Object (browser form uploads), part of the Authenticate stage:
// the credentials of such a request are form fields in its body, so the stage reads the
// fields before the file here, verifies the policy's signature (SigV4 POST fields or the
// POST-only V2 form) and conditions, and leaves the file's content as the request body.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/request_context.h"
#include "policy/identity.h"

namespace sb::gateway {

// Reads the form of a POST Object request into ctx.auth.post, sets ctx.req.key from its
// `key` field (${filename} substituted: Authorize needs the key, and a POST carries it in
// the body), and fills ctx.auth.principal: the signer of the policy, or anonymous when the
// form has no policy and no signature. The file's content becomes ctx.body(), checked
// against the policy's content-length-range at its end.
// Errors: the form's (MultipartFormSource::ReadFields, MultipartBoundary), the policy's
// (ParsePostPolicy, CheckPostPolicy, VerifyPostSignature), a SigV4 credential for another
// region (InvalidArgument), the key store's (disabled or expired keys) and session token
// errors (InvalidToken), as for any signed request.
absl::Status AuthenticatePostUpload(RequestContext& ctx, const policy::IdentityStore& identities,
                                    absl::Time now, std::string_view region);

// Shared with header/query SigV4 authentication (defined in authenticate_stage.cc):
// STS credentials are valid only with their session token `token` (nullptr if none was
// sent); other keys never carry one. InvalidArgument(kInvalidToken) otherwise.
absl::Status CheckSessionToken(const std::string* token, const policy::Credential& cred);
// Fills `p`'s identity from a verified credential.
void SetPrincipal(policy::Principal& p, const policy::Credential& cred);

}  // namespace sb::gateway
