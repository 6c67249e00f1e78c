// URL encoding of key-valued listing fields for `encoding-type=url` (ListObjects V1/V2,
// ListMultipartUploads). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sb::gateway::xml {

// Encodes `value` as S3 does for encoding-type=url: ASCII letters, digits and "-_.*/" stay
// literal; every other byte (space, '+', '%' and each byte of a UTF-8 sequence) becomes %XX
// with uppercase hex. S3 writes a space as %20 (ceph/s3-tests test_bucket_listv2_encoding_
// basic checks it). S3's own example: "test_file(3).png" -> "test_file%283%29.png".
// Clients decode with form decoding (botocore: unquote_plus), so '+' is never left literal.
std::string S3UrlEncode(std::string_view value);

// S3UrlEncode(value) if `encode`, else value unchanged.
inline std::string MaybeUrlEncode(std::string_view value, bool encode) {
  return encode ? S3UrlEncode(value) : std::string(value);
}

}  // namespace sb::gateway::xml
