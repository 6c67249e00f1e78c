// Bearer tokens for endpoints that cannot sign requests, such as a Prometheus scraper
// (compare MinIO's `mc admin prometheus generate`). A token is a compact JWT (RFC 7519),
// HS256, whose claims name the access key that issued it ("sub"), what it is for ("aud")
// and when it expires ("exp"). It is signed with a key derived from that access key's secret
// key, so whoever holds the credentials (sbctl) can issue one offline and the server can
// verify it; rotating or deleting the key revokes every token it issued. Pure functions,
// thread-safe. Used by the server (gateway/stages/bearer_auth.cc) and sbctl.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sb::policy::token {

// The audience of metrics-scrape tokens.
inline constexpr char kPrometheusAudience[] = "strongbox:prometheus";

struct Claims {
  std::string access_key;  // "sub"
  std::string audience;    // "aud"
  int64_t issued_at = 0;   // "iat", Unix seconds
  int64_t expires_at = 0;  // "exp", Unix seconds
};

// header.claims.signature, base64url without padding.
std::string Issue(const Claims& claims, std::string_view secret_key);

// Decodes the claims without checking the signature (to find the issuing key).
// InvalidArgument if `token` is not a well-formed HS256 token of this kind.
absl::StatusOr<Claims> Decode(std::string_view token);

// Decodes and checks the signature (constant time) under `secret_key`, the audience and
// the expiry. PermissionDenied naming what failed; InvalidArgument as Decode.
absl::StatusOr<Claims> Verify(std::string_view token, std::string_view secret_key,
                              std::string_view audience, absl::Time now);

}  // namespace sb::policy::token
