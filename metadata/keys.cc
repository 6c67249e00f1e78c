#include "metadata/keys.h"

namespace sb::metadata {
namespace {

constexpr char kEscape = '\0';
constexpr char kEscapedZero = '\xff';  // "\0\xff" is a literal '\0' byte
constexpr char kTerminator = '\x01';   // "\0\x01" ends a component; sorts before any literal

}  // namespace

void AppendEscaped(std::string* out, std::string_view part) {
  for (char c : part) {
    out->push_back(c);
    if (c == kEscape) out->push_back(kEscapedZero);
  }
}

void AppendComponent(std::string* out, std::string_view part) {
  AppendEscaped(out, part);
  out->push_back(kEscape);
  out->push_back(kTerminator);
}

std::optional<std::string> ConsumeComponent(std::string_view* in) {
  std::string result;
  for (size_t i = 0; i < in->size(); ++i) {
    char c = (*in)[i];
    if (c != kEscape) {
      result.push_back(c);
      continue;
    }
    if (i + 1 >= in->size()) return std::nullopt;
    char next = (*in)[i + 1];
    if (next == kTerminator) {
      in->remove_prefix(i + 2);
      return result;
    }
    if (next != kEscapedZero) return std::nullopt;
    result.push_back(kEscape);
    ++i;
  }
  return std::nullopt;  // no terminator
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string result(prefix);
  while (!result.empty()) {
    auto last = static_cast<unsigned char>(result.back());
    if (last != 0xff) {
      result.back() = static_cast<char>(last + 1);
      return result;
    }
    result.pop_back();
  }
  return result;
}

std::string BucketKey(std::string_view bucket) { return std::string(bucket); }

std::string ObjectBucketPrefix(std::string_view bucket) {
  std::string out;
  AppendComponent(&out, bucket);
  return out;
}

std::string ObjectKey(std::string_view bucket, std::string_view key) {
  std::string out = ObjectBucketPrefix(bucket);
  out.append(key);
  return out;
}

std::string UploadBucketPrefix(std::string_view bucket) { return ObjectBucketPrefix(bucket); }

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string out = UploadBucketPrefix(bucket);
  AppendComponent(&out, key);
  out.append(upload_id);
  return out;
}

std::optional<UploadKeyParts> DecodeUploadSuffix(std::string_view suffix) {
  std::optional<std::string> key = ConsumeComponent(&suffix);
  if (!key.has_value()) return std::nullopt;
  return UploadKeyParts{std::move(*key), std::string(suffix)};
}

std::string PartPrefix(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string out;
  AppendComponent(&out, bucket);
  AppendComponent(&out, key);
  AppendComponent(&out, upload_id);
  return out;
}

std::string PartKey(std::string_view bucket, std::string_view key, std::string_view upload_id,
                    uint32_t part_number) {
  std::string out = PartPrefix(bucket, key, upload_id);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((part_number >> shift) & 0xff));
  }
  return out;
}

std::optional<uint32_t> DecodePartSuffix(std::string_view suffix) {
  if (suffix.size() != 4) return std::nullopt;
  uint32_t value = 0;
  for (char c : suffix) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

std::string VersionBucketPrefix(std::string_view bucket) { return ObjectBucketPrefix(bucket); }

std::string VersionKeyPrefix(std::string_view bucket, std::string_view key) {
  std::string out = VersionBucketPrefix(bucket);
  AppendComponent(&out, key);
  return out;
}

std::string VersionKey(std::string_view bucket, std::string_view key, uint64_t seq) {
  return VersionKeyPrefix(bucket, key) + EncodeSeq(~seq);
}

std::optional<VersionKeyParts> DecodeVersionSuffix(std::string_view suffix) {
  std::optional<std::string> key = ConsumeComponent(&suffix);
  if (!key.has_value()) return std::nullopt;
  std::optional<uint64_t> inverted = DecodeSeq(suffix);
  if (!inverted.has_value()) return std::nullopt;
  return VersionKeyParts{std::move(*key), ~*inverted};
}

std::string EncodeSeq(uint64_t seq) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((seq >> shift) & 0xff));
  }
  return out;
}

std::optional<uint64_t> DecodeSeq(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

std::string IamKindPrefix(std::string_view kind) {
  std::string out;
  AppendComponent(&out, kind);
  return out;
}

std::string IamKey(std::string_view kind, std::string_view name) {
  std::string out = IamKindPrefix(kind);
  out.append(name);
  return out;
}

std::string SharedDataKey(std::string_view bucket, std::string_view key,
                          std::string_view data_ref) {
  std::string out;
  AppendComponent(&out, bucket);
  AppendComponent(&out, key);
  out.append(data_ref);
  return out;
}

}  // namespace sb::metadata
