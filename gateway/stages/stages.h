// The fixed pipeline stages. Each is small, owns one concern, and writes one slice of the
// RequestContext. Assembled in order by server wiring: Parse, Authenticate, Authorize,
// Handle. Thread-safe (no per-request state in the stage objects).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "gateway/pipeline.h"
#include "metadata/metadata_store.h"
#include "policy/authorizer.h"
#include "policy/identity.h"

namespace sb::gateway {

// Parses the target into ctx.req (operation, bucket, key, query). Unknown method/path
// combinations are refused here with 405 MethodNotAllowed.
class ParseStage final : public Stage {
 public:
  // `domains` (lowercase, from --domain) enable virtual-host-style addressing.
  explicit ParseStage(std::vector<std::string> domains = {}) : domains_(std::move(domains)) {}
  absl::Status Run(RequestContext& ctx) override;
  std::string_view name() const override { return "parse"; }

 private:
  std::vector<std::string> domains_;
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

// Maps the operation to an IAM action and resource ARN and asks the policy engine. With
// `meta`, requests on an existing object can be decided on its tags (s3:ExistingObjectTag).
class AuthorizeStage final : public Stage {
 public:
  explicit AuthorizeStage(const policy::Authorizer& authorizer,
                          metadata::MetadataStore* meta = nullptr)
      : authorizer_(authorizer), meta_(meta) {}
  absl::Status Run(RequestContext& ctx) override;
  std::string_view name() const override { return "authorize"; }

 private:
  // A denied GET/HEAD of a key that does not exist, by a caller allowed s3:ListBucket with
  // s3:prefix = the key.
  bool MayListMissingKey(const RequestContext& ctx,
                         const policy::eval::ContextMap& conditions) const;

  const policy::Authorizer& authorizer_;
  metadata::MetadataStore* meta_;
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
// As ActionFor, with the *Version action for requests naming a ?versionId=
// (s3:GetObjectVersion, s3:PutObjectVersionTagging, ...).
std::string_view VersionedActionFor(const RequestContext& ctx);

// "arn:aws:s3:::BUCKET/KEY", "arn:aws:s3:::BUCKET" for an empty key, "arn:aws:s3:::*" for
// an empty bucket.
std::string S3Arn(std::string_view bucket, std::string_view key);

// The tags of the object version ctx names (?versionId=, else the newest), for
// s3:ExistingObjectTag/<key>; an empty function for operations AWS does not evaluate that
// key on (it applies to reads and tag/ACL updates of an existing object). A delete marker
// has no tags; a missing object is NotFound.
using ObjectTagsFn =
    std::function<absl::StatusOr<std::vector<std::pair<std::string, std::string>>>()>;
ObjectTagsFn ExistingObjectTags(metadata::MetadataStore& meta, const RequestContext& ctx);

// The second half of the requests the Authorize stage leaves to their handler
// (PutObjectTagging, PutObjectRetention, PutObjectLegalHold: AWS's condition keys come from
// their bodies): decides ctx's request with `conditions` (RequestConditions plus the body's),
// records the decision for the audit, and returns AccessDenied if it denies. Fails closed:
// without an authorizer only root may.
absl::Status AuthorizeWithBody(RequestContext& ctx, const policy::Authorizer* authorizer,
                               metadata::MetadataStore& meta,
                               const policy::eval::ContextMap& conditions);

// Asks `authorizer` whether ctx's principal may do `action` on `resource`, under `bucket`'s
// policy and the request's condition keys `conditions` (see RequestConditions). Shared by
// the Authorize stage and the handlers that authorize per item (DeleteObjects).
absl::StatusOr<policy::Decision> AuthorizeOn(const policy::Authorizer& authorizer,
                                             const RequestContext& ctx, std::string_view action,
                                             std::string_view resource, std::string_view bucket,
                                             const policy::eval::ContextMap& conditions,
                                             ObjectTagsFn existing_object_tags = {});

}  // namespace sb::gateway
