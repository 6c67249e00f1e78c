// Listings of RocksDbMetadataStore: ListObjects, ListObjectVersions, ListUploads, ListParts.
// Each runs on one RocksDB snapshot, takes no locks, and jumps over a whole common prefix with one
// Seek to the prefix's successor rather than walking the keys beneath it.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "metadata/internal/rocksdb_support.h"
#include "metadata/keys.h"
#include "metadata/rocksdb_metadata_store.h"
#include "metadata/version_id.h"
#include "rocksdb/db.h"
#include "rocksdb/snapshot.h"

namespace sb::metadata {
namespace {

absl::Status InvalidArgument(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// An iterator confined to the keys of one CF that start with `base`, addressed by the
// suffix after `base`. Counts positioning calls into `*steps`.
class ListCursor {
 public:
  ListCursor(rocksdb::DB* db, const rocksdb::ReadOptions& options, rocksdb::ColumnFamilyHandle* cf,
             std::string base, std::atomic<uint64_t>* steps)
      : base_(std::move(base)),
        upper_(PrefixSuccessor(base_)),
        upper_slice_(upper_),
        steps_(steps) {
    rocksdb::ReadOptions bounded = options;
    if (!upper_.empty()) bounded.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(bounded, cf));
  }

  bool Valid() const { return it_->Valid() && it_->key().starts_with(base_); }
  // The current key without `base`; invalidated by the next positioning call.
  std::string_view Suffix() const {
    return std::string_view(it_->key().data(), it_->key().size()).substr(base_.size());
  }
  std::string_view Value() const {
    return std::string_view(it_->value().data(), it_->value().size());
  }

  void Seek(std::string_view suffix) {
    ++*steps_;
    it_->Seek(base_ + std::string(suffix));
  }
  // Moves to the first key that does not start with base + `suffix_prefix`.
  void SeekPast(std::string_view suffix_prefix) {
    ++*steps_;
    std::string target = PrefixSuccessor(base_ + std::string(suffix_prefix));
    if (target.empty()) {
      it_->SeekToLast();
      if (it_->Valid()) it_->Next();  // past the end
      return;
    }
    it_->Seek(target);
  }
  void Next() {
    ++*steps_;
    it_->Next();
  }
  absl::Status status() const { return FromRocksDb(it_->status(), "list"); }

 private:
  const std::string base_;
  const std::string upper_;
  const rocksdb::Slice upper_slice_;
  std::atomic<uint64_t>* steps_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

// The common prefix `key` rolls up into: `key` up to and including the first `delimiter`
// after `prefix`; nullopt if there is none (or no delimiter).
std::optional<std::string> CommonPrefix(std::string_view key, std::string_view prefix,
                                        std::string_view delimiter) {
  if (delimiter.empty()) return std::nullopt;
  size_t pos = key.find(delimiter, prefix.size());
  if (pos == std::string_view::npos) return std::nullopt;
  return std::string(key.substr(0, pos + delimiter.size()));
}

// S3 ListMultipartUploads markers: with no key marker everything qualifies; otherwise
// keys after the marker, plus the marker's own key if its upload id is after the id marker.
bool AfterUploadMarker(std::string_view key, std::string_view upload_id,
                       const ListUploadsOptions& options) {
  if (options.key_marker.empty()) return true;
  if (key != options.key_marker) return key > options.key_marker;
  return !options.upload_id_marker.empty() && upload_id > options.upload_id_marker;
}

// Where a ListUploads scan starts (a suffix after the bucket prefix): the first upload key
// that is both inside `prefix` and after the markers.
std::string UploadsSeekTarget(const ListUploadsOptions& options) {
  std::string start;
  AppendEscaped(&start, options.prefix);
  std::string after_markers;
  if (!options.key_marker.empty()) {
    AppendComponent(&after_markers, options.key_marker);
    if (options.upload_id_marker.empty()) {
      after_markers = PrefixSuccessor(after_markers);  // past every upload of key_marker
    } else {
      after_markers.append(options.upload_id_marker);
    }
  }
  return std::max(start, after_markers);
}

// Where a ListObjectVersions scan starts (a suffix after the bucket prefix), and the exact
// entry to step over if the scan lands on it (the version-id marker itself).
struct VersionsStart {
  std::string seek;
  std::string skip;
};

}  // namespace

absl::StatusOr<ListObjectsResult> RocksDbMetadataStore::ListObjects(
    std::string_view bucket, const ListObjectsOptions& options) {
  if (options.max_keys < 0) return InvalidArgument("max_keys must not be negative");
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  SB_RETURN_IF_ERROR(RequireBucket(read_options, bucket));

  const std::string& prefix = options.prefix;
  const std::string& after = options.start_after;
  ListCursor cursor(db_.get(), read_options, objects_cf_, ObjectBucketPrefix(bucket),
                    &iterator_steps_);
  ListObjectsResult result;
  int count = 0;
  cursor.Seek(std::max(prefix, after));
  while (cursor.Valid()) {
    std::string_view key = cursor.Suffix();
    if (!key.starts_with(prefix)) break;  // sorted: nothing later matches either
    if (key <= after) {
      cursor.Next();
      continue;
    }
    std::optional<std::string> common = CommonPrefix(key, prefix, options.delimiter);
    if (common.has_value() && *common <= after) {
      // start_after lies inside this common prefix, which was therefore already returned.
      cursor.SeekPast(*common);
      continue;
    }
    if (count == options.max_keys) {
      result.is_truncated = true;
      break;
    }
    ++count;
    if (common.has_value()) {
      result.next_marker = *common;
      cursor.SeekPast(*common);
      result.common_prefixes.push_back(std::move(*common));
      continue;
    }
    ObjectRecord record;
    SB_RETURN_IF_ERROR(ParseRecord(cursor.Value(), &record, key));
    result.next_marker = std::string(key);
    result.objects.push_back(std::move(record));
    cursor.Next();
  }
  SB_RETURN_IF_ERROR(cursor.status());
  return result;
}

absl::StatusOr<ListVersionsResult> RocksDbMetadataStore::ListObjectVersions(
    std::string_view bucket, const ListVersionsOptions& options) {
  if (options.max_keys < 0) return InvalidArgument("max_keys must not be negative");
  if (!options.version_id_marker.empty() && options.key_marker.empty()) {
    return InvalidArgument("A version-id marker cannot be specified without a key marker.");
  }
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  SB_RETURN_IF_ERROR(RequireBucket(read_options, bucket));

  const std::string& prefix = options.prefix;
  VersionsStart start;
  AppendEscaped(&start.seek, prefix);
  if (!options.key_marker.empty()) {
    std::string after;
    AppendComponent(&after, options.key_marker);
    std::optional<uint64_t> seq;
    if (options.version_id_marker == kNullVersionId) {
      SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> null_version,
                          ReadVersion(read_options, bucket, options.key_marker, kNullVersionId));
      if (null_version.has_value()) seq = null_version->version_seq();
    } else if (!options.version_id_marker.empty()) {
      seq = VersionIdSeq(options.version_id_marker);
      if (!seq.has_value()) return InvalidArgument("Invalid version id specified");
    }
    if (seq.has_value()) {
      after += EncodeSeq(~*seq);
      start.skip = after;
    } else {
      after = PrefixSuccessor(after);  // past every version of key_marker
    }
    start.seek = std::max(start.seek, after);
  }

  ListCursor cursor(db_.get(), read_options, versions_cf_, VersionBucketPrefix(bucket),
                    &iterator_steps_);
  ListVersionsResult result;
  int count = 0;
  cursor.Seek(start.seek);
  if (!start.skip.empty() && cursor.Valid() && cursor.Suffix() == start.skip) cursor.Next();
  bool first_entry = true;
  std::string prev_key;
  while (cursor.Valid()) {
    std::optional<VersionKeyParts> parts = DecodeVersionSuffix(cursor.Suffix());
    if (!parts.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed version key");
    }
    if (!std::string_view(parts->key).starts_with(prefix)) break;
    std::optional<std::string> common = CommonPrefix(parts->key, prefix, options.delimiter);
    std::string escaped_common;
    if (common.has_value()) AppendEscaped(&escaped_common, *common);
    if (common.has_value() && *common <= options.key_marker) {
      cursor.SeekPast(escaped_common);
      continue;
    }
    if (count == options.max_keys) {
      result.is_truncated = true;
      break;
    }
    ++count;
    if (common.has_value()) {
      result.next_key_marker = *common;
      result.next_version_id_marker.clear();
      result.common_prefixes.push_back(std::move(*common));
      cursor.SeekPast(escaped_common);
      prev_key.clear();
      first_entry = false;
      continue;
    }
    VersionEntry entry;
    SB_RETURN_IF_ERROR(ParseRecord(cursor.Value(), &entry.record, parts->key));
    if (first_entry && !start.skip.empty() && parts->key == options.key_marker) {
      // The page starts inside a key: latest only if nothing newer is left before it.
      SB_ASSIGN_OR_RETURN(std::optional<ObjectRecord> latest,
                          ReadLatestVersion(read_options, bucket, parts->key));
      entry.is_latest = latest.has_value() && latest->version_seq() == parts->seq;
    } else {
      entry.is_latest = parts->key != prev_key;
    }
    first_entry = false;
    result.next_key_marker = parts->key;
    result.next_version_id_marker = entry.record.version_id();
    prev_key = std::move(parts->key);
    result.versions.push_back(std::move(entry));
    cursor.Next();
  }
  SB_RETURN_IF_ERROR(cursor.status());
  return result;
}

absl::StatusOr<ListUploadsResult> RocksDbMetadataStore::ListUploads(
    std::string_view bucket, const ListUploadsOptions& options) {
  if (options.max_uploads < 0) return InvalidArgument("max_uploads must not be negative");
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  SB_RETURN_IF_ERROR(RequireBucket(read_options, bucket));

  const std::string& prefix = options.prefix;
  ListCursor cursor(db_.get(), read_options, uploads_cf_, UploadBucketPrefix(bucket),
                    &iterator_steps_);
  ListUploadsResult result;
  int count = 0;
  cursor.Seek(UploadsSeekTarget(options));
  while (cursor.Valid()) {
    std::optional<UploadKeyParts> parts = DecodeUploadSuffix(cursor.Suffix());
    if (!parts.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed upload key");
    }
    if (!std::string_view(parts->key).starts_with(prefix)) break;
    if (!AfterUploadMarker(parts->key, parts->upload_id, options)) {
      cursor.Next();
      continue;
    }
    std::optional<std::string> common = CommonPrefix(parts->key, prefix, options.delimiter);
    std::string escaped_common;
    if (common.has_value()) AppendEscaped(&escaped_common, *common);
    if (common.has_value() && *common <= options.key_marker) {
      cursor.SeekPast(escaped_common);
      continue;
    }
    if (count == options.max_uploads) {
      result.is_truncated = true;
      break;
    }
    ++count;
    if (common.has_value()) {
      result.next_key_marker = *common;
      result.next_upload_id_marker.clear();
      result.common_prefixes.push_back(std::move(*common));
      cursor.SeekPast(escaped_common);
      continue;
    }
    UploadRecord record;
    SB_RETURN_IF_ERROR(ParseRecord(cursor.Value(), &record, parts->key));
    result.next_key_marker = parts->key;
    result.next_upload_id_marker = parts->upload_id;
    result.uploads.push_back(std::move(record));
    cursor.Next();
  }
  SB_RETURN_IF_ERROR(cursor.status());
  return result;
}

absl::StatusOr<ListPartsResult> RocksDbMetadataStore::ListParts(std::string_view bucket,
                                                                std::string_view key,
                                                                std::string_view upload_id,
                                                                uint32_t part_number_marker,
                                                                int max_parts) {
  if (max_parts < 0) return InvalidArgument("max_parts must not be negative");
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  SB_RETURN_IF_ERROR(RequireUpload(read_options, bucket, key, upload_id).status());

  ListPartsResult result;
  if (part_number_marker == std::numeric_limits<uint32_t>::max()) return result;
  const std::string base = PartPrefix(bucket, key, upload_id);
  ListCursor cursor(db_.get(), read_options, parts_cf_, base, &iterator_steps_);
  int count = 0;
  cursor.Seek(PartKey(bucket, key, upload_id, part_number_marker + 1).substr(base.size()));
  for (; cursor.Valid(); cursor.Next()) {
    std::optional<uint32_t> number = DecodePartSuffix(cursor.Suffix());
    if (!number.has_value()) {
      return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                       "malformed part key");
    }
    if (count == max_parts) {
      result.is_truncated = true;
      break;
    }
    ++count;
    DataPart part;
    SB_RETURN_IF_ERROR(ParseRecord(cursor.Value(), &part, "part"));
    part.set_part_number(*number);
    result.next_part_number_marker = *number;
    result.parts.push_back(std::move(part));
  }
  SB_RETURN_IF_ERROR(cursor.status());
  return result;
}

}  // namespace sb::metadata
