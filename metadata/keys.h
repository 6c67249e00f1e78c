// Key encodings and column family names of the RocksDB metadata store, all in one place.
// Every key is a tuple of components. All but the last component are escaped ('\0' becomes
// "\0\xff") and terminated by "\0\x01", so tuples sort component by component in byte order
// and a component can never be confused with its neighbour, whatever bytes it holds.
// The last component is stored raw. Pure functions; thread-safe.
//
// Versioning: the "versions" CF holds every version (delete markers and the null version
// included) keyed C(bucket) C(key) ~seq, so a key's newest version sorts first. The
// "objects" CF holds a copy of the newest version only when it is not a delete marker, so
// ListObjects stays a scan over "objects" alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::metadata {

// Column family names. "default" holds only the store-format marker.
inline constexpr std::string_view kBucketsCf = "buckets";  // bucket name -> BucketRecord
inline constexpr std::string_view kObjectsCf = "objects";  // C(bucket) key -> ObjectRecord
inline constexpr std::string_view kUploadsCf = "uploads";  // C(bucket) C(key) id -> UploadRecord
inline constexpr std::string_view kPartsCf = "parts";  // C(bucket) C(key) C(id) BE32 -> DataPart
inline constexpr std::string_view kIamCf = "iam";      // C(kind) name -> opaque IAM bytes
// C(bucket) C(key) ~BE64(seq) -> ObjectRecord (every version, newest first per key)
inline constexpr std::string_view kVersionsCf = "versions";
// C(bucket) key -> BE64(seq) of the key's "null" version, if it has one
inline constexpr std::string_view kNullVersionsCf = "null_versions";
// C(bucket) C(key) data_ref -> BE64(n): the data (a DataPart's data_ref) is held by n+1
// versions of the key (point-in-time restore shares data); absent: by one version at most.
inline constexpr std::string_view kSharedDataCf = "shared_data";

// Key in the default CF holding the on-disk format version (kFormatVersion, decimal).
inline constexpr std::string_view kFormatVersionKey = "strongbox.metadata.format_version";
inline constexpr std::string_view kFormatVersion = "2";
// Format 1 had no versions CF; Open migrates it once (see docs/on-disk-format.md).
inline constexpr std::string_view kFormatVersionUnversioned = "1";

// Appends `part` escaped but NOT terminated: a prefix of the encoding of any component
// that starts with `part`. Used to seek to a key prefix inside a non-final component.
void AppendEscaped(std::string* out, std::string_view part);
// Appends `part` escaped and terminated (a full non-final component, "C(part)" above).
void AppendComponent(std::string* out, std::string_view part);
// Removes one full component from the front of `*in` and returns it unescaped; nullopt if
// `*in` does not start with a well-formed component.
std::optional<std::string> ConsumeComponent(std::string_view* in);

// The smallest string greater than every string that starts with `prefix`; empty if there
// is none (prefix empty or all 0xff).
std::string PrefixSuccessor(std::string_view prefix);

// buckets CF.
std::string BucketKey(std::string_view bucket);

// objects CF: C(bucket) followed by the raw object key.
std::string ObjectBucketPrefix(std::string_view bucket);
std::string ObjectKey(std::string_view bucket, std::string_view key);

// uploads CF: C(bucket) C(key) followed by the raw upload id.
std::string UploadBucketPrefix(std::string_view bucket);
std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id);
struct UploadKeyParts {
  std::string key;
  std::string upload_id;
};
// Decodes an uploads-CF key with its UploadBucketPrefix already removed.
std::optional<UploadKeyParts> DecodeUploadSuffix(std::string_view suffix);

// parts CF: C(bucket) C(key) C(upload id) followed by the part number, 4 bytes big-endian.
std::string PartPrefix(std::string_view bucket, std::string_view key, std::string_view upload_id);
std::string PartKey(std::string_view bucket, std::string_view key, std::string_view upload_id,
                    uint32_t part_number);
// Decodes the part number from a parts-CF key with its PartPrefix already removed.
std::optional<uint32_t> DecodePartSuffix(std::string_view suffix);

// versions CF: C(bucket) C(key) followed by the bitwise-inverted sequence, 8 bytes BE.
std::string VersionBucketPrefix(std::string_view bucket);
std::string VersionKeyPrefix(std::string_view bucket, std::string_view key);
std::string VersionKey(std::string_view bucket, std::string_view key, uint64_t seq);
struct VersionKeyParts {
  std::string key;
  uint64_t seq = 0;
};
// Decodes a versions-CF key with its VersionBucketPrefix already removed.
std::optional<VersionKeyParts> DecodeVersionSuffix(std::string_view suffix);

// null_versions CF: same key as the objects CF; the value is EncodeSeq(seq).
std::string EncodeSeq(uint64_t seq);
std::optional<uint64_t> DecodeSeq(std::string_view bytes);

// shared_data CF: C(bucket) C(key) followed by the raw data_ref bytes.
std::string SharedDataKey(std::string_view bucket, std::string_view key, std::string_view data_ref);

// iam CF: C(kind) followed by the raw record name.
std::string IamKindPrefix(std::string_view kind);
std::string IamKey(std::string_view kind, std::string_view name);

}  // namespace sb::metadata
