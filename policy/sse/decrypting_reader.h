// DecryptingReader / DecryptRange: serve a plaintext byte range of an SSE-encrypted object
// (part) by fetching and opening only the packages that cover it. Every package is
// authenticated before any of its bytes are emitted, so a failure never yields wrong bytes.
// Thread-safety: one reader per request; not thread-safe. DecryptRange is reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/sse/internal/aes_gcm.h"
#include "policy/sse/key256.h"
#include "policy/sse/package_format.h"

namespace sb::sse {

// Receives decrypted plaintext in order; an error stops the read and is returned as is.
using PlaintextSink = absl::FunctionRef<absl::Status(std::string_view plaintext)>;

// Push-style: the caller reads range().ciphertext_offset/length from storage (for example
// with DataPlane::Read) and feeds the bytes in order, in chunks of any size.
class DecryptingReader {
 public:
  // Prepares to decrypt plaintext [offset, offset+length) of an object of `plaintext_size`
  // bytes. OutOfRange(kInvalidRange) if the range is outside the object; InvalidArgument
  // for a bad package size; Internal if OpenSSL fails.
  static absl::StatusOr<DecryptingReader> Create(const Key256& data_key,
                                                 const BaseNonce& base_nonce,
                                                 uint64_t plaintext_size, uint64_t offset,
                                                 uint64_t length,
                                                 uint32_t package_size = kPackageSize);

  DecryptingReader(DecryptingReader&&) noexcept = default;
  DecryptingReader& operator=(DecryptingReader&&) noexcept = default;
  ~DecryptingReader();

  // The ciphertext bytes to feed (empty for an empty range).
  const PackageRange& range() const { return range_; }

  // Consumes the next ciphertext bytes and emits the requested plaintext of every package
  // they complete. DataLoss(kDataCorrupted) if a package fails authentication or more
  // bytes arrive than range() asks for; the reader is dead after any error.
  absl::Status Update(std::string_view ciphertext, PlaintextSink sink);

  // DataLoss(kDataCorrupted) if fewer ciphertext bytes arrived than range() asks for.
  absl::Status Finish();

 private:
  DecryptingReader(internal::AesGcm gcm, const BaseNonce& base_nonce, uint64_t plaintext_size,
                   uint64_t offset, uint64_t length, uint32_t package_size,
                   const PackageRange& range);
  // Ciphertext size of the package currently expected.
  size_t CurrentPackageSize() const;
  // Opens one whole package and emits its requested slice.
  absl::Status OpenPackage(std::string_view sealed, PlaintextSink sink);

  internal::AesGcm gcm_;
  BaseNonce base_nonce_;
  uint64_t plaintext_size_;
  uint64_t offset_;  // requested plaintext range
  uint64_t length_;
  uint32_t package_size_;
  PackageRange range_;
  uint64_t next_index_;  // package expected next
  std::string pending_;  // partial ciphertext of package next_index_
  std::string plain_;    // decrypt buffer, one package
  bool failed_ = false;
};

// Pulls ciphertext [offset, offset+length) from storage into `*out` (replacing its
// contents). Returning fewer bytes than asked is treated as a truncated object.
using FetchCiphertext =
    absl::FunctionRef<absl::Status(uint64_t offset, uint64_t length, std::string* out)>;

// Decrypts plaintext [offset, offset+length) of an object of `plaintext_size` bytes,
// fetching only the covering packages (in batches of at most kFetchBatchPackages) and
// emitting exactly the requested bytes. Errors as DecryptingReader; fetch and sink errors
// are returned unchanged; a short or long fetch is DataLoss(kDataCorrupted).
inline constexpr uint64_t kFetchBatchPackages = 16;
absl::Status DecryptRange(const Key256& data_key, const BaseNonce& base_nonce,
                          uint64_t plaintext_size, uint64_t offset, uint64_t length,
                          FetchCiphertext fetch, PlaintextSink sink,
                          uint32_t package_size = kPackageSize);

}  // namespace sb::sse
