// AwsChunkedSource decodes an S3 "aws-chunked" request body (Content-Encoding: aws-chunked),
// verifying the chained chunk signatures and the trailer signature when the payload mode asks
// for them, with bounded memory. Not thread-safe (one request, one reader).
// References: AWS S3 API "sigv4-streaming" and "sigv4-streaming-trailers".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/body_source.h"
#include "gateway/internal/sigv4_crypto.h"
#include "gateway/sigv4.h"

namespace sb::gateway {

// Wire format: "<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n" ... final
// "0[;chunk-signature=<sig>]\r\n", then trailer lines "name:value\r\n" (and in the signed
// trailer mode "x-amz-trailer-signature:<sig>\r\n"), then "\r\n".
//
// A chunk's bytes are handed to the caller as they arrive and hashed on the way; the chunk's
// signature is checked before its last bytes are returned, so a forged chunk is reported at
// the latest by the Read() that would complete it. Earlier bytes of that chunk have been
// returned already: callers must only commit the body once Read() returned 0.
class AwsChunkedSource : public BodySource {
 public:
  // Largest accepted chunk. AWS documents no maximum (SDKs send 64 KiB to 8 MiB chunks); a
  // chunk is never buffered, so this only bounds obviously bogus sizes.
  static constexpr uint64_t kMaxChunkSize = uint64_t{64} << 20;
  // Bounds on a chunk-size line, on one trailer line and on the trailer count.
  static constexpr size_t kMaxLineLength = 4096;
  static constexpr size_t kMaxTrailers = 32;

  // `raw` must outlive this object. `auth.payload_mode` selects the rules: kStreamingSigned
  // (chunk signatures, no trailers), kStreamingSignedTrailer (chunk and trailer signatures),
  // kStreamingUnsignedTrailer (no signatures; chunk extensions are ignored). Any other mode
  // makes Read() fail with FailedPrecondition. `auth.decoded_content_length`, when set, must
  // equal the decoded size.
  AwsChunkedSource(BodySource* raw, const SigV4Result& auth);

  // Reads decoded payload bytes. Errors: InvalidArgument(kIncompleteBody) for bad framing, a
  // chunk larger than kMaxChunkSize, early end of input, trailing garbage, a decoded length
  // that differs from x-amz-decoded-content-length, or unexpected trailers;
  // PermissionDenied(kSignatureDoesNotMatch) for a bad or missing chunk or trailer signature;
  // errors of `raw` as is. After an error every call returns the same error.
  absl::StatusOr<size_t> Read(char* buf, size_t max) override;

  // Trailers after the final chunk (names lowercased, values trimmed, in arrival order, without
  // x-amz-trailer-signature). Complete once Read() returned 0.
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }

  // Decoded bytes returned so far.
  uint64_t decoded_bytes() const { return total_; }

 private:
  enum class State { kChunkHeader, kChunkData, kChunkEnd, kTrailers, kEnd, kDone, kFailed };

  absl::StatusOr<size_t> Step(char* buf, size_t max);
  absl::Status Fail(absl::Status status);
  absl::Status ReadLine(std::string* line);
  absl::StatusOr<size_t> ReadChunkData(char* buf, size_t max);
  absl::Status ParseChunkHeader(std::string_view line);
  absl::Status VerifyChunkSignature(std::string_view data_hash_hex);
  absl::Status ReadTrailers();
  absl::Status ExpectEndOfInput();

  BodySource* raw_;
  PayloadMode mode_;
  bool chunks_signed_;
  std::string signing_key_;
  std::string amz_date_;
  std::string scope_;
  std::string previous_signature_;
  std::optional<uint64_t> expected_length_;

  State state_ = State::kChunkHeader;
  absl::Status error_;
  internal::Sha256Hasher hasher_;
  std::unique_ptr<char[]> buffer_;  // read-ahead from raw_, kBufferSize bytes
  size_t buffer_pos_ = 0;
  size_t buffer_len_ = 0;
  uint64_t chunk_remaining_ = 0;
  std::string chunk_signature_;
  std::string line_;
  uint64_t total_ = 0;
  std::vector<std::pair<std::string, std::string>> trailers_;
};

}  // namespace sb::gateway
