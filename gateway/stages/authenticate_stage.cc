#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/aws_chunked.h"
#include "gateway/checksum_source.h"
#include "gateway/internal/sigv4_crypto.h"
#include "gateway/payload_verify.h"
#include "gateway/stages/bearer_auth.h"
#include "gateway/stages/post_auth.h"
#include "gateway/stages/stages.h"

namespace sb::gateway {
namespace {

bool IsStreaming(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

// Installs verification of x-amz-checksum-<alg> (header) or a declared x-amz-trailer.
absl::Status InstallChecksumCheck(RequestContext& ctx, const AwsChunkedSource* chunked) {
  std::string algorithm;
  std::string expected;
  std::string trailer_name;
  if (const auto* trailer = ctx.http.Header("x-amz-trailer")) {
    trailer_name = absl::AsciiStrToLower(*trailer);
    if (!trailer_name.starts_with("x-amz-checksum-")) return absl::OkStatus();
    if (chunked == nullptr) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       "x-amz-trailer requires an aws-chunked body");
    }
    algorithm = trailer_name.substr(strlen("x-amz-checksum-"));
  } else if (ctx.req.op != Operation::kCompleteMultipartUpload) {
    // CompleteMultipartUpload's x-amz-checksum-* names the whole object's checksum, not
    // its XML body's (ObjectService::CompleteUpload checks it).
    for (const auto& [name, value] : ctx.http.headers) {
      if (name.starts_with("x-amz-checksum-") && name != "x-amz-checksum-type" &&
          name != "x-amz-checksum-algorithm" && name != "x-amz-checksum-mode") {
        algorithm = name.substr(strlen("x-amz-checksum-"));
        expected = value;
        break;
      }
    }
  }
  if (algorithm.empty()) return absl::OkStatus();
  auto calc = ChecksumCalculator::Create(algorithm);
  if (!calc.ok()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     absl::StrCat("Unsupported checksum algorithm: ", algorithm));
  }
  auto source = std::make_unique<ChecksumCheckSource>(&ctx.current_body(), std::move(*calc),
                                                      absl::AsciiStrToUpper(algorithm), expected,
                                                      chunked, trailer_name);
  ctx.checksum = source.get();
  ctx.WrapBody(std::move(source));
  return absl::OkStatus();
}

// An STS form body is small; AWS caps the whole request well below this.
constexpr size_t kMaxStsBody = 64 * 1024;

// Reads the raw STS body into ctx.auth.sts_form and returns its hex SHA-256.
absl::StatusOr<std::string> ReadStsForm(RequestContext& ctx) {
  std::string& form = ctx.auth.sts_form;
  char buf[8192];
  for (;;) {
    SB_ASSIGN_OR_RETURN(size_t n, ctx.current_body().Read(buf, sizeof(buf)));
    if (n == 0) break;
    if (form.size() + n > kMaxStsBody) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       "the STS request body is too large");
    }
    form.append(buf, n);
  }
  return internal::HexLower(internal::Sha256(form));
}

// The session token, from the x-amz-security-token header or the presigned query.
const std::string* SecurityToken(const RequestContext& ctx) {
  if (const auto* h = ctx.http.Header("x-amz-security-token")) return h;
  return ctx.req.Query("X-Amz-Security-Token");
}

}  // namespace

absl::Status CheckSessionToken(const std::string* token, const policy::Credential& cred) {
  if (cred.session_token_sha256.empty()) {
    if (token == nullptr) return absl::OkStatus();
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidToken,
                     "The provided token is malformed or otherwise invalid: this access key is "
                     "not a temporary credential.");
  }
  if (token == nullptr) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidToken,
                     "Temporary credentials need their session token (x-amz-security-token).");
  }
  internal::Sha256Digest digest = internal::Sha256(*token);
  if (cred.session_token_sha256.size() != digest.size() ||
      CRYPTO_memcmp(digest.data(), cred.session_token_sha256.data(), digest.size()) != 0) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidToken,
                     "The provided token is malformed or otherwise invalid.");
  }
  return absl::OkStatus();
}

void SetPrincipal(policy::Principal& p, const policy::Credential& cred) {
  p.access_key = cred.access_key;
  p.user = cred.user;
  p.is_root = cred.is_root;
  p.user_id = cred.user_id;
  p.groups = cred.groups;
  p.key_policy = cred.key_policy;
  p.key_kind = cred.kind;
}

absl::Status AuthenticateStage::Run(RequestContext& ctx) {
  // A metrics scraper's bearer token (gateway/stages/bearer_auth.h); no body to decode.
  SB_ASSIGN_OR_RETURN(bool bearer, AuthenticateBearer(ctx, identities_, clock_.Now()));
  if (bearer) return absl::OkStatus();
  if (ctx.req.op == Operation::kPostObject) {
    // A browser form upload carries its credentials in the form (gateway/stages/post_auth.h).
    return AuthenticatePostUpload(ctx, identities_, clock_.Now(), region_);
  }
  SigV4Request sreq;
  sreq.method = ctx.http.method;
  sreq.raw_path = ctx.req.raw_path;
  sreq.raw_query = ctx.req.raw_query;
  sreq.headers = ctx.http.headers;
  const bool sts = ctx.req.op == Operation::kSts;
  std::string form_sha256;
  if (sts) {
    sreq.service = "sts";
    SB_ASSIGN_OR_RETURN(form_sha256, ReadStsForm(ctx));
    sreq.body_sha256_hex = form_sha256;
  }
  SecretLookup lookup = [this](std::string_view key) -> absl::StatusOr<std::string> {
    auto cred = identities_.Lookup(key);
    if (GetReason(cred.status()) == ErrorReason::kExpiredToken) return cred.status();
    if (!cred.ok()) return absl::NotFoundError("unknown access key");
    return cred->secret_key;
  };
  SB_ASSIGN_OR_RETURN(ctx.auth.sigv4, VerifySigV4(sreq, lookup, clock_.Now()));
  const SigV4Result& sig = ctx.auth.sigv4;
  if (!sig.anonymous && sig.region != region_) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationHeaderMalformed,
                     absl::StrCat("The authorization header is malformed; the region '", sig.region,
                                  "' is wrong; expecting '", region_, "'"));
  }
  policy::Principal& p = ctx.auth.principal;
  p.source_ip = ctx.http.remote_ip;
  p.tls = ctx.http.tls;
  p.anonymous = sig.anonymous;
  if (!sig.anonymous) {
    SB_ASSIGN_OR_RETURN(policy::Credential cred, identities_.Lookup(sig.access_key));
    SB_RETURN_IF_ERROR(CheckSessionToken(SecurityToken(ctx), cred));
    SetPrincipal(p, cred);
    identities_.NoteUsed(cred.access_key);  // the signature verified
  }

  if (sts) {
    // The body is already read: check a declared hash against it, then nothing is left.
    if (sig.payload_mode == PayloadMode::kSignedHash && sig.payload_sha256_hex != form_sha256) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kXAmzContentSha256Mismatch,
                       "The provided 'x-amz-content-sha256' header does not match what was "
                       "computed.");
    }
    return absl::OkStatus();
  }
  AwsChunkedSource* chunked = nullptr;
  if (IsStreaming(sig.payload_mode)) {
    auto source = std::make_unique<AwsChunkedSource>(&ctx.current_body(), sig);
    chunked = source.get();
    ctx.WrapBody(std::move(source));
  } else if (sig.payload_mode == PayloadMode::kSignedHash) {
    ctx.WrapBody(
        std::make_unique<Sha256VerifyingSource>(&ctx.current_body(), sig.payload_sha256_hex));
  }
  return InstallChecksumCheck(ctx, chunked);
}

}  // namespace sb::gateway
