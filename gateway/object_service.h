// ObjectService: composes metadata (RocksDB) and erasure (drives) into S3 object
// semantics. Write order: data durable first (DataPlane Finish = fdatasync), then one
// metadata batch commits the version (the atomic point); replaced data is freed after the
// commit. A version's data (and its sealed keys, which live in its record) stays until
// that version itself is removed: by overwriting the null version, or by a versioned
// delete. Returned records carry the version id the store assigned. A crash before the commit
// leaves only unreferenced shards (swept later). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "erasure/data_plane.h"
#include "gateway/body_source.h"
#include "gateway/object_encryption.h"
#include "metadata/metadata_store.h"
#include "policy/lock/object_lock.h"
#include "policy/sse/keyring.h"
#include "policy/sse/sse_c.h"

namespace sb::gateway {

class ChecksumCheckSource;

inline constexpr uint64_t kMaxPutSize = 5ULL << 30;   // S3's single PUT limit
inline constexpr uint64_t kMinPartSize = 5ULL << 20;  // except the last part
inline constexpr uint32_t kMaxPartNumber = 10000;

struct WriteChecks {
  std::optional<uint64_t> expected_size;   // decoded body length, when known up front
  std::optional<std::string> content_md5;  // raw 16-byte digest from Content-MD5
  uint64_t max_size = kMaxPutSize;
  // The body's verified S3 additional checksum (RequestContext::checksum), recorded with
  // the object or part; null: none sent.
  const ChecksumCheckSource* checksum = nullptr;
};

// The source of a copy: where it lives and, for an SSE-C source, its customer key.
struct CopySourceObject {
  std::string bucket;
  metadata::ObjectRecord record;
  std::optional<sse::SseCKey> customer_key;
};

// A conditional write (PutObject, CompleteMultipartUpload): If-None-Match: * (only if the
// key has no current version) or an ETag (unless the current version has it), and
// If-Match: * (only if the key has a current version) or an ETag (only if it has that one).
// Checked before any byte is stored (412 PreconditionFailed; If-Match on a missing key is
// 404 NoSuchKey) and again atomically with the commit, where a failure means another write
// won the race: 409 ConditionalRequestConflict, nothing visible.
struct WriteCondition {
  std::optional<std::string> if_none_match;  // "*" or an ETag without quotes
  std::optional<std::string> if_match;       // "*" or an ETag without quotes
  bool empty() const { return !if_none_match.has_value() && !if_match.has_value(); }
};

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;  // without quotes
  // The part's checksum as listed (base64) and its algorithm ("SHA256"); empty: not listed.
  std::string checksum_algorithm{};  // {}: brace-initialized lists may leave it out
  std::string checksum{};
};

// CompleteMultipartUpload's whole-object checksum claims (x-amz-checksum-<alg> and
// x-amz-checksum-type headers); empty: not sent.
struct ExpectedChecksum {
  std::string algorithm;
  std::string value;
  std::string type;
};

class ObjectService {
 public:
  ObjectService(metadata::MetadataStore& meta, erasure::DataPlane& data, const Clock& clock,
                sse::Keyring& keyring);

  // Streams `body` into a new object version built from `tmpl` (key and headers set),
  // encrypted as `encryption` asks (unset: the bucket default). BadDigest, IncompleteBody,
  // EntityTooLarge, NoSuchBucket; KMS errors (unknown key, kKmsKeyDisabled).
  absl::StatusOr<metadata::ObjectRecord> PutObject(std::string_view bucket,
                                                   metadata::ObjectRecord tmpl, BodySource& body,
                                                   const WriteChecks& checks,
                                                   const EncryptionSpec& encryption = {},
                                                   const WriteCondition& condition = {});

  // Copies `src`'s bytes (decrypted, re-encrypted as `encryption` asks) into a new version
  // of `tmpl.key()` in `bucket`. Source key errors as ReadRange.
  absl::StatusOr<metadata::ObjectRecord> CopyObject(const CopySourceObject& src,
                                                    std::string_view bucket,
                                                    metadata::ObjectRecord tmpl,
                                                    const EncryptionSpec& encryption = {});

  // Streams plaintext bytes [offset, offset+length) of `object` (stored in `bucket`) to
  // `sink` across its parts, reading only the ciphertext packages that cover the range.
  // SSE-C objects need `customer_key` (CheckCustomerKey errors); a disabled KMS key is
  // FailedPrecondition(kKmsKeyDisabled); tampered data is DataLoss(kDataCorrupted).
  absl::Status ReadRange(std::string_view bucket, const metadata::ObjectRecord& object,
                         uint64_t offset, uint64_t length, const erasure::ByteSink& sink,
                         const sse::SseCKey* customer_key = nullptr);

  // Everything ReadRange checks before the first byte: the customer key, and that the first
  // part's data key unwraps (disabled or missing KMS key). Use before starting a response.
  absl::Status CheckReadable(std::string_view bucket, const metadata::ObjectRecord& object,
                             const sse::SseCKey* customer_key);

  // The encryption a write to `bucket` gets for `requested`, with the bucket default and
  // default KMS key filled in; a named KMS key must exist and be enabled. NoSuchBucket.
  absl::StatusOr<EncryptionSpec> ResolveForBucket(std::string_view bucket,
                                                  const EncryptionSpec& requested);

  // DELETE without a version id, as the bucket's versioning state says (see
  // MetadataStore::DeleteKey): frees the data of a version it removes. A delete marker it
  // writes is owned by `owner`. NoSuchBucket.
  absl::StatusOr<metadata::DeleteResult> DeleteObject(std::string_view bucket, std::string_view key,
                                                      std::string_view owner = "");
  // Removes one version or delete marker for good and frees its data; absent versions are
  // not an error. Object Lock: refused (PermissionDenied(kAccessDenied), nothing removed)
  // unless policy::lock::CheckVersionRemovable allows it with `override`, checked under the
  // key's lock. NoSuchBucket; InvalidArgument for a malformed version id.
  absl::StatusOr<metadata::DeleteResult> DeleteObjectVersion(
      std::string_view bucket, std::string_view key, std::string_view version_id,
      policy::lock::LockOverride override = {});
  // For any path that would remove a whole bucket with its contents (the admin API; never
  // S3 DeleteBucket, which needs an empty bucket): FailedPrecondition(kInvalidBucketState)
  // while any version in it is under retention or legal hold (policy::lock::
  // CheckBucketRemovable on every version). NoSuchBucket.
  absl::Status CheckBucketRemovable(std::string_view bucket);

  // Multipart. NoSuchUpload for unknown uploads. Parts use the upload's encryption; SSE-C
  // uploads need the same customer key on every part (SpecFromRecord errors).
  absl::StatusOr<metadata::DataPart> UploadPart(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id, uint32_t part_number,
                                                BodySource& body, const WriteChecks& checks,
                                                const sse::SseCKey* customer_key = nullptr);
  // UploadPartCopy: bytes [offset, offset+length) of `src` become the part.
  absl::StatusOr<metadata::DataPart> CopyPart(const CopySourceObject& src, uint64_t offset,
                                              uint64_t length, std::string_view bucket,
                                              std::string_view key, std::string_view upload_id,
                                              uint32_t part_number,
                                              const sse::SseCKey* customer_key = nullptr);
  // InvalidPart (also a listed part checksum that is not the stored one), InvalidPartOrder,
  // EntityTooSmall, NoSuchUpload; a `customer_key` that is not the upload's SSE-C key
  // (SpecFromRecord errors); BadDigest when `expected` does not match the whole-object
  // checksum computed from the parts' (uploads with a checksum algorithm).
  absl::StatusOr<metadata::ObjectRecord> CompleteUpload(
      std::string_view bucket, std::string_view key, std::string_view upload_id,
      const std::vector<CompletedPart>& parts, const WriteCondition& condition = {},
      const sse::SseCKey* customer_key = nullptr, const ExpectedChecksum& expected = {});
  absl::Status AbortUpload(std::string_view bucket, std::string_view key,
                           std::string_view upload_id);

  metadata::MetadataStore& meta() { return meta_; }
  const Clock& clock() const { return clock_; }
  sse::Keyring& keyring() { return keyring_; }

 private:
  // Writes a body to the data plane encrypted under `spec` with `context`, returning a
  // DataPart (etag = hex md5 of the plaintext; of the ciphertext for SSE-C).
  absl::StatusOr<metadata::DataPart> WriteData(BodySource& body, const WriteChecks& checks,
                                               uint32_t part_number, const EncryptionSpec& spec,
                                               const sse::EncryptionContext& context);
  absl::StatusOr<metadata::DataPart> CopyData(const CopySourceObject& src, uint64_t offset,
                                              uint64_t length, uint32_t part_number,
                                              const EncryptionSpec& spec,
                                              const sse::EncryptionContext& context);
  // Plaintext [offset, offset+n) of one part.
  absl::Status ReadPart(const metadata::DataPart& part, const sse::EncryptionContext& context,
                        uint64_t offset, uint64_t n, const erasure::ByteSink& sink,
                        const sse::SseCKey* customer_key);
  absl::StatusOr<metadata::ObjectRecord> Commit(std::string_view bucket,
                                                metadata::ObjectRecord record,
                                                const WriteCondition& condition = {});
  // The early (non-atomic) check of `condition` against the key's current version.
  absl::Status CheckWriteCondition(std::string_view bucket, std::string_view key,
                                   const WriteCondition& condition);
  // Object Lock on a new version: lock fields need a lock-enabled bucket (InvalidRequest);
  // the bucket's default retention fills a version that names none. NoSuchBucket.
  absl::Status ApplyBucketLock(std::string_view bucket, metadata::ObjectRecord& record);
  // Best effort: a failure leaves orphan shards for the sweeper, never a dangling record.
  void FreeParts(const google::protobuf::RepeatedPtrField<metadata::DataPart>& parts);
  void FreePart(const metadata::DataPart& part);

  metadata::MetadataStore& meta_;
  erasure::DataPlane& data_;
  const Clock& clock_;
  sse::Keyring& keyring_;
};

}  // namespace sb::gateway
