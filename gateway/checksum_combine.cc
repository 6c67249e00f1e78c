#include "gateway/checksum_combine.h"

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/payload_verify.h"

namespace sb::gateway {
namespace {

constexpr uint64_t kCrc32Poly = 0xEDB88320;
constexpr uint64_t kCrc32cPoly = 0x82F63B78;
constexpr uint64_t kCrc64NvmePoly = 0x9A6C9329AC4BC9B5ULL;

bool IsCrc(std::string_view algorithm) {
  return algorithm == "CRC32" || algorithm == "CRC32C" || algorithm == "CRC64NVME";
}

size_t DigestSize(std::string_view algorithm) {
  if (algorithm == "CRC32" || algorithm == "CRC32C") return 4;
  if (algorithm == "CRC64NVME") return 8;
  if (algorithm == "SHA1") return 20;
  if (algorithm == "SHA256") return 32;
  return 0;
}

absl::Status Invalid(ErrorReason reason, std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, reason, message);
}

// a(x) * b(x) mod p, in the reflected bit order (the top bit is x^0).
uint64_t MultModP(uint64_t a, uint64_t b, uint64_t poly, int width) {
  uint64_t m = uint64_t{1} << (width - 1);
  uint64_t p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ poly : b >> 1;
  }
  return p;
}

uint64_t BigEndian(const std::string& raw) {
  uint64_t v = 0;
  for (unsigned char c : raw) v = (v << 8) | c;
  return v;
}

std::string ToBigEndian(uint64_t v, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) out[bytes - 1 - i] = static_cast<char>(v >> (8 * i));
  return out;
}

}  // namespace

uint64_t CrcCombine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b, uint64_t poly, int width) {
  // x^(8 * len_b) mod p by squaring: powers[k] = x^(2^k) mod p.
  const uint64_t one = uint64_t{1} << (width - 1);
  uint64_t power = one >> 1;  // x^1
  uint64_t factor = one;      // x^0
  uint64_t n = len_b;
  // Bytes are 8 bits: start at x^8 = x^(2^3).
  for (int k = 0; k < 3; ++k) power = MultModP(power, power, poly, width);
  while (n != 0) {
    if (n & 1) factor = MultModP(power, factor, poly, width);
    power = MultModP(power, power, poly, width);
    n >>= 1;
  }
  return MultModP(factor, crc_a, poly, width) ^ crc_b;
}

std::string_view DefaultChecksumType(std::string_view algorithm) {
  return algorithm == "CRC64NVME" ? kChecksumFullObject : kChecksumComposite;
}

bool ChecksumTypeAllowed(std::string_view algorithm, std::string_view type) {
  if (type == kChecksumFullObject) return IsCrc(algorithm);
  if (type == kChecksumComposite) return DigestSize(algorithm) != 0 && algorithm != "CRC64NVME";
  return false;
}

std::string ChecksumElementName(std::string_view algorithm) {
  return absl::StrCat("Checksum", AsAbsl(algorithm));
}

absl::StatusOr<std::string> MultipartChecksum(std::string_view algorithm, std::string_view type,
                                              const std::vector<PartChecksum>& parts) {
  const size_t digest = DigestSize(algorithm);
  if (digest == 0 || !ChecksumTypeAllowed(algorithm, type)) {
    return Invalid(ErrorReason::kInvalidRequest,
                   absl::StrCat("The checksum type ", AsAbsl(type), " is not supported with the ",
                                AsAbsl(algorithm), " algorithm"));
  }
  std::vector<std::string> raw;
  raw.reserve(parts.size());
  for (const PartChecksum& part : parts) {
    std::string bytes;
    if (!absl::Base64Unescape(AsAbsl(part.value), &bytes) || bytes.size() != digest) {
      return Invalid(ErrorReason::kInvalidPart,
                     absl::StrCat("A part has no valid ", AsAbsl(algorithm), " checksum"));
    }
    raw.push_back(std::move(bytes));
  }
  if (type == kChecksumFullObject) {
    const uint64_t poly = algorithm == "CRC32"    ? kCrc32Poly
                          : algorithm == "CRC32C" ? kCrc32cPoly
                                                  : kCrc64NvmePoly;
    const int width = static_cast<int>(digest * 8);
    uint64_t crc = 0;  // the CRC of no bytes
    for (size_t i = 0; i < parts.size(); ++i) {
      crc = CrcCombine(crc, BigEndian(raw[i]), parts[i].size, poly, width);
    }
    return absl::Base64Escape(ToBigEndian(crc, digest));
  }
  auto calc = ChecksumCalculator::Create(algorithm);
  if (!calc.ok()) return calc.status();
  for (const std::string& bytes : raw) calc->Update(bytes);
  return absl::StrCat(calc->FinishBase64(), "-", parts.size());
}

}  // namespace sb::gateway
