// Per-object (per-part) key material for the three SSE modes: NewObjectKey* make a fresh data
// key and base nonce plus the SseMetadata to store; OpenObjectKey recovers the data key of a
// stored object. This is the entry point the gateway uses around Encrypting/Decrypting.
// Thread-safety: free functions; safe wherever the Keyring is (it is thread-safe).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "policy/sse/encryption_context.h"
#include "policy/sse/key256.h"
#include "policy/sse/keyring.h"
#include "policy/sse/sse_c.h"
#include "policy/sse/sse_metadata.h"

namespace sb::sse {

struct ObjectKey {
  Key256 data_key;  // never stored
  // Store this (Serialize()) in the object record after setting plaintext_size once the
  // stream is finished.
  SseMetadata metadata;
};

// SSE-S3: data key sealed under the reserved Keyring::kSseS3KeyId key. Errors as
// Keyring::GenerateDataKey.
absl::StatusOr<ObjectKey> NewSseS3ObjectKey(const Keyring& keyring,
                                            const EncryptionContext& context);
// SSE-KMS with a named master key. NotFound(kInvalidArgument) for an unknown key id,
// FailedPrecondition(kKmsKeyDisabled) for a disabled one.
absl::StatusOr<ObjectKey> NewSseKmsObjectKey(const Keyring& keyring, std::string_view key_id,
                                             const EncryptionContext& context);
// SSE-C: a random data key wrapped under the customer's key, plus a fresh KeyCheck.
absl::StatusOr<ObjectKey> NewSseCObjectKey(const SseCKey& customer_key,
                                           const EncryptionContext& context);

// Recovers the data key of a stored object. `customer_key` must be given exactly for SSE-C
// objects: InvalidArgument(kInvalidRequest) if it is missing for one or given for another.
// A wrong customer key is PermissionDenied(kAccessDenied); otherwise errors as
// Keyring::UnwrapDataKey and SseCKey::UnwrapDataKey.
absl::StatusOr<Key256> OpenObjectKey(const SseMetadata& metadata, const Keyring& keyring,
                                     const SseCKey* customer_key, const EncryptionContext& context);

}  // namespace sb::sse
