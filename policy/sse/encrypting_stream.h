// EncryptingStream: turns an object's (part's) plaintext, pushed in chunks of any size, into
// SSE packages (docs/on-disk-format.md, "Encryption"). Memory is bounded: at most one package
// of plaintext is buffered, and the cipher context and buffer are allocated once per stream.
// Thread-safety: one stream per request; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/sse/internal/aes_gcm.h"
#include "policy/sse/key256.h"
#include "policy/sse/package_format.h"

namespace sb::sse {

class EncryptingStream {
 public:
  // `data_key` and `base_nonce` must be fresh for this object/part (NewObjectKey gives both).
  // InvalidArgument if `package_size` is invalid; Internal if OpenSSL fails.
  static absl::StatusOr<EncryptingStream> Create(const Key256& data_key,
                                                 const BaseNonce& base_nonce,
                                                 uint32_t package_size = kPackageSize);

  EncryptingStream(EncryptingStream&&) noexcept = default;
  EncryptingStream& operator=(EncryptingStream&&) noexcept = default;
  ~EncryptingStream();

  // Appends to `out` the ciphertext of every package that `plaintext` completes (a full
  // package is held back until more bytes or Finish() tell whether it is the last).
  // FailedPrecondition after Finish(); Internal on OpenSSL failure (the stream is then dead).
  absl::Status Update(std::string_view plaintext, std::string* out);

  // Seals the final package and appends it to `out`. Afterwards ciphertext_size() ==
  // CiphertextSize(plaintext_size()). FailedPrecondition if called twice.
  absl::Status Finish(std::string* out);

  uint64_t plaintext_size() const { return plaintext_size_; }
  uint64_t ciphertext_size() const { return ciphertext_size_; }

 private:
  EncryptingStream(internal::AesGcm gcm, const BaseNonce& base_nonce, uint32_t package_size);
  // Seals package `next_index_` from `plaintext` and appends it to `out`.
  absl::Status SealPackage(std::string_view plaintext, bool final_package, std::string* out);

  internal::AesGcm gcm_;
  BaseNonce base_nonce_;
  uint32_t package_size_;
  std::string pending_;  // plaintext of the package being filled; capacity package_size_
  uint64_t next_index_ = 0;
  uint64_t plaintext_size_ = 0;
  uint64_t ciphertext_size_ = 0;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace sb::sse
