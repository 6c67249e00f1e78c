// Bearer-token authentication (policy/token/bearer_token.h) for the one endpoint a scraper
// reads without signing: GET /_strongbox/metrics with "Authorization: Bearer <token>". The
// token authenticates as the access key that issued it; authorization (admin:Prometheus)
// then runs as for a signed request. Called by AuthenticateStage before SigV4.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/request_context.h"
#include "policy/identity.h"

namespace sb::gateway {

// False if the request carries no bearer token (SigV4 or anonymous then apply). True once
// the token verified and ctx.auth is filled in. PermissionDenied(kAccessDenied) for a bearer
// token on any other endpoint, or one that does not verify (unknown or disabled key, bad
// signature, wrong audience, expired).
absl::StatusOr<bool> AuthenticateBearer(RequestContext& ctx,
                                        const policy::IdentityStore& identities, absl::Time now);

}  // namespace sb::gateway
