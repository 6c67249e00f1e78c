#include "gateway/aws_chunked.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/internal/sigv4_canonical.h"

namespace sb::gateway {
namespace {

constexpr size_t kBufferSize = 16 * 1024;
constexpr size_t kMaxTrailerBytes = 16 * 1024;
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

absl::Status Framing(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kIncompleteBody, message);
}

absl::Status BadSignature(std::string_view message) {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch,
                   message);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

AwsChunkedSource::AwsChunkedSource(BodySource* raw, const SigV4Result& auth)
    : raw_(raw),
      mode_(auth.payload_mode),
      chunks_signed_(auth.payload_mode == PayloadMode::kStreamingSigned ||
                     auth.payload_mode == PayloadMode::kStreamingSignedTrailer),
      signing_key_(auth.signing_key),
      amz_date_(auth.amz_date),
      scope_(auth.scope),
      previous_signature_(auth.seed_signature),
      expected_length_(auth.decoded_content_length),
      buffer_(new char[kBufferSize]) {
  if (mode_ != PayloadMode::kStreamingSigned && mode_ != PayloadMode::kStreamingSignedTrailer &&
      mode_ != PayloadMode::kStreamingUnsignedTrailer) {
    state_ = State::kFailed;
    error_ = absl::FailedPreconditionError("AwsChunkedSource needs a streaming payload mode");
  }
}

absl::Status AwsChunkedSource::Fail(absl::Status status) {
  state_ = State::kFailed;
  error_ = status;
  return status;
}

absl::StatusOr<size_t> AwsChunkedSource::Read(char* buf, size_t max) {
  if (state_ == State::kFailed) return error_;
  if (max == 0) return absl::InvalidArgumentError("Read needs a non-empty buffer");
  absl::StatusOr<size_t> n = Step(buf, max);
  if (!n.ok()) return Fail(n.status());
  return n;
}

// Advances through framing until some payload bytes are produced or the body ends.
absl::StatusOr<size_t> AwsChunkedSource::Step(char* buf, size_t max) {
  while (true) {
    switch (state_) {
      case State::kChunkHeader:
        SB_RETURN_IF_ERROR(ReadLine(&line_));
        SB_RETURN_IF_ERROR(ParseChunkHeader(line_));
        break;
      case State::kChunkData:
        return ReadChunkData(buf, max);
      case State::kChunkEnd:
        SB_RETURN_IF_ERROR(ReadLine(&line_));
        if (!line_.empty()) return Framing("aws-chunked: chunk data is not followed by CRLF");
        state_ = State::kChunkHeader;
        break;
      case State::kTrailers:
        SB_RETURN_IF_ERROR(ReadTrailers());
        state_ = State::kEnd;
        break;
      case State::kEnd:
        SB_RETURN_IF_ERROR(ExpectEndOfInput());
        state_ = State::kDone;
        return 0;
      case State::kDone:
        return 0;
      case State::kFailed:
        return error_;
    }
  }
}

// Reads one CRLF-terminated line (without the CRLF) of at most kMaxLineLength bytes.
absl::Status AwsChunkedSource::ReadLine(std::string* line) {
  line->clear();
  while (true) {
    if (buffer_pos_ == buffer_len_) {
      SB_ASSIGN_OR_RETURN(size_t n, raw_->Read(buffer_.get(), kBufferSize));
      if (n == 0) return Framing("aws-chunked: body ended in the middle of the framing");
      buffer_pos_ = 0;
      buffer_len_ = n;
    }
    const char* begin = buffer_.get() + buffer_pos_;
    size_t avail = buffer_len_ - buffer_pos_;
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', avail));
    size_t take = nl == nullptr ? avail : static_cast<size_t>(nl - begin) + 1;
    if (line->size() + take > kMaxLineLength + 2) {
      return Framing("aws-chunked: framing line too long");
    }
    line->append(begin, take);
    buffer_pos_ += take;
    if (nl == nullptr) continue;
    if (line->size() < 2 || (*line)[line->size() - 2] != '\r') {
      return Framing("aws-chunked: framing line not terminated by CRLF");
    }
    line->resize(line->size() - 2);
    return absl::OkStatus();
  }
}

absl::Status AwsChunkedSource::ParseChunkHeader(std::string_view line) {
  size_t semi = line.find(';');
  std::string_view hex = line.substr(0, semi);
  if (hex.empty() || hex.size() > 16) return Framing("aws-chunked: bad chunk size");
  uint64_t size = 0;
  for (char c : hex) {
    int d = HexDigit(c);
    if (d < 0) return Framing("aws-chunked: bad chunk size");
    size = size << 4 | static_cast<uint64_t>(d);
  }
  if (size > kMaxChunkSize) {
    return Framing(absl::StrCat("aws-chunked: chunk of ", size, " bytes exceeds the limit of ",
                                kMaxChunkSize));
  }
  chunk_signature_.clear();
  bool have_signature = false;
  std::string_view ext = semi == std::string_view::npos ? "" : line.substr(semi + 1);
  while (chunks_signed_ && !ext.empty()) {
    size_t next = ext.find(';');
    std::string_view item = ext.substr(0, next);
    ext = next == std::string_view::npos ? "" : ext.substr(next + 1);
    constexpr std::string_view kKey = "chunk-signature=";
    if (item.substr(0, kKey.size()) != kKey) continue;
    if (have_signature) return Framing("aws-chunked: repeated chunk-signature");
    have_signature = true;
    chunk_signature_ = item.substr(kKey.size());
  }
  if (chunks_signed_ && !have_signature)
    return BadSignature("aws-chunked: missing chunk-signature");
  chunk_remaining_ = size;
  if (size > 0) {
    state_ = State::kChunkData;
    return absl::OkStatus();
  }
  if (chunks_signed_) {
    SB_RETURN_IF_ERROR(VerifyChunkSignature(internal::kEmptySha256Hex));
  }
  state_ = State::kTrailers;
  return absl::OkStatus();
}

absl::StatusOr<size_t> AwsChunkedSource::ReadChunkData(char* buf, size_t max) {
  size_t want = static_cast<size_t>(std::min<uint64_t>(max, chunk_remaining_));
  size_t got = 0;
  if (buffer_pos_ < buffer_len_) {
    got = std::min(want, buffer_len_ - buffer_pos_);
    std::memcpy(buf, buffer_.get() + buffer_pos_, got);
    buffer_pos_ += got;
  } else {
    // Nothing read ahead: let the raw source fill the caller's buffer (no extra copy).
    SB_ASSIGN_OR_RETURN(got, raw_->Read(buf, want));
    if (got == 0) return Framing("aws-chunked: body ended inside a chunk");
    if (got > want) return absl::InternalError("BodySource returned more than asked");
  }
  total_ += got;
  if (expected_length_.has_value() && total_ > *expected_length_) {
    return Framing("aws-chunked: more data than x-amz-decoded-content-length");
  }
  if (chunks_signed_) hasher_.Update(buf, got);
  chunk_remaining_ -= got;
  if (chunk_remaining_ == 0) {
    if (chunks_signed_) {
      SB_RETURN_IF_ERROR(VerifyChunkSignature(internal::HexLower(hasher_.Finish())));
    }
    state_ = State::kChunkEnd;
  }
  return got;
}

absl::Status AwsChunkedSource::VerifyChunkSignature(std::string_view data_hash_hex) {
  std::string string_to_sign =
      absl::StrCat("AWS4-HMAC-SHA256-PAYLOAD\n", amz_date_, "\n", scope_, "\n", previous_signature_,
                   "\n", AsAbsl(internal::kEmptySha256Hex), "\n", AsAbsl(data_hash_hex));
  std::string expected = internal::SignatureHex(signing_key_, string_to_sign);
  if (!internal::ConstantTimeEquals(expected, chunk_signature_)) {
    return BadSignature("The chunk signature we calculated does not match the one provided.");
  }
  previous_signature_ = std::move(expected);
  return absl::OkStatus();
}

absl::Status AwsChunkedSource::ReadTrailers() {
  std::string signature;
  bool have_signature = false;
  size_t bytes = 0;
  while (true) {
    SB_RETURN_IF_ERROR(ReadLine(&line_));
    if (line_.empty()) break;
    bytes += line_.size();
    if (mode_ == PayloadMode::kStreamingSigned) {
      return Framing("aws-chunked: trailers are not allowed without a -TRAILER payload mode");
    }
    size_t colon = line_.find(':');
    std::string name =
        absl::AsciiStrToLower(AsAbsl(TrimSpaces(std::string_view(line_).substr(0, colon))));
    if (colon == std::string::npos || name.empty()) {
      return Framing("aws-chunked: malformed trailer line");
    }
    std::string value;
    internal::AppendCanonicalHeaderValue(std::string_view(line_).substr(colon + 1), &value);
    if (name == kTrailerSignature) {
      if (have_signature) return Framing("aws-chunked: repeated x-amz-trailer-signature");
      have_signature = true;
      signature = std::move(value);
      continue;
    }
    if (trailers_.size() >= kMaxTrailers || bytes > kMaxTrailerBytes) {
      return Framing("aws-chunked: too many trailers");
    }
    trailers_.emplace_back(std::move(name), std::move(value));
  }
  if (mode_ == PayloadMode::kStreamingSignedTrailer) {
    if (!have_signature) return BadSignature("aws-chunked: missing x-amz-trailer-signature");
    // Canonical trailer block: "name:value\n" per trailer, sorted by name (SDKs send them
    // sorted, so this equals the order on the wire for every known client).
    std::vector<const std::pair<std::string, std::string>*> sorted;
    for (const auto& t : trailers_) sorted.push_back(&t);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto* a, const auto* b) { return a->first < b->first; });
    internal::Sha256Hasher hasher;
    for (const auto* t : sorted) {
      hasher.Update(t->first);
      hasher.Update(":");
      hasher.Update(t->second);
      hasher.Update("\n");
    }
    std::string string_to_sign =
        absl::StrCat("AWS4-HMAC-SHA256-TRAILER\n", amz_date_, "\n", scope_, "\n",
                     previous_signature_, "\n", internal::HexLower(hasher.Finish()));
    std::string expected = internal::SignatureHex(signing_key_, string_to_sign);
    if (!internal::ConstantTimeEquals(expected, signature)) {
      return BadSignature("The trailer signature we calculated does not match the one provided.");
    }
  }
  if (expected_length_.has_value() && total_ != *expected_length_) {
    return Framing(absl::StrCat("aws-chunked: decoded ", total_,
                                " bytes but x-amz-decoded-content-length is ", *expected_length_));
  }
  return absl::OkStatus();
}

// The terminating CRLF must be the last byte of the body.
absl::Status AwsChunkedSource::ExpectEndOfInput() {
  if (buffer_pos_ < buffer_len_) return Framing("aws-chunked: data after the final chunk");
  char extra[64];
  SB_ASSIGN_OR_RETURN(size_t n, raw_->Read(extra, sizeof(extra)));
  if (n != 0) return Framing("aws-chunked: data after the final chunk");
  return absl::OkStatus();
}

}  // namespace sb::gateway
