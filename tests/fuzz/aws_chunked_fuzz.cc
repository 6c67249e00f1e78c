// Fuzzes the aws-chunked body decoder (gateway/aws_chunked.h) in its three modes, with the
// raw body arriving in reads of a fuzzed size and the decoded bytes pulled in reads of
// another. Input: one text line "MODE RAW_STEP READ_SIZE [DECODED_LENGTH]" (MODE is
// signed, signed-trailer or unsigned-trailer), then the raw body. The signing key and seed
// signature are those of AWS's sigv4-streaming example, so corpus bodies signed for it
// decode. Properties: the decoder never returns more than it was asked for, never more than
// the declared decoded length, errors are sticky and classified, and a body that decodes
// in one read pattern decodes to the same bytes in another.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/aws_chunked.h"
#include "gateway/payload_verify.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::gateway {
namespace {

class StepSource : public BodySource {
 public:
  StepSource(std::string_view data, size_t step) : data_(data), step_(step) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    size_t n = std::min({max, step_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view data_;
  size_t step_;
  size_t pos_ = 0;
};

// The SigV4Result of AWS's streaming PUT example (seed signature 4f232c43...).
const SigV4Result& ExampleAuth() {
  static const SigV4Result* auth = [] {
    SigV4Request req;
    req.method = "PUT";
    req.raw_path = "/examplebucket/chunkObject.txt";
    req.headers = {
        {"host", "s3.amazonaws.com"},
        {"x-amz-date", "20130524T000000Z"},
        {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
         "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
         "x-amz-decoded-content-length;x-amz-storage-class,Signature="
         "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
        {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
        {"content-encoding", "aws-chunked"},
        {"x-amz-decoded-content-length", "66560"},
        {"content-length", "66824"},
    };
    auto lookup = [](std::string_view) -> absl::StatusOr<std::string> {
      return std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    };
    absl::StatusOr<SigV4Result> r = VerifySigV4(
        req, lookup, absl::FromCivil(absl::CivilSecond(2013, 5, 24, 0, 0, 0), absl::UTCTimeZone()));
    SB_FUZZ_CHECK(r.ok());
    return new SigV4Result(*r);
  }();
  return *auth;
}

struct Outcome {
  absl::Status status;
  std::string data;
  std::vector<std::pair<std::string, std::string>> trailers;
};

Outcome Decode(std::string_view body, const SigV4Result& auth, size_t raw_step, size_t read_size) {
  StepSource raw(body, raw_step);
  AwsChunkedSource src(&raw, auth);
  Outcome out;
  std::string buf(read_size, '\0');
  // Every call consumes at least one raw byte or ends, so this terminates; the bound only
  // guards against a decoder that stops making progress.
  for (size_t calls = 0;; ++calls) {
    SB_FUZZ_CHECK(calls <= body.size() + 2);
    absl::StatusOr<size_t> n = src.Read(buf.data(), buf.size());
    if (!n.ok()) {
      out.status = n.status();
      SB_FUZZ_CHECK(!out.status.ok());
      // Sticky.
      SB_FUZZ_CHECK(src.Read(buf.data(), buf.size()).status() == out.status);
      break;
    }
    SB_FUZZ_CHECK(*n <= read_size);
    if (*n == 0) {
      // A zero read is the end only: it repeats.
      absl::StatusOr<size_t> again = src.Read(buf.data(), buf.size());
      SB_FUZZ_CHECK(again.ok() && *again == 0);
      out.trailers = src.trailers();
      break;
    }
    out.data.append(buf.data(), *n);
    SB_FUZZ_CHECK(out.data.size() <= body.size());
  }
  // After an error decoded_bytes() also counts the withheld tail of the failing chunk.
  SB_FUZZ_CHECK(out.status.ok() ? src.decoded_bytes() == out.data.size()
                                : src.decoded_bytes() >= out.data.size());
  if (auth.decoded_content_length && out.status.ok()) {
    SB_FUZZ_CHECK(out.data.size() == *auth.decoded_content_length);
  }
  if (!out.status.ok()) {
    absl::StatusCode code = out.status.code();
    SB_FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                  code == absl::StatusCode::kPermissionDenied ||
                  code == absl::StatusCode::kFailedPrecondition);
  }
  return out;
}

}  // namespace
}  // namespace sb::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::gateway;
  using sb::AsAbsl;
  using sb::AsStd;
  if (size > 256 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view header = sb::fuzz::NextLine(&in);
  std::vector<std::string_view> f;
  for (absl::string_view part : absl::StrSplit(AsAbsl(header), ' ', absl::SkipEmpty())) {
    f.push_back(AsStd(part));
  }
  if (f.size() < 3) return 0;
  SigV4Result auth = ExampleAuth();
  if (f[0] == "signed") {
    auth.payload_mode = PayloadMode::kStreamingSigned;
  } else if (f[0] == "signed-trailer") {
    auth.payload_mode = PayloadMode::kStreamingSignedTrailer;
  } else if (f[0] == "unsigned-trailer") {
    auth.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
  } else {
    auth.payload_mode = PayloadMode::kSignedHash;  // not a streaming mode: must be refused
  }
  size_t raw_step = 0;
  size_t read_size = 0;
  if (!absl::SimpleAtoi(AsAbsl(f[1]), &raw_step) || !absl::SimpleAtoi(AsAbsl(f[2]), &read_size))
    return 0;
  raw_step = std::clamp<size_t>(raw_step, 1, 1 << 20);
  read_size = std::clamp<size_t>(read_size, 1, 1 << 20);
  auth.decoded_content_length.reset();
  uint64_t declared = 0;
  if (f.size() > 3 && absl::SimpleAtoi(AsAbsl(f[3]), &declared))
    auth.decoded_content_length = declared;

  Outcome a = Decode(in, auth, raw_step, read_size);
  if (sb::fuzz::Verbose()) {
    std::fprintf(stderr, "aws_chunked: %zu bytes, %zu trailers, %s\n", a.data.size(),
                 a.trailers.size(), a.status.ToString().c_str());
  }
  if (auth.payload_mode == PayloadMode::kSignedHash) {
    SB_FUZZ_CHECK(a.status.code() == absl::StatusCode::kFailedPrecondition);
    return 0;
  }
  // The read pattern must not change the outcome of a body that decodes.
  Outcome b = Decode(in, auth, 1 + raw_step % 7, 1 + read_size % 13);
  SB_FUZZ_CHECK(a.status.ok() == b.status.ok());
  if (a.status.ok()) {
    SB_FUZZ_CHECK(a.data == b.data && a.trailers == b.trailers);
    // Trailing checksums are what the server verifies next.
    for (const auto& [name, value] : a.trailers) {
      if (!name.starts_with("x-amz-checksum-")) continue;
      absl::StatusOr<ChecksumCalculator> calc = ChecksumCalculator::Create(name.substr(15));
      if (!calc.ok()) continue;
      calc->Update(a.data);
      (void)(calc->FinishBase64() == value);
    }
  }
  return 0;
}
