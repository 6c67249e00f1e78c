// Object Lock on the write and read paths of the object handlers: the
// x-amz-object-lock-* request headers (PutObject, CopyObject, CreateMultipartUpload), the
// same headers on GET/HEAD responses, and the governance bypass of deletes and retention
// changes. The rules themselves are policy/lock's. Not part of the gateway's public API.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "gateway/handlers/handlers.h"
#include "gateway/http_types.h"
#include "metadata/proto/records.pb.h"
#include "policy/lock/object_lock.h"

namespace sb::gateway {

// Replaces `tmpl`'s lock fields by the request's x-amz-object-lock-mode /
// -retain-until-date / -legal-hold (a copy never inherits its source's lock). Mode and date
// come together (InvalidArgument otherwise, also for an unknown mode, a date that is not ISO
// 8601 or not in the future, or a legal hold other than ON/OFF); any of them on a bucket
// without Object Lock is InvalidRequest. With `body_checksum_required` (PutObject), a request
// carrying them must also carry Content-MD5 or an x-amz-checksum-* (InvalidRequest).
absl::Status ApplyLockHeaders(const RequestContext& ctx, Services& s, metadata::ObjectRecord& tmpl,
                              bool body_checksum_required);

// x-amz-object-lock-mode / -retain-until-date / -legal-hold for a GET/HEAD response, each
// only if the caller may read it (s3:GetObjectRetention, s3:GetObjectLegalHold), as S3.
void AppendLockHeaders(RequestContext& ctx, Services& s, const metadata::ObjectRecord& object,
                       HeaderList& headers);

// The override a request may use on `key`: bypass_governance only when it sends
// x-amz-bypass-governance-retention: true and its principal is allowed
// s3:BypassGovernanceRetention on the object (root always is).
policy::lock::LockOverride LockOverrideFor(RequestContext& ctx, Services& s, std::string_view key);

}  // namespace sb::gateway
