#include "gateway/sigv4.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/absl_compat.h"
#include "common/clock.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/internal/sigv4_crypto.h"

namespace sb::gateway {
namespace {

using internal::CredentialScope;
using internal::QueryParam;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kSigV4a = "AWS4-ECDSA-P256-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kContentSha256 = "x-amz-content-sha256";

absl::Status Err(absl::StatusCode code, ErrorReason reason, std::string_view message) {
  return MakeError(code, reason, message);
}
absl::Status HeaderMalformed(std::string_view message) {
  return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationHeaderMalformed,
             message);
}
absl::Status QueryError(std::string_view message) {
  return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationQueryParametersError,
             message);
}
absl::Status Denied(std::string_view message) {
  return Err(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied, message);
}

// Headers the verifier reads, found in one pass (first occurrence wins).
struct KnownHeaders {
  const std::string* authorization = nullptr;
  const std::string* amz_date = nullptr;
  const std::string* date = nullptr;
  const std::string* content_sha256 = nullptr;
  const std::string* decoded_length = nullptr;
};

KnownHeaders FindKnownHeaders(const SigV4Request& req) {
  KnownHeaders h;
  for (const auto& [name, value] : req.headers) {
    const std::string** slot = name == "authorization"                  ? &h.authorization
                               : name == "x-amz-date"                   ? &h.amz_date
                               : name == "date"                         ? &h.date
                               : name == kContentSha256                 ? &h.content_sha256
                               : name == "x-amz-decoded-content-length" ? &h.decoded_length
                                                                        : nullptr;
    if (slot != nullptr && *slot == nullptr) *slot = &value;
  }
  return h;
}

// Returns the single parameter named `name`; sets *duplicate if it appears more than once.
const QueryParam* FindParam(const std::vector<QueryParam>& params, std::string_view name,
                            bool* duplicate) {
  const QueryParam* found = nullptr;
  for (const QueryParam& p : params) {
    if (p.name != name) continue;
    if (found != nullptr) *duplicate = true;
    found = &p;
  }
  return found;
}

// Strict decimal (absl::SimpleAtoi would also take signs and surrounding spaces).
template <typename Int>
bool ParseDigits(std::string_view s, Int* out) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  return absl::SimpleAtoi(AsAbsl(s), out);
}

// yyyymmddThhmmssZ, parsed by hand: absl's %Y is greedy and would swallow the whole date.
bool ParseAmzDate(std::string_view s, absl::Time* t) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return false;
  auto num = [&](size_t pos, size_t len, int* out) {
    *out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      *out = *out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, &y) || !num(4, 2, &mo) || !num(6, 2, &d) || !num(9, 2, &h) || !num(11, 2, &mi) ||
      !num(13, 2, &se)) {
    return false;
  }
  absl::CivilSecond cs(y, mo, d, h, mi, se);
  // CivilSecond normalizes out-of-range fields (month 13, Feb 30); reject those instead.
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h || cs.minute() != mi ||
      cs.second() != se) {
    return false;
  }
  *t = absl::FromCivil(cs, absl::UTCTimeZone());
  return true;
}

absl::StatusOr<PayloadMode> ParsePayloadMode(std::string_view v) {
  if (internal::IsSha256Hex(v)) return PayloadMode::kSignedHash;
  if (v == kUnsignedPayload) return PayloadMode::kUnsigned;
  if (v == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") return PayloadMode::kStreamingSigned;
  if (v == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    return PayloadMode::kStreamingSignedTrailer;
  }
  if (v == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") return PayloadMode::kStreamingUnsignedTrailer;
  return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
             "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
             "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or "
             "a valid sha256 value");
}

bool IsStreaming(PayloadMode m) {
  return m == PayloadMode::kStreamingSigned || m == PayloadMode::kStreamingSignedTrailer ||
         m == PayloadMode::kStreamingUnsignedTrailer;
}

// Fills payload fields of `result` from an x-amz-content-sha256 value and the headers.
absl::Status SetPayload(std::string_view content_sha256, const KnownHeaders& h,
                        SigV4Result* result) {
  SB_ASSIGN_OR_RETURN(result->payload_mode, ParsePayloadMode(content_sha256));
  if (result->payload_mode == PayloadMode::kSignedHash) {
    result->payload_sha256_hex = absl::AsciiStrToLower(AsAbsl(content_sha256));
  }
  if (IsStreaming(result->payload_mode) && h.decoded_length != nullptr) {
    uint64_t n = 0;
    if (!ParseDigits(*h.decoded_length, &n)) {
      return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                 "x-amz-decoded-content-length is not a valid length");
    }
    result->decoded_content_length = n;
  }
  return absl::OkStatus();
}

// Everything the two mechanisms extract before the common verification step.
struct AuthInput {
  CredentialScope cred;
  std::string_view signed_headers;
  std::string_view signature;
  std::string amz_date;
  std::string_view payload_hash;  // the canonical request's last line
  bool presigned = false;
};

absl::StatusOr<AuthInput> ParseHeaderAuth(std::string_view auth, const KnownHeaders& h,
                                          absl::Time now) {
  AuthInput in;
  while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
  if (auth.substr(0, 4) == "AWS ") {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
               "Signature Version 2 is not supported; use AWS4-HMAC-SHA256");
  }
  if (auth.substr(0, kSigV4a.size()) == kSigV4a) {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
               "AWS4-ECDSA-P256-SHA256 (SigV4a) is not supported; use AWS4-HMAC-SHA256");
  }
  if (auth.size() <= kAlgorithm.size() || auth.substr(0, kAlgorithm.size()) != kAlgorithm ||
      auth[kAlgorithm.size()] != ' ') {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
               "Unsupported Authorization Type");
  }
  SB_ASSIGN_OR_RETURN(internal::AuthorizationFields f,
                      internal::ParseAuthorizationParams(auth.substr(kAlgorithm.size() + 1)));
  if (!internal::ParseCredential(f.credential, &in.cred)) {
    return HeaderMalformed(
        "The authorization header is malformed; the Credential is mal-formed; expecting "
        "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
  }
  in.signed_headers = f.signed_headers;
  in.signature = f.signature;

  absl::Time t;
  if (h.amz_date != nullptr) {
    if (!ParseAmzDate(*h.amz_date, &t)) {
      return Denied("AWS authentication requires a valid Date or x-amz-date header");
    }
    in.amz_date = *h.amz_date;
  } else if (std::optional<absl::Time> date = h.date ? ParseHttpDate(*h.date) : std::nullopt) {
    t = *date;
    in.amz_date = absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
  } else {
    return Denied("AWS authentication requires a valid Date or x-amz-date header");
  }
  if (in.cred.date != std::string_view(in.amz_date).substr(0, 8)) {
    return HeaderMalformed(
        "The authorization header is malformed; Invalid credential date. Date is not the same "
        "as X-Amz-Date.");
  }
  if (absl::AbsDuration(now - t) > kMaxClockSkew) {
    return Err(absl::StatusCode::kPermissionDenied, ErrorReason::kRequestTimeTooSkewed,
               "The difference between the request time and the current time is too large.");
  }
  if (h.content_sha256 == nullptr) {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
               "Missing required header for this request: x-amz-content-sha256");
  }
  in.payload_hash = *h.content_sha256;
  return in;
}

absl::StatusOr<AuthInput> ParseQueryAuth(const std::vector<QueryParam>& params, absl::Time now) {
  AuthInput in;
  in.presigned = true;
  bool dup = false;
  const QueryParam* alg = FindParam(params, "X-Amz-Algorithm", &dup);
  const QueryParam* cred = FindParam(params, "X-Amz-Credential", &dup);
  const QueryParam* date = FindParam(params, "X-Amz-Date", &dup);
  const QueryParam* expires = FindParam(params, "X-Amz-Expires", &dup);
  const QueryParam* signed_headers = FindParam(params, "X-Amz-SignedHeaders", &dup);
  const QueryParam* sig = FindParam(params, "X-Amz-Signature", &dup);
  if (!alg || !cred || !date || !expires || !signed_headers || !sig || dup) {
    return QueryError(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  }
  if (alg->value == kSigV4a) {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
               "AWS4-ECDSA-P256-SHA256 (SigV4a) is not supported; use AWS4-HMAC-SHA256");
  }
  if (alg->value != kAlgorithm) {
    return QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  if (!internal::ParseCredential(cred->value, &in.cred)) {
    return QueryError(
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
        "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
  }
  absl::Time t;
  if (!ParseAmzDate(date->value, &t)) {
    return QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  in.amz_date = date->value;
  if (in.cred.date != std::string_view(in.amz_date).substr(0, 8)) {
    return QueryError("Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  int64_t seconds = 0;
  if (!ParseDigits(expires->value, &seconds) || seconds < 1 ||
      seconds > kMaxPresignedExpirySeconds) {
    return QueryError("X-Amz-Expires must be a number of seconds from 1 to 604800 (one week)");
  }
  if (t - now > kMaxClockSkew) return Denied("Request is not valid yet");
  if (now > t + absl::Seconds(seconds)) return Denied("Request has expired");
  in.signed_headers = signed_headers->value;
  in.signature = sig->value;
  // A presigned URL cannot know its body: the payload is unsigned unless the client signed an
  // x-amz-content-sha256 header (or put the hash in the query, as some presigners do).
  in.payload_hash = kUnsignedPayload;
  bool dup_hash = false;
  if (const QueryParam* q = FindParam(params, "X-Amz-Content-Sha256", &dup_hash)) {
    in.payload_hash = q->value;
  }
  return in;
}

bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

// Builds the canonical request, compares signatures and fills `result`.
absl::Status Verify(const SigV4Request& req, const std::vector<QueryParam>& params,
                    const KnownHeaders& h, AuthInput& in, const SecretLookup& lookup,
                    SigV4Result* result) {
  std::vector<std::string_view> signed_names;
  if (!internal::ParseSignedHeaders(in.signed_headers, &signed_names)) {
    return in.presigned ? QueryError("X-Amz-SignedHeaders is malformed")
                        : HeaderMalformed(
                              "The authorization header is malformed; SignedHeaders "
                              "is malformed");
  }
  if (!Contains(signed_names, "host")) {
    return in.presigned
               ? QueryError("X-Amz-SignedHeaders must include host")
               : HeaderMalformed("The authorization header is malformed; host must be signed");
  }
  if (in.cred.service != req.service) {
    std::string msg = absl::StrCat("Credential should be scoped to correct service: '", req.service,
                                   "', not '", AsAbsl(in.cred.service), "'");
    return in.presigned ? QueryError(msg) : HeaderMalformed(msg);
  }
  // S3 rejects x-amz-* headers that the signature does not cover: they change the meaning of
  // the request (ACLs, copy source, SSE, metadata) and could otherwise be injected.
  for (const auto& [name, value] : req.headers) {
    if (name.size() > 6 && name.compare(0, 6, "x-amz-") == 0 && name != kContentSha256 &&
        !Contains(signed_names, name)) {
      return Denied(
          absl::StrCat("There were headers present in the request which were not signed: ", name));
    }
  }
  if (in.presigned && h.content_sha256 != nullptr && Contains(signed_names, kContentSha256)) {
    in.payload_hash = *h.content_sha256;
  }
  SB_RETURN_IF_ERROR(SetPayload(in.payload_hash, h, result));

  std::string canonical;
  canonical.reserve(512 + req.raw_path.size() + req.raw_query.size());
  canonical.append(req.method).push_back('\n');
  SB_RETURN_IF_ERROR(internal::AppendCanonicalUri(req.raw_path, &canonical));
  canonical.push_back('\n');
  internal::AppendCanonicalQuery(params, in.presigned ? "X-Amz-Signature" : "", &canonical);
  canonical.push_back('\n');
  internal::AppendCanonicalHeaders(req.headers, signed_names, &canonical);
  canonical.push_back('\n');
  canonical.append(in.signed_headers).push_back('\n');
  canonical.append(in.payload_hash);

  result->scope = absl::StrCat(AsAbsl(in.cred.date), "/", AsAbsl(in.cred.region), "/",
                               AsAbsl(in.cred.service), "/aws4_request");
  std::string string_to_sign =
      absl::StrCat(AsAbsl(kAlgorithm), "\n", in.amz_date, "\n", result->scope, "\n",
                   internal::HexLower(internal::Sha256(canonical)));

  absl::StatusOr<std::string> secret = lookup(in.cred.access_key);
  if (absl::IsNotFound(secret.status())) {
    return Err(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
               "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (!secret.ok()) return secret.status();
  result->signing_key =
      internal::CachedSigningKey(*secret, in.cred.date, in.cred.region, in.cred.service);
  result->seed_signature = internal::SignatureHex(result->signing_key, string_to_sign);
  if (!internal::ConstantTimeEquals(result->seed_signature, in.signature)) {
    result->signing_key.clear();
    return Err(absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch,
               "The request signature we calculated does not match the signature you provided. "
               "Check your key and signing method.");
  }
  result->presigned = in.presigned;
  result->access_key = std::string(in.cred.access_key);
  result->amz_date = std::move(in.amz_date);
  result->region = std::string(in.cred.region);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SigV4Result> VerifySigV4(const SigV4Request& req, const SecretLookup& lookup,
                                        absl::Time now) {
  KnownHeaders h = FindKnownHeaders(req);
  if (h.content_sha256 == nullptr && !req.body_sha256_hex.empty()) {
    h.content_sha256 = &req.body_sha256_hex;
  }
  SB_ASSIGN_OR_RETURN(std::vector<QueryParam> params, internal::ParseQuery(req.raw_query));
  bool query_auth = false;
  bool v2_query = false;
  for (const QueryParam& p : params) {
    query_auth |=
        p.name == "X-Amz-Algorithm" || p.name == "X-Amz-Credential" || p.name == "X-Amz-Signature";
    v2_query |= p.name == "AWSAccessKeyId";
  }
  SigV4Result result;
  if (h.authorization != nullptr && (query_auth || v2_query)) {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
               "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or "
               "the Authorization header should be specified");
  }
  if (v2_query && !query_auth) {
    return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
               "Signature Version 2 is not supported; use AWS4-HMAC-SHA256");
  }
  if (h.authorization == nullptr && !query_auth) {
    result.anonymous = true;
    if (h.content_sha256 != nullptr) {
      SB_RETURN_IF_ERROR(SetPayload(*h.content_sha256, h, &result));
      if (result.payload_mode == PayloadMode::kStreamingSigned ||
          result.payload_mode == PayloadMode::kStreamingSignedTrailer) {
        return Err(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                   "A signed streaming payload requires an authenticated request");
      }
    }
    return result;
  }
  AuthInput in;
  if (h.authorization != nullptr) {
    SB_ASSIGN_OR_RETURN(in, ParseHeaderAuth(*h.authorization, h, now));
  } else {
    SB_ASSIGN_OR_RETURN(in, ParseQueryAuth(params, now));
  }
  SB_RETURN_IF_ERROR(Verify(req, params, h, in, lookup, &result));
  return result;
}

}  // namespace sb::gateway
