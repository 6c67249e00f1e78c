// ChecksumCheckSource: verifies S3 additional checksums (x-amz-checksum-crc32, crc32c,
// crc64nvme, sha1, sha256) over a request body, from a header or an aws-chunked trailer.
// At end of body a mismatch fails the read with BadDigest, so nothing is committed.
// Not thread-safe.
#pragma once

#include <string>

#include "gateway/aws_chunked.h"
#include "gateway/body_source.h"
#include "gateway/payload_verify.h"

namespace sb::gateway {

class ChecksumCheckSource final : public BodySource {
 public:
  // `expected` is the base64 value from a header; if empty, the value is taken from
  // `chunked`'s trailer `trailer_name` once the body ended. With neither (`expected` empty,
  // `chunked` null) the checksum is only computed, for the server's own record.
  ChecksumCheckSource(BodySource* inner, ChecksumCalculator calc, std::string algorithm,
                      std::string expected, const AwsChunkedSource* chunked,
                      std::string trailer_name);
  absl::StatusOr<size_t> Read(char* buf, size_t max) override;

  // The verified value (base64), available after the end of the body; empty before.
  const std::string& value() const { return actual_; }
  // The upper-case S3 name: "CRC32", "CRC32C", "CRC64NVME", "SHA1" or "SHA256".
  const std::string& algorithm() const { return algorithm_; }

 private:
  BodySource* inner_;
  ChecksumCalculator calc_;
  std::string algorithm_;
  std::string expected_;
  const AwsChunkedSource* chunked_;
  std::string trailer_name_;
  std::string actual_;
  bool done_ = false;
};

}  // namespace sb::gateway
