#include "policy/iam/internal/iam_util.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/iam/iam_types.h"
#include "policy/sse/key256.h"

namespace sb::policy::iam::internal {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '=' || c == ',' ||
         c == '.' || c == '@' || c == '_' || c == '-';
}

}  // namespace

absl::Status ValidateName(std::string_view what, std::string_view name, size_t max_len) {
  bool ok = !name.empty() && name.size() <= max_len;
  for (char c : name) ok = ok && IsNameChar(c);
  if (ok) return absl::OkStatus();
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   absl::StrCat("invalid ", std::string(what), " name: must be 1 to ", max_len,
                                " characters of A-Z a-z 0-9 + = , . @ _ -"));
}

absl::StatusOr<std::string> RandomString(std::string_view alphabet, size_t n) {
  std::string out;
  out.reserve(n);
  // Rejection sampling keeps the draw uniform when 256 is not a multiple of the size.
  const unsigned limit = 256 - (256 % alphabet.size());
  uint8_t buf[64];
  while (out.size() < n) {
    SB_RETURN_IF_ERROR(sse::RandomBytes(buf, sizeof(buf)));
    for (uint8_t b : buf) {
      if (b >= limit || out.size() == n) continue;
      out.push_back(alphabet[b % alphabet.size()]);
    }
  }
  return out;
}

absl::StatusOr<std::string> NewAccessKeyId(KeyKind kind) {
  SB_ASSIGN_OR_RETURN(std::string tail, RandomString(kBase32, 16));
  switch (kind) {
    case KeyKind::kServiceAccount:
      return absl::StrCat("SBSA", tail);
    case KeyKind::kSession:
      return absl::StrCat("SBST", tail);
    case KeyKind::kAccessKey:
      break;
  }
  return absl::StrCat("SBAK", tail);
}

absl::StatusOr<std::string> NewSessionToken() {
  SB_ASSIGN_OR_RETURN(std::string tail, RandomString(kBase64, 64));
  return absl::StrCat("SBSESSION", tail);
}

absl::StatusOr<std::string> NewSecretAccessKey() { return RandomString(kBase64, 40); }

absl::StatusOr<std::string> NewUniqueId(std::string_view prefix) {
  SB_ASSIGN_OR_RETURN(std::string tail, RandomString(kBase32, 17));
  return absl::StrCat(std::string(prefix), tail);
}

namespace {

absl::StatusOr<std::shared_ptr<const eval::Policy>> Parse(std::string_view document,
                                                          eval::PolicyKind kind, size_t max) {
  eval::ParseOptions options;
  options.kind = kind;
  options.max_size_bytes = max;
  absl::StatusOr<eval::Policy> parsed = eval::ParsePolicy(document, options);
  if (!parsed.ok()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy,
                     AsStd(parsed.status().message()));
  }
  return std::make_shared<const eval::Policy>(*std::move(parsed));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const eval::Policy>> ParseManagedPolicy(std::string_view document) {
  return Parse(document, eval::PolicyKind::kIdentity, kMaxManagedPolicyBytes);
}

absl::StatusOr<std::shared_ptr<const eval::Policy>> ParseKeyPolicy(std::string_view document) {
  return Parse(document, eval::PolicyKind::kSession, kMaxKeyPolicyBytes);
}

absl::Status NoSuchEntity(std::string_view what, std::string_view name) {
  return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchEntity,
                   absl::StrCat("The ", std::string(what), " with name ", std::string(name),
                                " cannot be found."));
}

absl::Status AlreadyExists(std::string_view what, std::string_view name) {
  return MakeError(
      absl::StatusCode::kAlreadyExists, ErrorReason::kEntityAlreadyExists,
      absl::StrCat("A ", std::string(what), " with name ", std::string(name), " already exists."));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace sb::policy::iam::internal
