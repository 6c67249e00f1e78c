// Body integrity for S3 uploads: Sha256VerifyingSource checks a body against the signed
// x-amz-content-sha256, and ChecksumCalculator computes S3's additional checksums
// (x-amz-checksum-*) in streaming fashion. Not thread-safe (one instance per request).
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gateway/body_source.h"
#include "gateway/internal/sigv4_crypto.h"

namespace sb::gateway {

// Passes bytes through from `inner` while hashing them; when `inner` ends, compares the SHA-256
// with the expected hex. The final Read() returns 0 on a match and
// InvalidArgument(kXAmzContentSha256Mismatch) otherwise, so callers must only commit the body
// once Read() returned 0. Errors of `inner` pass through; after an error every call repeats it.
class Sha256VerifyingSource : public BodySource {
 public:
  // `inner` must outlive this object; `expected_sha256_hex` is 64 hex digits (either case).
  Sha256VerifyingSource(BodySource* inner, std::string_view expected_sha256_hex);
  absl::StatusOr<size_t> Read(char* buf, size_t max) override;

 private:
  BodySource* inner_;
  std::string expected_hex_;  // lowercase
  internal::Sha256Hasher hasher_;
  bool done_ = false;
  absl::Status error_;
};

// S3 additional checksum of a byte stream. Values are formatted as S3 sends them: base64 of the
// big-endian digest. CRC32 is zlib's (ISA-L crc32_gzip_refl), CRC32C is Castagnoli (ISA-L
// crc32_iscsi), CRC64NVME is CRC-64/NVME (table-driven, see internal/crc64nvme.h).
class ChecksumCalculator {
 public:
  enum class Algorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

  // `algorithm` is "CRC32", "CRC32C", "CRC64NVME", "SHA1" or "SHA256" in any case;
  // anything else is InvalidArgument(kInvalidRequest).
  static absl::StatusOr<ChecksumCalculator> Create(std::string_view algorithm);

  void Update(std::string_view data);
  // Base64 of the big-endian digest of everything passed to Update(). Call once; the calculator
  // must not be used afterwards.
  std::string FinishBase64();
  // The raw big-endian digest (4, 8, 20 or 32 bytes). Same single-use rule as FinishBase64().
  std::string Finish();

  Algorithm algorithm() const { return algorithm_; }
  // "CRC32", "CRC32C", "CRC64NVME", "SHA1" or "SHA256".
  std::string_view name() const;
  // The header carrying this checksum: "x-amz-checksum-crc32", ...
  std::string_view header_name() const;

 private:
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  explicit ChecksumCalculator(Algorithm algorithm) : algorithm_(algorithm) {}

  Algorithm algorithm_;
  uint64_t crc_ = 0;
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> md_ctx_;  // SHA1 / SHA256 only
};

}  // namespace sb::gateway
