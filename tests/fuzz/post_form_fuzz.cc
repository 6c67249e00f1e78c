// Fuzzes the POST Object parsers: the multipart/form-data reader (gateway/post_form.h) and
// the POST policy (gateway/post_policy.h). Input: one text line "RAW_STEP READ_SIZE", then a
// multipart body delimited by the boundary "fuzzB". The body is read twice, once in reads of
// the fuzzed sizes and once a byte at a time; properties: no read returns more than asked,
// the fields stay within the 20 KiB bound, errors are InvalidArgument with a reason, and both
// read patterns succeed or fail alike, with the same fields and file bytes. A `policy` field is
// then parsed (as base64, and the raw field base64-encoded as JSON), checked against the form, and
// its signature verified with a fixed secret.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/post_form.h"
#include "gateway/post_policy.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::gateway {
namespace {

constexpr char kBoundary[] = "fuzzB";

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

struct Outcome {
  absl::Status status;
  PostForm form;
  std::string file;
};

void CheckError(const absl::Status& s) {
  SB_FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  SB_FUZZ_CHECK(GetReason(s) != ErrorReason::kNone);
}

Outcome Parse(std::string_view body, size_t raw_step, size_t read_size) {
  StepSource raw(body, raw_step);
  MultipartFormSource src(&raw, kBoundary);
  Outcome out;
  absl::StatusOr<PostForm> form = src.ReadFields();
  if (!form.ok()) {
    out.status = form.status();
    CheckError(out.status);
    return out;
  }
  out.form = *std::move(form);
  size_t field_bytes = 0;
  for (const auto& [name, value] : out.form.fields) field_bytes += name.size() + value.size();
  SB_FUZZ_CHECK(field_bytes <= kMaxPostFieldBytes);
  std::string buf(read_size, '\0');
  for (size_t calls = 0;; ++calls) {
    SB_FUZZ_CHECK(calls <= body.size() + 2);
    absl::StatusOr<size_t> n = src.Read(buf.data(), buf.size());
    if (!n.ok()) {
      out.status = n.status();
      CheckError(out.status);
      break;
    }
    SB_FUZZ_CHECK(*n <= read_size);
    if (*n == 0) break;
    out.file.append(buf.data(), *n);
  }
  SB_FUZZ_CHECK(out.file.size() <= body.size());
  SB_FUZZ_CHECK(src.file_bytes() == out.file.size());
  return out;
}

absl::StatusOr<std::string> Lookup(std::string_view access_key) {
  if (access_key == "AKIAIOSFODNN7EXAMPLE") {
    return std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  }
  return absl::NotFoundError("no such key");
}

void CheckPolicy(const PostForm& form) {
  const std::string* policy = form.Field("policy");
  if (policy == nullptr) return;
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2020, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  for (const std::string& encoded :
       {*policy, absl::Base64Escape(absl::string_view(policy->data(), policy->size()))}) {
    absl::StatusOr<PostPolicy> parsed = ParsePostPolicy(encoded);
    if (!parsed.ok()) {
      SB_FUZZ_CHECK(GetReason(parsed.status()) == ErrorReason::kInvalidPolicyDocument);
      continue;
    }
    absl::Status checked = CheckPostPolicy(*parsed, form, "bucket", now);
    SB_FUZZ_CHECK(checked.ok() || GetReason(checked) == ErrorReason::kAccessDenied);
    if (parsed->length_range.has_value()) {
      SB_FUZZ_CHECK(parsed->length_range->min <= parsed->length_range->max);
      SB_FUZZ_CHECK(CheckPostContentLength(*parsed, parsed->length_range->min).ok());
    }
  }
  absl::StatusOr<PostSignature> sig = VerifyPostSignature(form, Lookup);
  SB_FUZZ_CHECK(sig.ok() || GetReason(sig.status()) != ErrorReason::kNone);
  (void)PostObjectKey(form);
}

}  // namespace
}  // namespace sb::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::gateway;  // NOLINT(google-build-using-namespace): fuzz entry point
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  if (eol == std::string_view::npos || size > 256 * 1024) return 0;
  std::string_view header = input.substr(0, eol);
  std::string_view body = input.substr(eol + 1);
  const size_t space = header.find(' ');
  uint32_t raw_step = 0;
  uint32_t read_size = 0;
  if (space == std::string_view::npos ||
      !absl::SimpleAtoi(sb::AsAbsl(header.substr(0, space)), &raw_step) ||
      !absl::SimpleAtoi(sb::AsAbsl(header.substr(space + 1)), &read_size)) {
    return 0;
  }
  raw_step = std::clamp<uint32_t>(raw_step, 1, 1 << 20);
  read_size = std::clamp<uint32_t>(read_size, 1, 1 << 20);
  Outcome a = Parse(body, raw_step, read_size);
  Outcome b = Parse(body, 1, 1);
  SB_FUZZ_CHECK(a.status.ok() == b.status.ok());
  SB_FUZZ_CHECK(a.form.fields == b.form.fields);
  SB_FUZZ_CHECK(a.file == b.file);
  if (sb::fuzz::Verbose()) {
    std::fprintf(stderr, "fields=%zu file=%zu status=%s\n", a.form.fields.size(), a.file.size(),
                 a.status.ToString().c_str());
  }
  CheckPolicy(a.form);
  return 0;
}
