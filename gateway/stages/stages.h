// The fixed pipeline stages. Each is small, owns one concern, and writes one slice of the
// RequestContext. Assembled in order by server wiring: Parse, Authenticate, Authorize,
// Handle. Thread-safe (no per-request state in the stage objects).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "gateway/pipeline.h"
#include "policy/authorizer.h"
#include "policy/identity.h"

namespace sb::gateway {

// Parses the target into ctx.req (operation, bucket, key, query). Unknown method/path
// combinations are refused here with 405 MethodNotAllowed.
class ParseStage final : public Stage {
 public:
  absl::Status Run(RequestContext& ctx) override;
  std::string_view name() const override { return "parse"; }
};

// SigV4 (header, presigned, streaming) or anonymous; fills ctx.auth and installs the body
// decoders (aws-chunked, SHA-256 verification) the payload mode requires.
class AuthenticateStage final : public Stage {
 public:
  AuthenticateStage(const policy::IdentityStore& identities, const Clock& clock, std::string region)
      : identities_(identities), clock_(clock), region_(std::move(region)) {}
  absl::Status Run(RequestContext& ctx) override;
  std::string_view name() const override { return "authenticate"; }

 private:
  const policy::IdentityStore& identities_;
  const Clock& clock_;
  std::string region_;
};

// Maps the operation to an IAM action and resource ARN and asks the policy engine.
class AuthorizeStage final : public Stage {
 public:
  explicit AuthorizeStage(const policy::Authorizer& authorizer) : authorizer_(authorizer) {}
  absl::Status Run(RequestContext& ctx) override;
  std::string_view name() const override { return "authorize"; }

 private:
  const policy::Authorizer& authorizer_;
};

// Runs the operation's handler.
class HandleStage final : public Stage {
 public:
  using Dispatch = std::function<absl::Status(RequestContext&)>;
  explicit HandleStage(Dispatch dispatch) : dispatch_(std::move(dispatch)) {}
  absl::Status Run(RequestContext& ctx) override { return dispatch_(ctx); }
  std::string_view name() const override { return "handle"; }

 private:
  Dispatch dispatch_;
};

// IAM action for an operation ("s3:GetObject"); empty for operations that need none.
std::string_view ActionFor(Operation op);

// "arn:aws:s3:::BUCKET/KEY", "arn:aws:s3:::BUCKET" for an empty key, "arn:aws:s3:::*" for
// an empty bucket.
std::string S3Arn(std::string_view bucket, std::string_view key);

// Asks `authorizer` whether ctx's principal may do `action` on `resource`, under `bucket`'s
// policy and the request's condition keys `conditions` (see RequestConditions). Shared by
// the Authorize stage and the handlers that authorize per item (DeleteObjects).
absl::StatusOr<policy::Decision> AuthorizeOn(const policy::Authorizer& authorizer,
                                             const RequestContext& ctx, std::string_view action,
                                             std::string_view resource, std::string_view bucket,
                                             const policy::eval::ContextMap& conditions);

}  // namespace sb::gateway
