// Encryption at rest for the ObjectService: which SSE mode a write uses (the request's
// choice or the bucket's default), the record fields S3 echoes for it, the encryption
// context that binds a sealed data key to its object, and opening a stored part's key.
// Thread-safety: values and free functions; the Keyring they use is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "metadata/proto/records.pb.h"
#include "policy/sse/encryption_context.h"
#include "policy/sse/keyring.h"
#include "policy/sse/object_keys.h"
#include "policy/sse/sse_c.h"

namespace sb::gateway {

// The master key SSE-KMS uses when a request names none (AWS's "aws/s3" managed key);
// created on first use.
inline constexpr char kDefaultKmsKeyId[] = "aws/s3";
// The context entry every data key is bound to (AWS uses the same name for SSE-KMS).
inline constexpr char kArnContextKey[] = "aws:s3:arn";

// What a write asks for. `mode` unset means "the bucket's default" (SSE-S3 without one).
struct EncryptionSpec {
  std::optional<sse::SseMode> mode;
  std::string kms_key_id;                    // kKms; empty: kDefaultKmsKeyId
  sse::EncryptionContext kms_context;        // kKms: the caller's extra pairs
  std::optional<sse::SseCKey> customer_key;  // kCustomer
  // Store plaintext (mode stays kS3 for callers that need one): only ever set by
  // ResolveEncryption/SpecFromRecord under --insecure-no-encryption.
  bool unencrypted = false;
};

// The server's --insecure-no-encryption switch (measurement only, docs/security.md): new
// objects that ask for no encryption, in buckets without a default, are stored unencrypted.
// Set once at startup, before any request; off by default. Thread-safe.
void SetStoreUnencryptedByDefault(bool on);
bool StoreUnencryptedByDefault();

// Fills in the bucket default and the default KMS key: the result has `mode` set, and a
// key id for kKms (or `unencrypted`, see SetStoreUnencryptedByDefault). InvalidArgument if
// kCustomer comes without a key.
absl::StatusOr<EncryptionSpec> ResolveEncryption(const metadata::BucketRecord& bucket,
                                                 EncryptionSpec spec);

// Records a resolved spec in `record`'s sse_* fields (clearing any others first).
void SetEncryptionFields(const EncryptionSpec& spec, metadata::ObjectRecord* record);

// The spec a multipart part or a re-encryption of `record` must use: mode, KMS key and
// context from its sse_* fields, and `customer_key` for SSE-C. For SSE-C the key is
// required and must be the one whose MD5 the record holds: InvalidArgument(kInvalidRequest)
// if missing, InvalidArgument(kInvalidArgument) if different; a key for a non-SSE-C record is
// InvalidArgument(kInvalidRequest).
absl::StatusOr<EncryptionSpec> SpecFromRecord(const metadata::ObjectRecord& record,
                                              const sse::SseCKey* customer_key);

// The x-amz-server-side-encryption-context pairs stored in `record` (empty unless SSE-KMS).
sse::EncryptionContext KmsContextOf(const metadata::ObjectRecord& record);

// {"aws:s3:arn": "arn:aws:s3:::bucket/key"} plus the record's (or spec's) KMS pairs.
sse::EncryptionContext ObjectContext(std::string_view bucket, std::string_view key,
                                     const sse::EncryptionContext& kms_context);

// A fresh data key for one object or part under a resolved spec. Creates the default KMS
// key if needed. Errors as sse::NewSse*ObjectKey (unknown KMS key: NotFound, disabled:
// FailedPrecondition(kKmsKeyDisabled)).
absl::StatusOr<sse::ObjectKey> NewObjectKey(sse::Keyring& keyring, const EncryptionSpec& spec,
                                            const sse::EncryptionContext& context);

// Checks that `customer_key` fits `record` before any data is read: required (and right)
// for SSE-C records, refused for others. InvalidArgument(kInvalidRequest) if missing or not
// applicable; PermissionDenied(kAccessDenied) if wrong (verified against the first part's
// key check); DataLoss(kDataCorrupted) if the stored metadata is damaged.
absl::Status CheckCustomerKey(const metadata::ObjectRecord& record,
                              const sse::SseCKey* customer_key);

}  // namespace sb::gateway
