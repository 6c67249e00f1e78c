// AWS Signature Version 4 verification for S3 requests: Authorization-header and presigned
// (query-string) authentication, as pure code over an already-parsed request. Stateless apart
// from a process-wide signing-key cache; all functions are thread-safe.
// References: AWS S3 API "Authenticating Requests (AWS Signature Version 4)" and its subpages.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sb::gateway {

// The request as received.
struct SigV4Request {
  std::string method;
  std::string raw_path;   // as on the request line: still percent-encoded, no query
  std::string raw_query;  // after '?', still encoded; may be empty
  // Names lowercased; values as received; repeated names allowed (kept in order).
  std::vector<std::pair<std::string, std::string>> headers;
  // The service the credential scope must name: "s3", or "sts" for the STS endpoint.
  std::string service = "s3";
  // The hex SHA-256 of an already-read body, used when x-amz-content-sha256 is absent (as
  // for STS's form-encoded POSTs, which sign the body hash without sending the header).
  std::string body_sha256_hex{};
};

// Returns the secret for an access key id, NotFound for an unknown key (any other error is
// passed through unchanged).
using SecretLookup = std::function<absl::StatusOr<std::string>(std::string_view access_key)>;

// How the body is protected, from x-amz-content-sha256.
enum class PayloadMode {
  kUnsigned,                  // UNSIGNED-PAYLOAD (or anonymous / presigned without a hash)
  kSignedHash,                // a hex SHA-256: verify the body with Sha256VerifyingSource
  kStreamingSigned,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD: aws-chunked, signed chunks
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: + signed trailers
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, no signatures
};

struct SigV4Result {
  bool anonymous = false;  // neither Authorization header nor presigned query parameters
  bool presigned = false;
  std::string access_key;
  PayloadMode payload_mode = PayloadMode::kUnsigned;
  std::string payload_sha256_hex;  // kSignedHash: the declared hash (lowercase hex)
  std::string signing_key;         // raw HMAC key, for chunk and trailer signatures
  std::string seed_signature;      // hex request signature = first chunk's previous signature
  std::string scope;               // yyyymmdd/region/s3/aws4_request
  std::string amz_date;            // yyyymmddThhmmssZ
  std::string region;              // from the credential scope; not checked against ours
  // x-amz-decoded-content-length for streaming modes, when the header is present.
  std::optional<uint64_t> decoded_content_length;
};

// Maximum accepted difference between the request time and `now` (AWS: 15 minutes).
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(15);
// Largest X-Amz-Expires of a presigned URL (AWS: 7 days).
inline constexpr int64_t kMaxPresignedExpirySeconds = 604800;

// Verifies the request's SigV4 signature at time `now`. Errors (canonical code + ErrorReason):
//  - InvalidArgument: kAuthorizationHeaderMalformed (bad Authorization header or credential,
//    credential date != request date, service != req.service, host not signed),
//    kAuthorizationQueryParametersError (bad or missing presigned parameters, X-Amz-Expires
//    outside 1..604800), kInvalidRequest (SigV2 / SigV4a, missing x-amz-content-sha256),
//    kInvalidArgument (bad x-amz-content-sha256 value, both auth mechanisms, bad encoding,
//    unsupported algorithm, bad x-amz-decoded-content-length).
//  - PermissionDenied: kInvalidAccessKeyId (lookup said NotFound), kSignatureDoesNotMatch,
//    kRequestTimeTooSkewed (header auth, |now - date| > 15 min), kAccessDenied (presigned URL
//    expired / not yet valid, missing date, x-amz-* header present but not signed).
//  - Any non-NotFound error from `lookup` is returned as is.
// An anonymous request returns OK with anonymous = true (payload_mode from a hash or
// STREAMING-UNSIGNED-PAYLOAD-TRAILER header if given; signed streaming modes are rejected).
absl::StatusOr<SigV4Result> VerifySigV4(const SigV4Request& req, const SecretLookup& lookup,
                                        absl::Time now);

}  // namespace sb::gateway
