#include "gateway/payload_verify.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <climits>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/absl_compat.h"
#include "common/check.h"
#include "common/error_reason.h"
#include "gateway/internal/crc64nvme.h"

namespace sb::gateway {
namespace {

// Fetched once per process: OpenSSL 3's implicit fetch per EVP_DigestInit is measurable.
const EVP_MD* FetchedMd(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  SB_CHECK(md != nullptr);
  return md;
}

const EVP_MD* Sha1Md() {
  static const EVP_MD* md = FetchedMd("SHA1");
  return md;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = FetchedMd("SHA256");
  return md;
}

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

}  // namespace

Sha256VerifyingSource::Sha256VerifyingSource(BodySource* inner,
                                             std::string_view expected_sha256_hex)
    : inner_(inner), expected_hex_(absl::AsciiStrToLower(AsAbsl(expected_sha256_hex))) {}

absl::StatusOr<size_t> Sha256VerifyingSource::Read(char* buf, size_t max) {
  if (!error_.ok()) return error_;
  if (done_) return 0;
  absl::StatusOr<size_t> n = inner_->Read(buf, max);
  if (!n.ok()) {
    error_ = n.status();
    return error_;
  }
  if (*n > 0) {
    hasher_.Update(buf, *n);
    return n;
  }
  std::string actual = internal::HexLower(hasher_.Finish());
  if (actual != expected_hex_) {
    error_ = MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kXAmzContentSha256Mismatch,
                       "The provided 'x-amz-content-sha256' header does not match what was "
                       "computed.");
    return error_;
  }
  done_ = true;
  return 0;
}

absl::StatusOr<ChecksumCalculator> ChecksumCalculator::Create(std::string_view algorithm) {
  std::string upper = absl::AsciiStrToUpper(AsAbsl(algorithm));
  Algorithm a;
  if (upper == "CRC32") {
    a = Algorithm::kCrc32;
  } else if (upper == "CRC32C") {
    a = Algorithm::kCrc32c;
  } else if (upper == "CRC64NVME") {
    a = Algorithm::kCrc64Nvme;
  } else if (upper == "SHA1") {
    a = Algorithm::kSha1;
  } else if (upper == "SHA256") {
    a = Algorithm::kSha256;
  } else {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Checksum algorithm provided is unsupported. Please try again with any of "
                     "the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  ChecksumCalculator calc(a);
  if (a == Algorithm::kCrc32c) calc.crc_ = 0xFFFFFFFFu;  // crc32_iscsi has no implicit init
  if (a == Algorithm::kSha1 || a == Algorithm::kSha256) {
    calc.md_ctx_.reset(EVP_MD_CTX_new());
    SB_CHECK(calc.md_ctx_ != nullptr);
    SB_CHECK(EVP_DigestInit_ex(calc.md_ctx_.get(), a == Algorithm::kSha1 ? Sha1Md() : Sha256Md(),
                               nullptr) == 1);
  }
  return calc;
}

void ChecksumCalculator::Update(std::string_view data) {
  auto* p = reinterpret_cast<const unsigned char*>(data.data());
  switch (algorithm_) {
    case Algorithm::kCrc32:
      crc_ = crc32_gzip_refl(static_cast<uint32_t>(crc_), p, data.size());
      break;
    case Algorithm::kCrc32c:
      // crc32_iscsi takes an int length and a non-const pointer (it does not write).
      for (size_t off = 0; off < data.size();) {
        int n = static_cast<int>(std::min<size_t>(data.size() - off, INT_MAX));
        crc_ = crc32_iscsi(const_cast<unsigned char*>(p + off), n, static_cast<uint32_t>(crc_));
        off += static_cast<size_t>(n);
      }
      break;
    case Algorithm::kCrc64Nvme:
      crc_ = internal::Crc64Nvme(crc_, p, data.size());
      break;
    case Algorithm::kSha1:
    case Algorithm::kSha256:
      if (!data.empty()) SB_CHECK(EVP_DigestUpdate(md_ctx_.get(), p, data.size()) == 1);
      break;
  }
}

std::string ChecksumCalculator::Finish() {
  switch (algorithm_) {
    case Algorithm::kCrc32:
      return BigEndian(crc_, 4);
    case Algorithm::kCrc32c:
      return BigEndian(~crc_ & 0xFFFFFFFFu, 4);
    case Algorithm::kCrc64Nvme:
      return BigEndian(crc_, 8);
    case Algorithm::kSha1:
    case Algorithm::kSha256: {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      SB_CHECK(EVP_DigestFinal_ex(md_ctx_.get(), digest, &len) == 1);
      return std::string(reinterpret_cast<char*>(digest), len);
    }
  }
  return "";
}

std::string ChecksumCalculator::FinishBase64() { return absl::Base64Escape(Finish()); }

std::string_view ChecksumCalculator::name() const {
  switch (algorithm_) {
    case Algorithm::kCrc32:
      return "CRC32";
    case Algorithm::kCrc32c:
      return "CRC32C";
    case Algorithm::kCrc64Nvme:
      return "CRC64NVME";
    case Algorithm::kSha1:
      return "SHA1";
    case Algorithm::kSha256:
      return "SHA256";
  }
  return "";
}

std::string_view ChecksumCalculator::header_name() const {
  switch (algorithm_) {
    case Algorithm::kCrc32:
      return "x-amz-checksum-crc32";
    case Algorithm::kCrc32c:
      return "x-amz-checksum-crc32c";
    case Algorithm::kCrc64Nvme:
      return "x-amz-checksum-crc64nvme";
    case Algorithm::kSha1:
      return "x-amz-checksum-sha1";
    case Algorithm::kSha256:
      return "x-amz-checksum-sha256";
  }
  return "";
}

}  // namespace sb::gateway
