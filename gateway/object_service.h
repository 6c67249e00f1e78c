// ObjectService: composes metadata (RocksDB) and erasure (drives) into S3 object
// semantics. Write order: data durable first (DataPlane Finish = fdatasync), then one
// metadata batch commits the version (the atomic point); replaced data is freed after the
// commit. A crash before the commit leaves only unreferenced shards (swept later).
// Thread-safe.
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
#include "metadata/metadata_store.h"

namespace sb::gateway {

inline constexpr uint64_t kMaxPutSize = 5ULL << 30;   // S3's single PUT limit
inline constexpr uint64_t kMinPartSize = 5ULL << 20;  // except the last part
inline constexpr uint32_t kMaxPartNumber = 10000;

struct WriteChecks {
  std::optional<uint64_t> expected_size;   // decoded body length, when known up front
  std::optional<std::string> content_md5;  // raw 16-byte digest from Content-MD5
  uint64_t max_size = kMaxPutSize;
};

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;  // without quotes
};

class ObjectService {
 public:
  ObjectService(metadata::MetadataStore& meta, erasure::DataPlane& data, const Clock& clock);

  // Streams `body` into a new object version built from `tmpl` (key and headers set).
  // BadDigest, IncompleteBody, EntityTooLarge, NoSuchBucket.
  absl::StatusOr<metadata::ObjectRecord> PutObject(std::string_view bucket,
                                                   metadata::ObjectRecord tmpl, BodySource& body,
                                                   const WriteChecks& checks);

  // Copies `src`'s bytes into a new version of `tmpl.key()` in `bucket`.
  absl::StatusOr<metadata::ObjectRecord> CopyObject(const metadata::ObjectRecord& src,
                                                    std::string_view bucket,
                                                    metadata::ObjectRecord tmpl);

  // Streams bytes [offset, offset+length) of `object` to `sink` across its parts.
  absl::Status ReadRange(const metadata::ObjectRecord& object, uint64_t offset, uint64_t length,
                         const erasure::ByteSink& sink);

  // Deletes the current version (if any) and frees its data.
  absl::Status DeleteObject(std::string_view bucket, std::string_view key);

  // Multipart. NoSuchUpload for unknown uploads.
  absl::StatusOr<metadata::DataPart> UploadPart(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id, uint32_t part_number,
                                                BodySource& body, const WriteChecks& checks);
  // UploadPartCopy: bytes [offset, offset+length) of `src` become the part.
  absl::StatusOr<metadata::DataPart> CopyPart(const metadata::ObjectRecord& src, uint64_t offset,
                                              uint64_t length, std::string_view bucket,
                                              std::string_view key, std::string_view upload_id,
                                              uint32_t part_number);
  // InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload.
  absl::StatusOr<metadata::ObjectRecord> CompleteUpload(std::string_view bucket,
                                                        std::string_view key,
                                                        std::string_view upload_id,
                                                        const std::vector<CompletedPart>& parts);
  absl::Status AbortUpload(std::string_view bucket, std::string_view key,
                           std::string_view upload_id);

  metadata::MetadataStore& meta() { return meta_; }
  const Clock& clock() const { return clock_; }

 private:
  // Writes a body to the data plane, returning a DataPart (etag = hex md5).
  absl::StatusOr<metadata::DataPart> WriteData(BodySource& body, const WriteChecks& checks,
                                               uint32_t part_number);
  absl::StatusOr<metadata::DataPart> CopyData(const metadata::ObjectRecord& src, uint64_t offset,
                                              uint64_t length, uint32_t part_number);
  absl::StatusOr<metadata::ObjectRecord> Commit(std::string_view bucket,
                                                metadata::ObjectRecord record);
  // Best effort: a failure leaves orphan shards for the sweeper, never a dangling record.
  void FreeParts(const google::protobuf::RepeatedPtrField<metadata::DataPart>& parts);
  void FreePart(const metadata::DataPart& part);

  metadata::MetadataStore& meta_;
  erasure::DataPlane& data_;
  const Clock& clock_;
};

}  // namespace sb::gateway
