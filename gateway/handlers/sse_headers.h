// S3 encryption headers: x-amz-server-side-encryption (AES256 | aws:kms, with KMS key id and
// encryption context) and the SSE-C customer-key triple, on requests and echoed on
// responses. Not part of the gateway's public API. Thread-safe (pure functions).
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "gateway/http_types.h"
#include "gateway/object_encryption.h"
#include "gateway/request_context.h"
#include "metadata/proto/records.pb.h"
#include "policy/sse/sse_c.h"

namespace sb::gateway {

// The encryption a write asks for (mode unset: none asked, the bucket default applies).
// InvalidArgument(kInvalidArgument) for an unknown algorithm, a KMS key id or context
// without aws:kms, a context that is not base64 of a JSON object of strings (or uses the
// reserved "aws:" prefix), SSE-C mixed with x-amz-server-side-encryption, or SSE-C headers
// that are incomplete or invalid (SseCKey::FromHeaders).
absl::StatusOr<EncryptionSpec> EncryptionFromRequest(const RequestContext& ctx);

// The SSE-C key of the request (or, with `copy_source`, of the copy source from the
// x-amz-copy-source-server-side-encryption-customer-* headers); nullopt if none is sent.
// InvalidArgument(kInvalidArgument) if incomplete or invalid.
absl::StatusOr<std::optional<sse::SseCKey>> CustomerKeyFromRequest(const RequestContext& ctx,
                                                                   bool copy_source);

// A bare KMS key id, or the id part of a KMS key ARN (arn:aws:kms:region:account:key/ID).
std::string NormalizeKmsKeyId(const std::string& id);

// True if the request carries any x-amz-server-side-encryption* header.
bool HasEncryptionHeaders(const RequestContext& ctx);

// Echoes `record`'s encryption as S3 does: x-amz-server-side-encryption (+ KMS key id, and
// with `with_context` the base64 JSON encryption context), or the SSE-C algorithm and key
// MD5.
void AppendEncryptionHeaders(const metadata::ObjectRecord& record, HeaderList& headers,
                             bool with_context);

}  // namespace sb::gateway
