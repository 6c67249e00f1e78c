#include "gateway/checksum_source.h"

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"

namespace sb::gateway {

ChecksumCheckSource::ChecksumCheckSource(BodySource* inner, ChecksumCalculator calc,
                                         std::string algorithm, std::string expected,
                                         const AwsChunkedSource* chunked, std::string trailer_name)
    : inner_(inner),
      calc_(std::move(calc)),
      algorithm_(std::move(algorithm)),
      expected_(std::move(expected)),
      chunked_(chunked),
      trailer_name_(std::move(trailer_name)) {}

absl::StatusOr<size_t> ChecksumCheckSource::Read(char* buf, size_t max) {
  if (done_) return 0;
  auto n = inner_->Read(buf, max);
  if (!n.ok()) return n;
  if (*n > 0) {
    calc_.Update(std::string_view(buf, *n));
    return n;
  }
  done_ = true;
  actual_ = calc_.FinishBase64();
  std::string expected = expected_;
  if (expected.empty() && chunked_ == nullptr) return 0;  // computed only
  if (expected.empty()) {
    for (const auto& [name, value] : chunked_->trailers()) {
      if (name == trailer_name_) expected = value;
    }
    if (expected.empty()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       absl::StrCat("The trailer ", trailer_name_, " was declared but not sent"));
    }
  }
  if (expected != actual_) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest,
        absl::StrCat("The ", algorithm_, " you specified did not match the calculated checksum."));
  }
  return 0;
}

}  // namespace sb::gateway
