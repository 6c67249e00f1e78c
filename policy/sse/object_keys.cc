#include "policy/sse/object_keys.h"

#include <utility>

#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::sse {
namespace {

absl::StatusOr<ObjectKey> FromKms(const Keyring& keyring, SseMode mode, std::string_view key_id,
                                  const EncryptionContext& context) {
  SB_ASSIGN_OR_RETURN(DataKey data_key, keyring.GenerateDataKey(key_id, context));
  ObjectKey out;
  out.data_key = data_key.plaintext;
  out.metadata.mode = mode;
  out.metadata.key_id = data_key.key_id;
  out.metadata.sealed_data_key = std::move(data_key.sealed);
  SB_ASSIGN_OR_RETURN(out.metadata.base_nonce, RandomBaseNonce());
  return out;
}

}  // namespace

absl::StatusOr<ObjectKey> NewSseS3ObjectKey(const Keyring& keyring,
                                            const EncryptionContext& context) {
  return FromKms(keyring, SseMode::kS3, Keyring::kSseS3KeyId, context);
}

absl::StatusOr<ObjectKey> NewSseKmsObjectKey(const Keyring& keyring, std::string_view key_id,
                                             const EncryptionContext& context) {
  return FromKms(keyring, SseMode::kKms, key_id, context);
}

absl::StatusOr<ObjectKey> NewSseCObjectKey(const SseCKey& customer_key,
                                           const EncryptionContext& context) {
  ObjectKey out;
  SB_ASSIGN_OR_RETURN(out.data_key, Key256::Random());
  SB_ASSIGN_OR_RETURN(KeyCheck check, customer_key.NewKeyCheck());
  out.metadata.mode = SseMode::kCustomer;
  SB_ASSIGN_OR_RETURN(out.metadata.sealed_data_key,
                      customer_key.WrapDataKey(out.data_key, check.salt, context));
  out.metadata.customer_salt = std::move(check.salt);
  out.metadata.customer_check = std::move(check.mac);
  SB_ASSIGN_OR_RETURN(out.metadata.base_nonce, RandomBaseNonce());
  return out;
}

absl::StatusOr<Key256> OpenObjectKey(const SseMetadata& metadata, const Keyring& keyring,
                                     const SseCKey* customer_key,
                                     const EncryptionContext& context) {
  if (metadata.mode != SseMode::kCustomer) {
    if (customer_key != nullptr) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       "the object is not stored with a customer-provided key");
    }
    return keyring.UnwrapDataKey(metadata.sealed_data_key, context);
  }
  if (customer_key == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "the object was stored with a customer-provided key; it must be sent");
  }
  SB_RETURN_IF_ERROR(
      customer_key->Verify(KeyCheck{metadata.customer_salt, metadata.customer_check}));
  return customer_key->UnwrapDataKey(metadata.sealed_data_key, metadata.customer_salt, context);
}

}  // namespace sb::sse
