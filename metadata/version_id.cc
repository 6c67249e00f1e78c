#include "metadata/version_id.h"

#include "absl/strings/str_format.h"
#include "common/ids.h"

namespace sb::metadata {
namespace {

constexpr size_t kIdLength = 32;

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string MakeVersionId(uint64_t seq) {
  return absl::StrFormat("%016x", seq) + NewRandomId().substr(0, kIdLength - 16);
}

std::optional<uint64_t> VersionIdSeq(std::string_view id) {
  if (id.size() != kIdLength) return std::nullopt;
  uint64_t seq = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (!IsLowerHex(c)) return std::nullopt;
    if (i < 16) seq = (seq << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return seq;
}

bool IsValidVersionId(std::string_view id) {
  return id == kNullVersionId || VersionIdSeq(id).has_value();
}

}  // namespace sb::metadata
