#include "gateway/object_encryption.h"

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/sse/sse_metadata.h"

namespace sb::gateway {
namespace {

constexpr char kAes256[] = "AES256";
constexpr char kAwsKms[] = "aws:kms";

absl::Status InvalidRequest(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest, message);
}

}  // namespace

namespace {
std::atomic<bool> g_store_unencrypted{false};
}  // namespace

void SetStoreUnencryptedByDefault(bool on) { g_store_unencrypted.store(on); }
bool StoreUnencryptedByDefault() { return g_store_unencrypted.load(std::memory_order_relaxed); }

absl::StatusOr<EncryptionSpec> ResolveEncryption(const metadata::BucketRecord& bucket,
                                                 EncryptionSpec spec) {
  if (!spec.mode.has_value()) {
    const auto& def = bucket.encryption();
    if (bucket.has_encryption() && def.sse_algorithm() == kAwsKms) {
      spec.mode = sse::SseMode::kKms;
      spec.kms_key_id = def.kms_master_key_id();
    } else {
      spec.mode = sse::SseMode::kS3;
      spec.unencrypted = StoreUnencryptedByDefault();
    }
  }
  if (*spec.mode == sse::SseMode::kKms && spec.kms_key_id.empty()) {
    spec.kms_key_id = kDefaultKmsKeyId;
  }
  if (*spec.mode == sse::SseMode::kCustomer && !spec.customer_key.has_value()) {
    return InvalidRequest("SSE-C needs the customer key");
  }
  return spec;
}

void SetEncryptionFields(const EncryptionSpec& spec, metadata::ObjectRecord* record) {
  record->clear_sse_algorithm();
  record->clear_sse_kms_key_id();
  record->clear_sse_kms_context();
  record->clear_sse_customer_algorithm();
  record->clear_sse_customer_key_md5();
  if (spec.unencrypted) return;
  switch (spec.mode.value_or(sse::SseMode::kS3)) {
    case sse::SseMode::kS3:
      record->set_sse_algorithm(kAes256);
      break;
    case sse::SseMode::kKms:
      record->set_sse_algorithm(kAwsKms);
      record->set_sse_kms_key_id(spec.kms_key_id);
      for (const auto& [k, v] : spec.kms_context) (*record->mutable_sse_kms_context())[k] = v;
      break;
    case sse::SseMode::kCustomer:
      record->set_sse_customer_algorithm(kAes256);
      if (spec.customer_key) record->set_sse_customer_key_md5(spec.customer_key->key_md5_b64());
      break;
  }
}

absl::StatusOr<EncryptionSpec> SpecFromRecord(const metadata::ObjectRecord& record,
                                              const sse::SseCKey* customer_key) {
  EncryptionSpec spec;
  if (!record.sse_customer_algorithm().empty()) {
    if (customer_key == nullptr) {
      return InvalidRequest(
          "The object was stored using a form of Server Side Encryption. The correct "
          "parameters must be provided to retrieve the object.");
    }
    if (customer_key->key_md5_b64() != record.sse_customer_key_md5()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "The provided encryption parameters did not match the ones used "
                       "originally.");
    }
    spec.mode = sse::SseMode::kCustomer;
    spec.customer_key = *customer_key;
    return spec;
  }
  if (customer_key != nullptr) {
    return InvalidRequest(
        "The encryption parameters are not applicable to this object (it does not use a "
        "customer-provided key).");
  }
  if (record.sse_algorithm() == kAwsKms) {
    spec.mode = sse::SseMode::kKms;
    spec.kms_key_id = record.sse_kms_key_id();
    spec.kms_context = KmsContextOf(record);
  } else {
    spec.mode = sse::SseMode::kS3;
    // A multipart upload created under --insecure-no-encryption keeps its parts plaintext.
    spec.unencrypted = record.sse_algorithm().empty() && StoreUnencryptedByDefault();
  }
  return spec;
}

sse::EncryptionContext KmsContextOf(const metadata::ObjectRecord& record) {
  sse::EncryptionContext context;
  for (const auto& [k, v] : record.sse_kms_context()) context[k] = v;
  return context;
}

sse::EncryptionContext ObjectContext(std::string_view bucket, std::string_view key,
                                     const sse::EncryptionContext& kms_context) {
  sse::EncryptionContext context = kms_context;
  context[kArnContextKey] = absl::StrCat("arn:aws:s3:::", AsAbsl(bucket), "/", AsAbsl(key));
  return context;
}

absl::StatusOr<sse::ObjectKey> NewObjectKey(sse::Keyring& keyring, const EncryptionSpec& spec,
                                            const sse::EncryptionContext& context) {
  switch (spec.mode.value_or(sse::SseMode::kS3)) {
    case sse::SseMode::kS3:
      return sse::NewSseS3ObjectKey(keyring, context);
    case sse::SseMode::kKms: {
      auto key = sse::NewSseKmsObjectKey(keyring, spec.kms_key_id, context);
      if (key.ok() || spec.kms_key_id != kDefaultKmsKeyId ||
          key.status().code() != absl::StatusCode::kNotFound) {
        return key;
      }
      // The default key is made on first use, as AWS makes aws/s3 for an account.
      absl::Status created = keyring.CreateKey(kDefaultKmsKeyId);
      if (!created.ok() && created.code() != absl::StatusCode::kAlreadyExists) return created;
      return sse::NewSseKmsObjectKey(keyring, spec.kms_key_id, context);
    }
    case sse::SseMode::kCustomer:
      if (!spec.customer_key) return InvalidRequest("SSE-C needs the customer key");
      return sse::NewSseCObjectKey(*spec.customer_key, context);
  }
  return absl::InternalError("unknown SSE mode");
}

absl::Status CheckCustomerKey(const metadata::ObjectRecord& record,
                              const sse::SseCKey* customer_key) {
  if (record.sse_customer_algorithm().empty()) {
    if (customer_key == nullptr) return absl::OkStatus();
    return InvalidRequest(
        "The encryption parameters are not applicable to this object (it does not use a "
        "customer-provided key).");
  }
  if (customer_key == nullptr) {
    return InvalidRequest(
        "The object was stored using a form of Server Side Encryption. The correct "
        "parameters must be provided to retrieve the object.");
  }
  // A key with another MD5 is simply the wrong key; the key check below catches the rest.
  if (customer_key->key_md5_b64() != record.sse_customer_key_md5()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "Access Denied: the customer-provided key does not match the object's");
  }
  if (record.parts_size() == 0 || record.parts(0).sse().empty()) return absl::OkStatus();
  SB_ASSIGN_OR_RETURN(sse::SseMetadata meta, sse::SseMetadata::Parse(record.parts(0).sse()));
  if (meta.mode != sse::SseMode::kCustomer) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     "object record and part disagree about SSE-C");
  }
  return customer_key->Verify(sse::KeyCheck{meta.customer_salt, meta.customer_check});
}

}  // namespace sb::gateway
