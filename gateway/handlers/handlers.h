// S3 operation handlers. Each family lives in its own file; Dispatch() routes an already
// authenticated and authorized request to its handler. Handlers read ctx.req and
// ctx.body(), call the ObjectService / MetadataStore, and respond through ctx.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/metrics/registry.h"
#include "erasure/data_plane.h"
#include "gateway/object_service.h"
#include "gateway/request_context.h"
#include "metadata/metadata_store.h"
#include "policy/audit/audit_log.h"
#include "policy/authorizer.h"
#include "policy/iam/iam_store.h"

namespace sb::gateway {

struct ServerInfo {
  std::string version;
  absl::Time started;
  std::vector<std::string> drives;
};

// Everything handlers need; owned by the server wiring, shared by all requests.
struct Services {
  metadata::MetadataStore& meta;
  ObjectService& objects;
  erasure::DataPlane& data;
  const Clock& clock;
  std::string region = "us-east-1";
  ServerInfo info;
  // The tamper-evident audit log's directory and signing public key (admin API).
  std::string audit_dir;
  std::string audit_public_key_pem;
  // The IAM store (admin API) and the authorizer `simulate` runs; null without IAM.
  policy::iam::IamStore* iam = nullptr;
  const policy::Authorizer* authorizer = nullptr;
  // STS AssumeRole's shortest DurationSeconds (AWS: 900 s; tests lower it).
  absl::Duration sts_min_duration = policy::iam::kMinSessionDuration;
  // GET /_strongbox/metrics renders this registry; null: the endpoint answers 404.
  const metrics::Registry* metrics = nullptr;
  // Checked by /_strongbox/health/ready (writable); null: not checked.
  const audit::AuditLog* audit_log = nullptr;
};

absl::Status Dispatch(RequestContext& ctx, Services& services);

// Families (one file each).
absl::Status HandleBucketOperation(RequestContext& ctx, Services& s);
absl::Status HandleCorsOperation(RequestContext& ctx, Services& s);
// ?publicAccessBlock and ?ownershipControls (public_access_handlers.cc).
absl::Status HandlePublicAccessOperation(RequestContext& ctx, Services& s);
// ?lifecycle (lifecycle_handlers.cc); the rules are carried out by server/lifecycle_worker.
absl::Status HandleLifecycleOperation(RequestContext& ctx, Services& s);
// Sets ctx.response_headers to the CORS headers when the request has an Origin that one of
// the bucket's CORS rules allows for its method.
void AddCorsResponseHeaders(RequestContext& ctx, Services& s);
absl::Status HandleObjectOperation(RequestContext& ctx, Services& s);
// POST Object (browser form upload), authenticated by the Authenticate stage from its form.
absl::Status HandlePostObject(RequestContext& ctx, Services& s);
absl::Status HandleMultipartOperation(RequestContext& ctx, Services& s);
absl::Status HandleListOperation(RequestContext& ctx, Services& s);
absl::Status HandleAdminOperation(RequestContext& ctx, Services& s);
absl::Status HandleAclOperation(RequestContext& ctx, Services& s);
absl::Status HandleTaggingOperation(RequestContext& ctx, Services& s);
absl::Status HandleObjectLockOperation(RequestContext& ctx, Services& s);
absl::Status HandleAuditOperation(RequestContext& ctx, Services& s);
absl::Status HandleRestoreOperation(RequestContext& ctx, Services& s);
absl::Status HandleIamOperation(RequestContext& ctx, Services& s);
absl::Status HandleBucketPolicyOperation(RequestContext& ctx, Services& s);
absl::Status HandleEncryptionOperation(RequestContext& ctx, Services& s);
absl::Status HandleKmsOperation(RequestContext& ctx, Services& s);
absl::Status HandleAdminBucketOperation(RequestContext& ctx, Services& s);
absl::Status HandleStsOperation(RequestContext& ctx, Services& s);
absl::Status HandleMetricsOperation(RequestContext& ctx, Services& s);

}  // namespace sb::gateway
