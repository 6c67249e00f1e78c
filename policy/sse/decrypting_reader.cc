#include "policy/sse/decrypting_reader.h"

#include <algorithm>
#include <utility>

#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::sse {
namespace {

absl::Status Corrupted(std::string_view what) {
  return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                   std::string("SSE ciphertext: ") + std::string(what));
}

}  // namespace

DecryptingReader::DecryptingReader(internal::AesGcm gcm, const BaseNonce& base_nonce,
                                   uint64_t plaintext_size, uint64_t offset, uint64_t length,
                                   uint32_t package_size, const PackageRange& range)
    : gcm_(std::move(gcm)),
      base_nonce_(base_nonce),
      plaintext_size_(plaintext_size),
      offset_(offset),
      length_(length),
      package_size_(package_size),
      range_(range),
      next_index_(range.first_package) {
  if (range_.package_count > 0) {
    pending_.reserve(package_size_ + kPackageTagSize);
    plain_.resize(package_size_);
  }
}

DecryptingReader::~DecryptingReader() { internal::Cleanse(plain_); }

absl::StatusOr<DecryptingReader> DecryptingReader::Create(const Key256& data_key,
                                                          const BaseNonce& base_nonce,
                                                          uint64_t plaintext_size, uint64_t offset,
                                                          uint64_t length, uint32_t package_size) {
  SB_ASSIGN_OR_RETURN(PackageRange range,
                      PackageRangeFor(plaintext_size, offset, length, package_size));
  SB_ASSIGN_OR_RETURN(internal::AesGcm gcm,
                      internal::AesGcm::Create(data_key, internal::AesGcm::Direction::kOpen));
  return DecryptingReader(std::move(gcm), base_nonce, plaintext_size, offset, length, package_size,
                          range);
}

size_t DecryptingReader::CurrentPackageSize() const {
  return PackagePlaintextSize(plaintext_size_, next_index_, package_size_) + kPackageTagSize;
}

absl::Status DecryptingReader::OpenPackage(std::string_view sealed, PlaintextSink sink) {
  const uint64_t index = next_index_;
  const bool final_package = index + 1 == PackageCount(plaintext_size_, package_size_);
  const BaseNonce nonce = PackageNonce(base_nonce_, index);
  const PackageAad aad = MakePackageAad(index, final_package);
  absl::Status status = gcm_.Open(
      nonce.data(), std::string_view(reinterpret_cast<const char*>(aad.data()), aad.size()), sealed,
      plain_.data());
  if (!status.ok()) {
    failed_ = true;
    if (status.code() != absl::StatusCode::kDataLoss) return status;  // OpenSSL itself failed
    return Corrupted("package " + std::to_string(index) + " failed authentication");
  }
  ++next_index_;
  // Emit only the requested slice: [offset_, offset_+length_) intersected with this package.
  const uint64_t package_start = index * package_size_;
  const uint64_t package_len = sealed.size() - kPackageTagSize;
  const uint64_t from = std::max(offset_, package_start) - package_start;
  const uint64_t to = std::min(offset_ + length_, package_start + package_len) - package_start;
  if (to <= from) return absl::OkStatus();
  status = sink(std::string_view(plain_.data() + from, to - from));
  if (!status.ok()) failed_ = true;
  return status;
}

absl::Status DecryptingReader::Update(std::string_view ciphertext, PlaintextSink sink) {
  if (failed_) return absl::FailedPreconditionError("DecryptingReader used after an error");
  const uint64_t end_index = range_.first_package + range_.package_count;
  while (!ciphertext.empty()) {
    if (next_index_ >= end_index) {
      failed_ = true;
      return Corrupted("more ciphertext than the object's packages");
    }
    const size_t want = CurrentPackageSize();
    // Open straight from the caller's buffer when it holds the whole package.
    if (pending_.empty() && ciphertext.size() >= want) {
      SB_RETURN_IF_ERROR(OpenPackage(ciphertext.substr(0, want), sink));
      ciphertext.remove_prefix(want);
      continue;
    }
    const size_t take = std::min(want - pending_.size(), ciphertext.size());
    pending_.append(ciphertext.data(), take);
    ciphertext.remove_prefix(take);
    if (pending_.size() == want) {
      SB_RETURN_IF_ERROR(OpenPackage(pending_, sink));
      pending_.clear();
    }
  }
  return absl::OkStatus();
}

absl::Status DecryptingReader::Finish() {
  if (failed_) return absl::FailedPreconditionError("DecryptingReader used after an error");
  if (next_index_ != range_.first_package + range_.package_count || !pending_.empty()) {
    failed_ = true;
    return Corrupted("truncated: fewer packages than the object size implies");
  }
  return absl::OkStatus();
}

absl::Status DecryptRange(const Key256& data_key, const BaseNonce& base_nonce,
                          uint64_t plaintext_size, uint64_t offset, uint64_t length,
                          FetchCiphertext fetch, PlaintextSink sink, uint32_t package_size) {
  SB_ASSIGN_OR_RETURN(
      DecryptingReader reader,
      DecryptingReader::Create(data_key, base_nonce, plaintext_size, offset, length, package_size));
  const PackageRange range = reader.range();
  const uint64_t batch = kFetchBatchPackages * (uint64_t{package_size} + kPackageTagSize);
  std::string buffer;
  uint64_t done = 0;
  while (done < range.ciphertext_length) {
    // Batches are whole packages (the stride divides `batch`), except the object's tail.
    const uint64_t want = std::min(batch, range.ciphertext_length - done);
    SB_RETURN_IF_ERROR(fetch(range.ciphertext_offset + done, want, &buffer));
    if (buffer.size() != want) {
      return Corrupted(buffer.size() < want ? "fetch returned fewer bytes than requested"
                                            : "fetch returned more bytes than requested");
    }
    SB_RETURN_IF_ERROR(reader.Update(buffer, sink));
    done += want;
  }
  return reader.Finish();
}

}  // namespace sb::sse
