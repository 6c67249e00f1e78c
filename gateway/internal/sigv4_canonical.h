// Canonicalization steps of AWS Signature Version 4 as S3 applies them (no path normalization,
// single URI encoding) and the parsers for the Authorization header and credential scope.
// Internal to gateway/; pure functions, thread-safe. Returned string_views point into the input.
// Reference: AWS S3 API "Signature Calculations for the Authorization Header"
// (sig-v4-header-based-auth).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::gateway::internal {

// Percent-decodes `in` into `out` (appending). '+' is kept literally (RFC 3986, as AWS encodes
// spaces as %20). InvalidArgument(kInvalidArgument) on a truncated or non-hex escape.
absl::Status PercentDecode(std::string_view in, std::string* out);

// AWS UriEncode: appends `in` with every byte except A-Za-z0-9 - . _ ~ (and '/' unless
// `encode_slash`) written as %XY with uppercase hex.
void AppendUriEncoded(std::string_view in, bool encode_slash, std::string* out);

// S3 canonical URI: the request path decoded once and re-encoded with '/' kept; "" → "/".
// InvalidArgument on malformed percent-encoding.
absl::Status AppendCanonicalUri(std::string_view raw_path, std::string* out);

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded; "" for a parameter without '='
};

// Splits a raw query string ("a=1&b&c=%2F") into decoded parameters, in order. Empty segments
// are skipped. InvalidArgument on malformed percent-encoding.
absl::StatusOr<std::vector<QueryParam>> ParseQuery(std::string_view raw_query);

// Appends the canonical query string: names and values UriEncoded (slash encoded), sorted by
// encoded name then encoded value, joined "n=v&...". Parameters named `exclude` are skipped.
void AppendCanonicalQuery(const std::vector<QueryParam>& params, std::string_view exclude,
                          std::string* out);

// Validates a SignedHeaders list ("host;range;x-amz-date"): non-empty lowercase names separated
// by ';'. Fills `names` in the order given; returns false if the list is malformed.
bool ParseSignedHeaders(std::string_view list, std::vector<std::string_view>* names);

// Appends "name:value\n" for each signed name: values of repeated headers joined by ',', each
// trimmed with inner runs of spaces/tabs collapsed to one space. Absent headers give "name:\n".
void AppendCanonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::vector<std::string_view>& signed_names, std::string* out);

// Trims spaces/tabs and collapses inner runs to one space (canonical header value form).
void AppendCanonicalHeaderValue(std::string_view value, std::string* out);

struct CredentialScope {
  std::string_view access_key;
  std::string_view date;  // yyyymmdd
  std::string_view region;
  std::string_view service;  // "s3" for us
};

// Parses "AK/yyyymmdd/region/service/aws4_request". Returns false if malformed.
bool ParseCredential(std::string_view credential, CredentialScope* out);

struct AuthorizationFields {
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

// Parses the part of an "AWS4-HMAC-SHA256 ..." Authorization header after the algorithm:
// Credential=..., SignedHeaders=..., Signature=... in any order, separated by commas and/or
// spaces. InvalidArgument(kAuthorizationHeaderMalformed) if a field is missing, repeated,
// empty or unknown.
absl::StatusOr<AuthorizationFields> ParseAuthorizationParams(std::string_view params);

}  // namespace sb::gateway::internal
