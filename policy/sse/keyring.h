// Keyring: the built-in KMS. Named 256-bit master keys with versions (rotation adds one; old
// versions stay so existing data keys still unwrap) and an enabled/disabled state, persisted
// through a KeyringStore as one blob sealed under the KMS root key. Data keys use envelope
// encryption: GenerateDataKey wraps a fresh key under a master key's newest version.
// Thread-safety: all methods are safe to call concurrently; mutations are serialized.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "policy/sse/encryption_context.h"
#include "policy/sse/internal/keyring_codec.h"
#include "policy/sse/key256.h"
#include "policy/sse/keyring_store.h"
#include "policy/sse/kms_types.h"

namespace sb::sse {

// Reads the key id and version of a sealed data key without opening it.
// DataLoss(kDataCorrupted) if `sealed` is malformed.
absl::StatusOr<SealedKeyHeader> InspectSealedDataKey(std::string_view sealed);

// Data-key operations since Open, for monitoring: [operation][0 = ok, 1 = failed].
struct KmsStats {
  enum Op { kGenerate = 0, kUnwrap = 1, kRewrap = 2, kOpCount = 3 };
  uint64_t count[kOpCount][2] = {};
};

class Keyring {
 public:
  // The reserved master key behind SSE-S3 (always present, created on first open).
  static constexpr char kSseS3KeyId[] = "sse-s3";

  // Loads the keyring from `store` (an empty store starts a new keyring), then makes sure
  // kSseS3KeyId exists, saving if it had to create it. PermissionDenied(kAccessDenied) if
  // `root_key` does not open the stored keyring; DataLoss(kDataCorrupted) if it is garbage;
  // store errors are returned as is.
  static absl::StatusOr<std::unique_ptr<Keyring>> Open(const Key256& root_key,
                                                       std::unique_ptr<KeyringStore> store);

  // Creates an enabled key with one version and saves. InvalidArgument(kInvalidArgument) for a
  // bad id (1..250 of [A-Za-z0-9._/:-]); AlreadyExists if it exists. On a failed save the
  // keyring is unchanged.
  absl::Status CreateKey(std::string_view key_id);
  // Adds a version (new wraps use it) and saves; returns the new version number.
  // NotFound(kInvalidArgument) for an unknown key; FailedPrecondition(kKmsKeyDisabled) if
  // disabled.
  absl::StatusOr<uint32_t> RotateKey(std::string_view key_id);
  // Enables or disables a key and saves. NotFound(kInvalidArgument) for an unknown key.
  absl::Status SetKeyState(std::string_view key_id, KeyState state);

  // NotFound(kInvalidArgument) for an unknown key.
  absl::StatusOr<KeyInfo> DescribeKey(std::string_view key_id) const;
  // Every key, sorted by id.
  std::vector<KeyInfo> ListKeys() const;

  // A fresh random data key, sealed under `key_id`'s newest version with `context` as AAD.
  // NotFound(kInvalidArgument) for an unknown key; FailedPrecondition(kKmsKeyDisabled).
  absl::StatusOr<DataKey> GenerateDataKey(std::string_view key_id,
                                          const EncryptionContext& context) const;
  // Opens a sealed data key. DataLoss(kDataCorrupted) if malformed; NotFound(kInvalidArgument)
  // if its key or version does not exist; FailedPrecondition(kKmsKeyDisabled) if the key is
  // disabled; PermissionDenied(kAccessDenied) if `context` differs from the one it was
  // sealed with (or the blob was tampered with).
  absl::StatusOr<Key256> UnwrapDataKey(std::string_view sealed,
                                       const EncryptionContext& context) const;
  // Re-seals a data key under its master key's newest version (same plaintext key, so the
  // data need not be rewritten). Errors as UnwrapDataKey.
  absl::StatusOr<std::string> Rewrap(std::string_view sealed,
                                     const EncryptionContext& context) const;

  KmsStats Stats() const;

 private:
  Keyring(const Key256& root_key, std::unique_ptr<KeyringStore> store, internal::MasterKeyMap keys);

  absl::Status SaveLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The record of `key_id`, or NotFound(kInvalidArgument).
  absl::StatusOr<const internal::MasterKeyRecord*> FindLocked(std::string_view key_id) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Opens `sealed`, returning its key and master key record.
  absl::StatusOr<Key256> UnwrapLocked(std::string_view sealed, const EncryptionContext& context,
                                      SealedKeyHeader* header) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  void Count(KmsStats::Op op, bool ok) const {
    counts_[op][ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
  }

  mutable std::atomic<uint64_t> counts_[KmsStats::kOpCount][2] = {};
  const Key256 root_key_;
  const std::unique_ptr<KeyringStore> store_;
  mutable absl::Mutex mu_;
  internal::MasterKeyMap keys_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sb::sse
