#include "policy/sse/encrypting_stream.h"

#include <algorithm>
#include <utility>

#include "policy/sse/internal/aes_gcm.h"

namespace sb::sse {

EncryptingStream::EncryptingStream(internal::AesGcm gcm, const BaseNonce& base_nonce,
                                   uint32_t package_size)
    : gcm_(std::move(gcm)), base_nonce_(base_nonce), package_size_(package_size) {
  pending_.reserve(package_size_);
}

EncryptingStream::~EncryptingStream() { internal::Cleanse(pending_); }

absl::StatusOr<EncryptingStream> EncryptingStream::Create(const Key256& data_key,
                                                          const BaseNonce& base_nonce,
                                                          uint32_t package_size) {
  if (!IsValidPackageSize(package_size)) {
    return absl::InvalidArgumentError("invalid SSE package size");
  }
  auto gcm = internal::AesGcm::Create(data_key, internal::AesGcm::Direction::kSeal);
  if (!gcm.ok()) return gcm.status();
  return EncryptingStream(std::move(*gcm), base_nonce, package_size);
}

absl::Status EncryptingStream::SealPackage(std::string_view plaintext, bool final_package,
                                           std::string* out) {
  const BaseNonce nonce = PackageNonce(base_nonce_, next_index_);
  const PackageAad aad = MakePackageAad(next_index_, final_package);
  const size_t old_size = out->size();
  const size_t sealed_size = plaintext.size() + kPackageTagSize;
  out->resize(old_size + sealed_size);
  absl::Status status = gcm_.Seal(
      nonce.data(), std::string_view(reinterpret_cast<const char*>(aad.data()), aad.size()),
      plaintext, out->data() + old_size);
  if (!status.ok()) {
    out->resize(old_size);
    failed_ = true;
    return status;
  }
  ++next_index_;
  ciphertext_size_ += sealed_size;
  return absl::OkStatus();
}

absl::Status EncryptingStream::Update(std::string_view plaintext, std::string* out) {
  if (finished_ || failed_) {
    return absl::FailedPreconditionError("EncryptingStream used after Finish or failure");
  }
  plaintext_size_ += plaintext.size();
  while (!plaintext.empty()) {
    // A full pending package is sealed as non-final only once we know more bytes follow.
    if (pending_.size() == package_size_) {
      absl::Status status = SealPackage(pending_, /*final_package=*/false, out);
      if (!status.ok()) return status;
      pending_.clear();
    }
    // Seal straight from the caller's buffer when a whole package plus at least one more
    // byte is available, which avoids copying large writes through `pending_`.
    if (pending_.empty() && plaintext.size() > package_size_) {
      absl::Status status =
          SealPackage(plaintext.substr(0, package_size_), /*final_package=*/false, out);
      if (!status.ok()) return status;
      plaintext.remove_prefix(package_size_);
      continue;
    }
    const size_t take = std::min<size_t>(package_size_ - pending_.size(), plaintext.size());
    pending_.append(plaintext.data(), take);
    plaintext.remove_prefix(take);
  }
  return absl::OkStatus();
}

absl::Status EncryptingStream::Finish(std::string* out) {
  if (finished_ || failed_) {
    return absl::FailedPreconditionError("EncryptingStream used after Finish or failure");
  }
  // `pending_` is empty here only for an empty object, which becomes one empty package.
  absl::Status status = SealPackage(pending_, /*final_package=*/true, out);
  if (!status.ok()) return status;
  internal::Cleanse(pending_);
  finished_ = true;
  return absl::OkStatus();
}

}  // namespace sb::sse
