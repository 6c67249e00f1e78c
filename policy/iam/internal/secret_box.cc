#include "policy/iam/internal/secret_box.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "policy/sse/internal/aes_gcm.h"

namespace sb::policy::iam::internal {
namespace {

constexpr std::string_view kPrefix = "v1:";
// Domain separation: these strings make the derived key specific to IAM secrets.
constexpr char kHkdfSalt[] = "strongbox-iam";
constexpr char kHkdfInfo[] = "access-key-secret-seal v1";

std::string Aad(std::string_view access_key_id) {
  return absl::StrCat("strongbox iam secret\n", std::string(access_key_id));
}

absl::Status Corrupt(std::string_view access_key_id, std::string_view why) {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                   absl::StrCat("the secret of access key ", std::string(access_key_id),
                                " does not open: ", std::string(why)));
}

}  // namespace

absl::StatusOr<SecretBox> SecretBox::Create(const sse::Key256& root_key) {
  SB_ASSIGN_OR_RETURN(sse::Key256 key, sse::internal::HkdfSha256(root_key, kHkdfSalt, kHkdfInfo));
  return SecretBox(key);
}

absl::StatusOr<std::string> SecretBox::Seal(std::string_view access_key_id,
                                            std::string_view secret) const {
  SB_ASSIGN_OR_RETURN(std::string sealed,
                      sse::internal::SealBlob(key_, Aad(access_key_id), secret));
  std::string out(kPrefix);
  out += absl::Base64Escape(sealed);
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(std::string_view access_key_id,
                                            std::string_view sealed) const {
  if (!sealed.starts_with(kPrefix)) return Corrupt(access_key_id, "unknown format");
  std::string raw;
  if (!absl::Base64Unescape(std::string(sealed.substr(kPrefix.size())), &raw)) {
    return Corrupt(access_key_id, "bad base64");
  }
  absl::StatusOr<std::string> secret = sse::internal::OpenBlob(key_, Aad(access_key_id), raw);
  if (!secret.ok()) {
    return Corrupt(access_key_id, "authentication failed (another KMS root key?)");
  }
  return secret;
}

}  // namespace sb::policy::iam::internal
