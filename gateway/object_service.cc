#include "gateway/object_service.h"

#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "gateway/checksum_combine.h"
#include "gateway/checksum_source.h"
#include "gateway/internal/encrypted_writer.h"
#include "gateway/internal/md5.h"
#include "policy/sse/decrypting_reader.h"
#include "policy/sse/sse_metadata.h"

namespace sb::gateway {
namespace {

constexpr size_t kIoBuffer = 1 << 20;

// The multipart ETag the listed parts would give: md5 of their binary MD5s, "-N"; empty if
// an ETag is not an MD5.
std::string MultipartEtag(const std::vector<CompletedPart>& parts) {
  std::string md5s;
  for (const auto& p : parts) {
    std::string raw;
    if (!internal::HexDecode(p.etag, &raw) || raw.size() != 16) return "";
    md5s += raw;
  }
  internal::Md5 md5;
  md5.Update(md5s);
  return absl::StrCat(internal::HexEncode(md5.FinishRaw()), "-", parts.size());
}

absl::Status BadDigest(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest, message);
}

// The whole-object checksum of a completed upload whose template names an algorithm, from
// the checksums of `record`'s parts, checked against the request's claims. An upload
// without an algorithm gets none (the claims are then unverifiable, so they are ignored);
// nor does one with a part that has no checksum (an UploadPartCopy part).
absl::Status SetMultipartChecksum(const ExpectedChecksum& expected,
                                  metadata::ObjectRecord* record) {
  const std::string algorithm = record->checksum_algorithm();
  if (algorithm.empty()) return absl::OkStatus();
  std::vector<PartChecksum> parts;
  for (const metadata::DataPart& p : record->parts()) {
    if (p.checksum().empty()) {
      record->clear_checksum_algorithm();
      record->clear_checksum_type();
      return absl::OkStatus();
    }
    parts.push_back({p.checksum(), p.size()});
  }
  if (!expected.type.empty() && expected.type != record->checksum_type()) {
    return BadDigest(absl::StrCat("The upload was created using the ", record->checksum_type(),
                                  " checksum type"));
  }
  SB_ASSIGN_OR_RETURN(std::string value,
                      MultipartChecksum(algorithm, record->checksum_type(), parts));
  if (!expected.value.empty()) {
    const std::string bare =
        value.substr(0, value.rfind('-') == std::string::npos ? value.size() : value.rfind('-'));
    if (expected.algorithm != algorithm || (expected.value != value && expected.value != bare)) {
      return BadDigest(absl::StrCat("The ", expected.algorithm,
                                    " you specified did not match the calculated checksum."));
    }
  }
  record->set_checksum(std::move(value));
  return absl::OkStatus();
}

absl::Status ConditionHolds(const WriteCondition& c, const metadata::ObjectRecord* current) {
  if (c.if_none_match.has_value() && current != nullptr &&
      (*c.if_none_match == "*" || current->etag() == *c.if_none_match)) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kPreconditionFailed,
                     "At least one of the pre-conditions you specified did not hold");
  }
  if (c.if_match.has_value()) {
    if (current == nullptr) {
      return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                       "The specified key does not exist.");
    }
    if (*c.if_match != "*" && current->etag() != *c.if_match) {
      return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kPreconditionFailed,
                       "At least one of the pre-conditions you specified did not hold");
    }
  }
  return absl::OkStatus();
}

// The commit-time check: it passed before the data was written, so a failure now means a
// concurrent write to the key won.
metadata::MetadataStore::WriteCheck AtomicCheck(const WriteCondition& c) {
  if (c.empty()) return {};
  return [&c](const metadata::ObjectRecord* current) -> absl::Status {
    if (ConditionHolds(c, current).ok()) return absl::OkStatus();
    return MakeError(absl::StatusCode::kAborted, ErrorReason::kConditionalRequestConflict,
                     "A conflicting operation occurred");
  };
}

absl::Status Incomplete(uint64_t got, uint64_t want) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kIncompleteBody,
                   absl::StrCat("received ", got, " of ", want, " bytes"));
}

}  // namespace

ObjectService::ObjectService(metadata::MetadataStore& meta, erasure::DataPlane& data,
                             const Clock& clock, sse::Keyring& keyring)
    : meta_(meta), data_(data), clock_(clock), keyring_(keyring) {}

absl::StatusOr<metadata::DataPart> ObjectService::WriteData(BodySource& body,
                                                            const WriteChecks& checks,
                                                            uint32_t part_number,
                                                            const EncryptionSpec& spec,
                                                            const sse::EncryptionContext& context) {
  if (checks.expected_size && *checks.expected_size > checks.max_size) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kEntityTooLarge,
                     "object exceeds the maximum allowed size");
  }
  SB_ASSIGN_OR_RETURN(auto writer,
                      internal::EncryptedWriter::Start(data_, keyring_, spec, context));
  std::unique_ptr<char[]> buf(new char[kIoBuffer]);
  uint64_t total = 0;
  for (;;) {
    SB_ASSIGN_OR_RETURN(size_t n, body.Read(buf.get(), kIoBuffer));
    if (n == 0) break;
    total += n;
    if (total > checks.max_size) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kEntityTooLarge,
                       "object exceeds the maximum allowed size");
    }
    SB_RETURN_IF_ERROR(writer->Write(std::string_view(buf.get(), n)));
  }
  if (checks.expected_size && total != *checks.expected_size) {
    return Incomplete(total, *checks.expected_size);
  }
  std::string digest = writer->PlaintextMd5();
  if (checks.content_md5 && *checks.content_md5 != digest) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest,
                     "The Content-MD5 you specified did not match what we received.");
  }
  return writer->Finish(part_number, digest);
}

absl::StatusOr<metadata::DataPart> ObjectService::CopyData(const CopySourceObject& src,
                                                           uint64_t offset, uint64_t length,
                                                           uint32_t part_number,
                                                           const EncryptionSpec& spec,
                                                           const sse::EncryptionContext& context) {
  const sse::SseCKey* src_key = src.customer_key ? &*src.customer_key : nullptr;
  // Fail on the source's key before making a data key for the destination.
  SB_RETURN_IF_ERROR(CheckReadable(src.bucket, src.record, src_key));
  SB_ASSIGN_OR_RETURN(auto writer,
                      internal::EncryptedWriter::Start(data_, keyring_, spec, context));
  SB_RETURN_IF_ERROR(ReadRange(
      src.bucket, src.record, offset, length,
      [&](std::string_view chunk) { return writer->Write(chunk); }, src_key));
  std::string digest = writer->PlaintextMd5();
  return writer->Finish(part_number, digest);
}

absl::Status ObjectService::CheckWriteCondition(std::string_view bucket, std::string_view key,
                                                const WriteCondition& condition) {
  if (condition.empty()) return absl::OkStatus();
  absl::StatusOr<metadata::ObjectRecord> current = meta_.GetObject(bucket, key);
  if (!current.ok() && GetReason(current.status()) != ErrorReason::kNoSuchKey) {
    return current.status();
  }
  return ConditionHolds(condition, current.ok() ? &*current : nullptr);
}

absl::StatusOr<metadata::ObjectRecord> ObjectService::Commit(std::string_view bucket,
                                                             metadata::ObjectRecord record,
                                                             const WriteCondition& condition) {
  record.set_last_modified_unix_nanos(absl::ToUnixNanos(clock_.Now()));
  absl::Status locked = ApplyBucketLock(bucket, record);
  auto written = locked.ok() ? meta_.PutObjectVersion(bucket, record, AtomicCheck(condition))
                             : absl::StatusOr<metadata::WriteVersionResult>(locked);
  if (!written.ok()) {
    FreeParts(record.parts());
    return written.status();
  }
  if (written->replaced.has_value()) FreeParts(written->replaced->parts());
  return std::move(written->version);
}

absl::Status ObjectService::ApplyBucketLock(std::string_view bucket,
                                            metadata::ObjectRecord& record) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord b, meta_.GetBucket(bucket));
  const bool named = record.lock_mode() != metadata::LOCK_MODE_NONE || record.legal_hold();
  if (named && !b.object_lock_enabled()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Bucket is missing Object Lock Configuration");
  }
  policy::lock::ApplyDefaultRetention(b, absl::FromUnixNanos(record.last_modified_unix_nanos()),
                                      record);
  return absl::OkStatus();
}

absl::StatusOr<EncryptionSpec> ObjectService::ResolveForBucket(std::string_view bucket,
                                                               const EncryptionSpec& requested) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, meta_.GetBucket(bucket));
  SB_ASSIGN_OR_RETURN(EncryptionSpec spec, ResolveEncryption(record, requested));
  // A named KMS key is checked up front, so a bad one fails before the body is read. The
  // default key may not exist yet: it is made on first use.
  if (*spec.mode == sse::SseMode::kKms && spec.kms_key_id != kDefaultKmsKeyId) {
    SB_ASSIGN_OR_RETURN(sse::KeyInfo info, keyring_.DescribeKey(spec.kms_key_id));
    if (info.state != sse::KeyState::kEnabled) {
      return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kKmsKeyDisabled,
                       absl::StrCat("KMS key ", spec.kms_key_id, " is disabled"));
    }
  }
  return spec;
}

absl::StatusOr<metadata::ObjectRecord> ObjectService::PutObject(
    std::string_view bucket, metadata::ObjectRecord tmpl, BodySource& body,
    const WriteChecks& checks, const EncryptionSpec& encryption, const WriteCondition& condition) {
  // Fails before reading the body when the bucket or the KMS key is missing.
  SB_ASSIGN_OR_RETURN(EncryptionSpec spec, ResolveForBucket(bucket, encryption));
  SB_RETURN_IF_ERROR(CheckWriteCondition(bucket, tmpl.key(), condition));
  SB_ASSIGN_OR_RETURN(
      metadata::DataPart part,
      WriteData(body, checks, 1, spec, ObjectContext(bucket, tmpl.key(), spec.kms_context)));
  SetEncryptionFields(spec, &tmpl);
  if (checks.checksum != nullptr && !checks.checksum->value().empty()) {
    tmpl.set_checksum_algorithm(checks.checksum->algorithm());
    tmpl.set_checksum(checks.checksum->value());
    tmpl.set_checksum_type(std::string(kChecksumFullObject));
  }
  tmpl.set_size(part.size());
  tmpl.set_etag(part.etag());
  tmpl.clear_parts();
  tmpl.set_multipart(false);
  *tmpl.add_parts() = std::move(part);
  return Commit(bucket, std::move(tmpl), condition);
}

absl::StatusOr<metadata::ObjectRecord> ObjectService::CopyObject(const CopySourceObject& src,
                                                                 std::string_view bucket,
                                                                 metadata::ObjectRecord tmpl,
                                                                 const EncryptionSpec& encryption) {
  SB_ASSIGN_OR_RETURN(EncryptionSpec spec, ResolveForBucket(bucket, encryption));
  if (src.record.size() > kMaxPutSize) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "The specified copy source is larger than the maximum allowable size for "
                     "a copy source: 5368709120");
  }
  SB_ASSIGN_OR_RETURN(metadata::DataPart part,
                      CopyData(src, 0, src.record.size(), 1, spec,
                               ObjectContext(bucket, tmpl.key(), spec.kms_context)));
  SetEncryptionFields(spec, &tmpl);
  tmpl.set_size(part.size());
  // S3 keeps a multipart source's ETag only for the copied bytes: a copy is a single part.
  tmpl.set_etag(part.etag());
  tmpl.clear_parts();
  tmpl.set_multipart(false);
  *tmpl.add_parts() = std::move(part);
  return Commit(bucket, std::move(tmpl));
}

absl::Status ObjectService::CheckReadable(std::string_view bucket,
                                          const metadata::ObjectRecord& object,
                                          const sse::SseCKey* customer_key) {
  SB_RETURN_IF_ERROR(CheckCustomerKey(object, customer_key));
  if (object.parts_size() == 0 || object.parts(0).sse().empty()) return absl::OkStatus();
  SB_ASSIGN_OR_RETURN(sse::SseMetadata meta, sse::SseMetadata::Parse(object.parts(0).sse()));
  const sse::SseCKey* key = meta.mode == sse::SseMode::kCustomer ? customer_key : nullptr;
  return sse::OpenObjectKey(meta, keyring_, key,
                            ObjectContext(bucket, object.key(), KmsContextOf(object)))
      .status();
}

absl::Status ObjectService::ReadPart(const metadata::DataPart& part,
                                     const sse::EncryptionContext& context, uint64_t offset,
                                     uint64_t n, const erasure::ByteSink& sink,
                                     const sse::SseCKey* customer_key) {
  SB_ASSIGN_OR_RETURN(erasure::DataRef ref, erasure::DataRef::Parse(part.data_ref()));
  // Data written before encryption at rest is served as stored.
  if (part.sse().empty()) return data_.Read(ref, offset, n, sink);
  SB_ASSIGN_OR_RETURN(sse::SseMetadata meta, sse::SseMetadata::Parse(part.sse()));
  if (meta.plaintext_size != part.size()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     "part size and encryption metadata disagree");
  }
  const sse::SseCKey* key = meta.mode == sse::SseMode::kCustomer ? customer_key : nullptr;
  SB_ASSIGN_OR_RETURN(sse::Key256 data_key, sse::OpenObjectKey(meta, keyring_, key, context));
  auto fetch = [&](uint64_t off, uint64_t len, std::string* out) {
    out->clear();
    out->reserve(len);
    return data_.Read(ref, off, len, [out](std::string_view chunk) {
      out->append(chunk);
      return absl::OkStatus();
    });
  };
  return sse::DecryptRange(
      data_key, meta.base_nonce, meta.plaintext_size, offset, n, fetch,
      [&sink](std::string_view plain) { return sink(plain); }, meta.package_size);
}

absl::Status ObjectService::ReadRange(std::string_view bucket, const metadata::ObjectRecord& object,
                                      uint64_t offset, uint64_t length,
                                      const erasure::ByteSink& sink,
                                      const sse::SseCKey* customer_key) {
  if (offset + length > object.size()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRange,
                     "range beyond object size");
  }
  SB_RETURN_IF_ERROR(CheckCustomerKey(object, customer_key));
  const sse::EncryptionContext context = ObjectContext(bucket, object.key(), KmsContextOf(object));
  uint64_t part_start = 0;
  for (const auto& part : object.parts()) {
    if (length == 0) break;
    uint64_t part_end = part_start + part.size();
    if (offset < part_end) {
      uint64_t in_part = offset - part_start;
      uint64_t n = std::min<uint64_t>(length, part.size() - in_part);
      SB_RETURN_IF_ERROR(ReadPart(part, context, in_part, n, sink, customer_key));
      offset += n;
      length -= n;
    }
    part_start = part_end;
  }
  if (length != 0) return absl::DataLossError("object parts shorter than its size");
  return absl::OkStatus();
}

absl::StatusOr<metadata::DeleteResult> ObjectService::DeleteObject(std::string_view bucket,
                                                                   std::string_view key,
                                                                   std::string_view owner) {
  metadata::ObjectRecord marker;
  marker.set_owner(std::string(owner));
  marker.set_last_modified_unix_nanos(absl::ToUnixNanos(clock_.Now()));
  SB_ASSIGN_OR_RETURN(metadata::DeleteResult result, meta_.DeleteKey(bucket, key, marker));
  if (result.removed.has_value()) FreeParts(result.removed->parts());
  return result;
}

absl::StatusOr<metadata::DeleteResult> ObjectService::DeleteObjectVersion(
    std::string_view bucket, std::string_view key, std::string_view version_id,
    policy::lock::LockOverride override) {
  const absl::Time now = clock_.Now();
  SB_ASSIGN_OR_RETURN(
      metadata::DeleteResult result,
      meta_.DeleteObjectVersion(
          bucket, key, version_id, [now, override](const metadata::ObjectRecord& version) {
            return policy::lock::CheckVersionRemovable(version, now, override);
          }));
  if (result.removed.has_value()) FreeParts(result.removed->parts());
  return result;
}

absl::Status ObjectService::CheckBucketRemovable(std::string_view bucket) {
  const absl::Time now = clock_.Now();
  metadata::ListVersionsOptions options;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListVersionsResult page,
                        meta_.ListObjectVersions(bucket, options));
    for (const metadata::VersionEntry& entry : page.versions) {
      SB_RETURN_IF_ERROR(policy::lock::CheckBucketRemovable(entry.record, now));
    }
    if (!page.is_truncated) return absl::OkStatus();
    options.key_marker = page.next_key_marker;
    options.version_id_marker = page.next_version_id_marker;
  }
}

absl::StatusOr<metadata::DataPart> ObjectService::UploadPart(
    std::string_view bucket, std::string_view key, std::string_view upload_id, uint32_t part_number,
    BodySource& body, const WriteChecks& checks, const sse::SseCKey* customer_key) {
  SB_ASSIGN_OR_RETURN(metadata::UploadRecord upload, meta_.GetUpload(bucket, key, upload_id));
  SB_ASSIGN_OR_RETURN(EncryptionSpec spec, SpecFromRecord(upload.object_template(), customer_key));
  // An upload with a checksum algorithm records every part's checksum in it: the one the
  // request carried (which must be of that algorithm) or, without one, the server's own.
  const std::string& algorithm = upload.object_template().checksum_algorithm();
  const ChecksumCheckSource* checksum = checks.checksum;
  std::unique_ptr<ChecksumCheckSource> computed;
  BodySource* source = &body;
  if (!algorithm.empty() && checksum != nullptr && checksum->algorithm() != algorithm) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     absl::StrCat("Checksum Type mismatch occurred, expected checksum Type: ",
                                  absl::AsciiStrToLower(algorithm), ", actual checksum Type: ",
                                  absl::AsciiStrToLower(checksum->algorithm())));
  }
  if (!algorithm.empty() && checksum == nullptr) {
    SB_ASSIGN_OR_RETURN(ChecksumCalculator calc, ChecksumCalculator::Create(algorithm));
    computed =
        std::make_unique<ChecksumCheckSource>(&body, std::move(calc), algorithm, "", nullptr, "");
    checksum = computed.get();
    source = computed.get();
  }
  SB_ASSIGN_OR_RETURN(
      metadata::DataPart part,
      WriteData(*source, checks, part_number, spec, ObjectContext(bucket, key, spec.kms_context)));
  if (!algorithm.empty()) part.set_checksum(checksum->value());
  auto replaced = meta_.PutPart(bucket, key, upload_id, part);
  if (!replaced.ok()) {
    FreePart(part);
    return replaced.status();
  }
  if (replaced->has_value()) FreePart(**replaced);
  return part;
}

absl::StatusOr<metadata::DataPart> ObjectService::CopyPart(
    const CopySourceObject& src, uint64_t offset, uint64_t length, std::string_view bucket,
    std::string_view key, std::string_view upload_id, uint32_t part_number,
    const sse::SseCKey* customer_key) {
  SB_ASSIGN_OR_RETURN(metadata::UploadRecord upload, meta_.GetUpload(bucket, key, upload_id));
  SB_ASSIGN_OR_RETURN(EncryptionSpec spec, SpecFromRecord(upload.object_template(), customer_key));
  SB_ASSIGN_OR_RETURN(metadata::DataPart part,
                      CopyData(src, offset, length, part_number, spec,
                               ObjectContext(bucket, key, spec.kms_context)));
  auto replaced = meta_.PutPart(bucket, key, upload_id, part);
  if (!replaced.ok()) {
    FreePart(part);
    return replaced.status();
  }
  if (replaced->has_value()) FreePart(**replaced);
  return part;
}

absl::StatusOr<metadata::ObjectRecord> ObjectService::CompleteUpload(
    std::string_view bucket, std::string_view key, std::string_view upload_id,
    const std::vector<CompletedPart>& parts, const WriteCondition& condition,
    const sse::SseCKey* customer_key, const ExpectedChecksum& expected) {
  absl::StatusOr<metadata::UploadRecord> found = meta_.GetUpload(bucket, key, upload_id);
  if (GetReason(found.status()) == ErrorReason::kNoSuchUpload) {
    // A retried Complete (the first answer was lost) gets the version it made, if current.
    absl::StatusOr<metadata::ObjectRecord> current = meta_.GetObject(bucket, key);
    if (current.ok() && current->completed_upload_id() == upload_id &&
        current->etag() == MultipartEtag(parts)) {
      return *std::move(current);
    }
  }
  SB_RETURN_IF_ERROR(found.status());
  metadata::UploadRecord upload = *std::move(found);
  // SSE-C keys are optional here (as in S3), but one that is sent must be the upload's.
  if (customer_key != nullptr) {
    SB_RETURN_IF_ERROR(SpecFromRecord(upload.object_template(), customer_key).status());
  }
  SB_RETURN_IF_ERROR(CheckWriteCondition(bucket, key, condition));
  if (parts.empty()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "You must specify at least one part");
  }
  // The list is checked as a whole first: its order is wrong regardless of the parts.
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].part_number <= parts[i - 1].part_number) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPartOrder,
                       "The list of parts was not in ascending order. Parts must be ordered "
                       "by part number.");
    }
  }
  std::map<uint32_t, metadata::DataPart> stored;
  uint32_t marker = 0;
  for (;;) {
    SB_ASSIGN_OR_RETURN(auto page, meta_.ListParts(bucket, key, upload_id, marker, 1000));
    for (auto& p : page.parts) stored[p.part_number()] = std::move(p);
    if (!page.is_truncated) break;
    marker = page.next_part_number_marker;
  }
  metadata::ObjectRecord record = upload.object_template();
  record.set_key(std::string(key));
  record.clear_parts();
  uint64_t size = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& want = parts[i];
    auto it = stored.find(want.part_number);
    if (it == stored.end() || it->second.etag() != want.etag) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                       absl::StrCat("One or more of the specified parts could not be found. "
                                    "The part may not have been uploaded, or the specified "
                                    "entity tag may not match the part's entity tag. Part ",
                                    want.part_number));
    }
    if (i + 1 < parts.size() && it->second.size() < kMinPartSize) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kEntityTooSmall,
                       "Your proposed upload is smaller than the minimum allowed object size.");
    }
    const std::string& algorithm = record.checksum_algorithm();
    if (!want.checksum.empty() &&
        (want.checksum_algorithm != algorithm || want.checksum != it->second.checksum())) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                       absl::StrCat("One or more of the specified parts could not be found. "
                                    "The checksum of part ",
                                    want.part_number, " does not match the uploaded part's"));
    }
    size += it->second.size();
    *record.add_parts() = it->second;
  }
  SB_RETURN_IF_ERROR(SetMultipartChecksum(expected, &record));
  // Every listed ETag equals its stored part's, so the list alone gives the object's ETag.
  const std::string etag = MultipartEtag(parts);
  if (etag.empty()) return absl::InternalError("a stored part ETag is not an MD5");
  record.set_etag(etag);
  record.set_size(size);
  record.set_multipart(true);
  record.set_completed_upload_id(std::string(upload_id));
  record.set_last_modified_unix_nanos(absl::ToUnixNanos(clock_.Now()));
  SB_RETURN_IF_ERROR(ApplyBucketLock(bucket, record));
  std::vector<metadata::DataPart> unused;
  SB_ASSIGN_OR_RETURN(auto written, meta_.CompleteUploadVersion(bucket, upload_id, record, &unused,
                                                                AtomicCheck(condition)));
  for (const auto& p : unused) FreePart(p);
  if (written.replaced.has_value()) FreeParts(written.replaced->parts());
  return std::move(written.version);
}

absl::Status ObjectService::AbortUpload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) {
  SB_ASSIGN_OR_RETURN(auto parts, meta_.AbortUpload(bucket, key, upload_id));
  for (const auto& p : parts) FreePart(p);
  return absl::OkStatus();
}

void ObjectService::FreeParts(const google::protobuf::RepeatedPtrField<metadata::DataPart>& parts) {
  for (const auto& p : parts) FreePart(p);
}

void ObjectService::FreePart(const metadata::DataPart& part) {
  auto ref = erasure::DataRef::Parse(part.data_ref());
  absl::Status s = ref.ok() ? data_.Delete(*ref) : ref.status();
  if (!s.ok()) {
    Log(LogLevel::kWarn, "could not free object data; left for the sweeper",
        {{"error", s.ToString()}});
  }
}

}  // namespace sb::gateway
