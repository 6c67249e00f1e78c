// Streaming multipart/form-data reader for S3 POST Object (browser uploads). The form fields
// before the `file` part are read into memory (bounded); the file's content is then streamed
// through Read() as the object body and ends at its closing delimiter, so it is never held
// whole. Fields after the file are read and discarded, as AWS ignores them. Pure code over a
// BodySource (no HTTP library). Not thread-safe (one request).
// References: RFC 7578 (multipart/form-data), RFC 2046 section 5.1.1 (delimiters);
// AWS S3 API "POST Object" and "Browser-based uploads using POST".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/body_source.h"

namespace sb::gateway {

// AWS refuses more than 20 KiB of form data before the file ("MaxPostPreDataLengthExceeded").
inline constexpr size_t kMaxPostFieldBytes = 20 * 1024;
// What may follow the file (ignored fields, the closing delimiter) before the body is refused.
inline constexpr uint64_t kMaxPostBytesAfterFile = 1024 * 1024;

// The fields of a POST upload, in the order sent. Names are lowercased (AWS matches them
// case-insensitively); values are as sent.
struct PostForm {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string filename;           // the file part's filename parameter (may be empty)
  std::string file_content_type;  // the file part's own Content-Type header, if any

  // The first value of `name` (lowercase), or nullptr.
  const std::string* Field(std::string_view name) const;
};

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or
// not). InvalidArgument(kMalformedPostRequest) if the type is another or the boundary is
// missing, empty or longer than RFC 2046's 70 characters.
absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type);

class MultipartFormSource final : public BodySource {
 public:
  // Reads `body` (not owned; must outlive this) delimited by `boundary`.
  MultipartFormSource(BodySource* body, std::string boundary,
                      size_t max_field_bytes = kMaxPostFieldBytes);

  // Reads every part up to and including the head of the `file` part; call once, first.
  // Errors: InvalidArgument(kMalformedPostRequest) for a body that is not well-formed
  // multipart/form-data (bad delimiter, part without a form-data name, end of body before
  // the closing delimiter); InvalidArgument(kMaxPostPreDataLengthExceeded) past
  // `max_field_bytes` of fields; InvalidArgument(kInvalidArgument) if there is no `file`
  // part; the body's own errors unchanged.
  absl::StatusOr<PostForm> ReadFields();

  // The file's content; 0 once its closing delimiter is reached (the rest of the body is
  // then drained). MalformedPostRequest if the body ends before that delimiter or more than
  // kMaxPostBytesAfterFile follow it.
  absl::StatusOr<size_t> Read(char* buf, size_t max) override;

  // Bytes of file content returned so far.
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  // Appends up to one read of the body to buf_; returns false at the end of the body.
  absl::StatusOr<bool> Fill();
  // Ensures buf_ holds at least `n` unconsumed bytes; false if the body ended first.
  absl::StatusOr<bool> Need(size_t n);
  // Reads until the next delimiter, appending the bytes before it to `out` (nullptr: drop
  // them) with at most `limit` bytes kept. Leaves pos_ just after the delimiter.
  absl::Status ReadToDelimiter(std::string* out, size_t limit);
  // After a delimiter: true for the closing "--", false for a CRLF that starts a part.
  absl::StatusOr<bool> ReadDelimiterTail();
  // Reads a part's header block (up to the empty line) into `name`/`filename`/`type`.
  absl::Status ReadPartHead(size_t* budget, std::string* name, std::string* filename,
                            bool* has_filename, std::string* type);
  void Compact();
  // Drains the body after the file part.
  absl::Status DrainRest();

  BodySource* body_;
  std::string delimiter_;  // "\r\n--" + boundary
  size_t max_field_bytes_;
  std::unique_ptr<char[]> chunk_;  // one body read
  std::string buf_;
  size_t pos_ = 0;  // first unconsumed byte of buf_
  bool body_done_ = false;
  bool in_file_ = false;
  bool file_done_ = false;
  uint64_t file_bytes_ = 0;
};

}  // namespace sb::gateway
