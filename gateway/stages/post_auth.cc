#include "gateway/stages/post_auth.h"

#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/checksum_source.h"
#include "gateway/payload_verify.h"
#include "gateway/post_form.h"
#include "gateway/post_policy.h"

namespace sb::gateway {
namespace {

// The file's content, refused as soon as it passes the policy's content-length-range
// maximum (nothing is stored: the write fails) and, at its end, if it is short of the
// minimum.
class LengthRangeSource final : public BodySource {
 public:
  LengthRangeSource(BodySource* inner, const PostPolicy* policy) : inner_(inner), policy_(policy) {}

  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    SB_ASSIGN_OR_RETURN(size_t n, inner_->Read(buf, max));
    total_ += n;
    if (n > 0 && policy_->length_range.has_value() &&
        total_ > static_cast<uint64_t>(policy_->length_range->max)) {
      return CheckPostContentLength(*policy_, total_);
    }
    if (n == 0) SB_RETURN_IF_ERROR(CheckPostContentLength(*policy_, total_));
    return n;
  }

 private:
  BodySource* inner_;
  const PostPolicy* policy_;
  uint64_t total_ = 0;
};

// An x-amz-checksum-<algorithm> field is verified over the file, as the header is over a
// PutObject body (BadDigest at the end; nothing is stored).
absl::Status InstallChecksumCheck(RequestContext& ctx, const PostForm& form) {
  for (const auto& [name, value] : form.fields) {
    if (!name.starts_with("x-amz-checksum-") || name == "x-amz-checksum-type" ||
        name == "x-amz-checksum-algorithm") {
      continue;
    }
    const std::string algorithm = name.substr(strlen("x-amz-checksum-"));
    auto calc = ChecksumCalculator::Create(algorithm);
    if (!calc.ok()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       absl::StrCat("Unsupported checksum algorithm: ", algorithm));
    }
    auto source =
        std::make_unique<ChecksumCheckSource>(&ctx.current_body(), std::move(*calc),
                                              absl::AsciiStrToUpper(algorithm), value, nullptr, "");
    ctx.checksum = source.get();  // stored with the object, as a PUT's
    ctx.WrapBody(std::move(source));
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

bool HasSignatureFields(const PostForm& form) {
  for (std::string_view name :
       {"awsaccesskeyid", "signature", "x-amz-signature", "x-amz-credential", "x-amz-algorithm"}) {
    if (form.Field(name) != nullptr) return true;
  }
  return false;
}

}  // namespace

absl::Status AuthenticatePostUpload(RequestContext& ctx, const policy::IdentityStore& identities,
                                    absl::Time now, std::string_view region) {
  const std::string* content_type = ctx.http.Header("content-type");
  if (content_type == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPostRequest,
                     "Bucket POST must be of the enclosure-type multipart/form-data");
  }
  SB_ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(*content_type));
  auto source = std::make_unique<MultipartFormSource>(&ctx.current_body(), std::move(boundary));
  MultipartFormSource* form_source = source.get();
  ctx.WrapBody(std::move(source));
  PostUpload& post = ctx.auth.post.emplace();
  SB_ASSIGN_OR_RETURN(post.form, form_source->ReadFields());
  SB_ASSIGN_OR_RETURN(ctx.req.key, PostObjectKey(post.form));

  policy::Principal& p = ctx.auth.principal;
  p.source_ip = ctx.http.remote_ip;
  p.tls = ctx.http.tls;
  const std::string* policy_field = post.form.Field("policy");
  if (policy_field == nullptr && !HasSignatureFields(post.form)) {
    // No credentials at all: an anonymous upload, which only a bucket policy can allow.
    p.anonymous = true;
    ctx.auth.sigv4.anonymous = true;
    return InstallChecksumCheck(ctx, post.form);
  }
  SecretLookup lookup = [&identities](std::string_view key) -> absl::StatusOr<std::string> {
    auto cred = identities.Lookup(key);
    if (GetReason(cred.status()) == ErrorReason::kExpiredToken) return cred.status();
    if (!cred.ok()) return absl::NotFoundError("unknown access key");
    return cred->secret_key;
  };
  // Without a policy this fails with AWS's "must contain a field named 'policy'".
  SB_ASSIGN_OR_RETURN(PostSignature sig, VerifyPostSignature(post.form, lookup));
  if (sig.v4 && sig.region != region) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationHeaderMalformed,
                     absl::StrCat("The x-amz-credential field is malformed; the region '",
                                  sig.region, "' is wrong; expecting '", AsAbsl(region), "'"));
  }
  SB_ASSIGN_OR_RETURN(PostPolicy policy, ParsePostPolicy(*policy_field));
  SB_RETURN_IF_ERROR(CheckPostPolicy(policy, post.form, ctx.req.bucket, now));
  SB_ASSIGN_OR_RETURN(policy::Credential cred, identities.Lookup(sig.access_key));
  SB_RETURN_IF_ERROR(CheckSessionToken(post.form.Field("x-amz-security-token"), cred));
  p.anonymous = false;
  SetPrincipal(p, cred);
  identities.NoteUsed(cred.access_key);  // the signature verified
  ctx.auth.sigv4.anonymous = false;
  ctx.auth.sigv4.access_key = cred.access_key;
  ctx.auth.sigv4.region = sig.region;
  post.signature_v2 = !sig.v4;
  post.policy = std::move(policy);
  if (post.policy->length_range.has_value()) {
    ctx.WrapBody(std::make_unique<LengthRangeSource>(&ctx.current_body(), &*post.policy));
  }
  return InstallChecksumCheck(ctx, post.form);
}

}  // namespace sb::gateway
