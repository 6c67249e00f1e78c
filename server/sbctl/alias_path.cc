#include "server/sbctl/alias_path.h"

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sb::sbctl {
namespace {

constexpr size_t kMaxAliasNameLength = 64;

bool IsAliasChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Rejects only characters that no bucket name can hold (legacy us-east-1 names allowed
// uppercase and '_'); the server owns the precise naming rules.
bool IsPlausibleBucketChar(char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; }

}  // namespace

std::string AliasPath::ToString() const {
  std::string out = alias;
  if (!bucket.empty()) absl::StrAppend(&out, "/", bucket);
  if (!prefix.empty()) absl::StrAppend(&out, "/", prefix);
  return out;
}

absl::Status ValidateAliasName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("alias name is empty");
  if (name.size() > kMaxAliasNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("alias name is longer than ", kMaxAliasNameLength, " characters"));
  }
  if (!IsAlnum(name.front())) {
    return absl::InvalidArgumentError(
        absl::StrCat("alias name '", AsAbsl(name), "' must start with a letter or digit"));
  }
  for (char c : name) {
    if (!IsAliasChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "alias name '", AsAbsl(name), "' may only contain letters, digits, '_', '.' and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AliasPath> ParseAliasPath(std::string_view arg) {
  AliasPath path;
  const size_t alias_end = arg.find('/');
  path.alias = std::string(arg.substr(0, alias_end));
  if (absl::Status s = ValidateAliasName(path.alias); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid target '", AsAbsl(arg), "': ", s.message()));
  }
  if (alias_end == std::string_view::npos) return path;

  std::string_view rest = arg.substr(alias_end + 1);
  const size_t bucket_end = rest.find('/');
  path.bucket = std::string(rest.substr(0, bucket_end));
  if (bucket_end != std::string_view::npos) path.prefix = std::string(rest.substr(bucket_end + 1));

  if (path.bucket.empty() && !path.prefix.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid target '", AsAbsl(arg), "': empty bucket name before the prefix"));
  }
  for (char c : path.bucket) {
    if (!IsPlausibleBucketChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid target '", AsAbsl(arg), "': bad character in bucket name '", path.bucket, "'"));
    }
  }
  return path;
}

}  // namespace sb::sbctl
