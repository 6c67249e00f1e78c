#include "gateway/post_form.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::gateway {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// RFC 2046 section 5.1.1: a boundary is 1 to 70 characters.
constexpr size_t kMaxBoundary = 70;
// Whitespace allowed between a delimiter and its CRLF ("transport padding").
constexpr size_t kMaxPadding = 64;

absl::Status Malformed(std::string_view detail = {}) {
  std::string message = "The body of your POST request is not well-formed multipart/form-data.";
  if (!detail.empty()) {
    message += " ";
    message += detail;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPostRequest, message);
}

absl::Status TooLarge() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMaxPostPreDataLengthExceeded,
                   "Your POST request fields preceding the upload file were too large.");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits `s` at the first unquoted `sep`: returns the part before it and leaves the rest
// (after `sep`) in `s`.
std::string_view NextToken(std::string_view& s, char sep) {
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (quoted && s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && s[i] == sep) {
      std::string_view token = s.substr(0, i);
      s.remove_prefix(i + 1);
      return token;
    }
  }
  std::string_view token = s;
  s = {};
  return token;
}

// A parameter value: a quoted-string (backslash escapes removed) or a token.
std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  v = v.substr(1, v.size() - 2);
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

}  // namespace

const std::string* PostForm::Field(std::string_view name) const {
  for (const auto& [n, v] : fields) {
    if (n == name) return &v;
  }
  return nullptr;
}

absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  std::string_view rest = content_type;
  std::string_view type = Trim(NextToken(rest, ';'));
  if (!absl::EqualsIgnoreCase(AsAbsl(type), "multipart/form-data")) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPostRequest,
                     "Bucket POST must be of the enclosure-type multipart/form-data");
  }
  while (!rest.empty()) {
    std::string_view param = NextToken(rest, ';');
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!absl::EqualsIgnoreCase(AsAbsl(Trim(param.substr(0, eq))), "boundary")) continue;
    std::string boundary = Unquote(param.substr(eq + 1));
    if (boundary.empty() || boundary.size() > kMaxBoundary) break;
    return boundary;
  }
  return Malformed("The multipart/form-data boundary is missing or invalid.");
}

MultipartFormSource::MultipartFormSource(BodySource* body, std::string boundary,
                                         size_t max_field_bytes)
    : body_(body), delimiter_("\r\n--" + boundary), max_field_bytes_(max_field_bytes) {
  // The first delimiter may open the body without a preceding CRLF (RFC 2046: the CRLF
  // belongs to the delimiter, and a body without a preamble starts with "--boundary").
  buf_ = "\r\n";
}

absl::StatusOr<bool> MultipartFormSource::Fill() {
  if (body_done_) return false;
  // Read into a fixed chunk and append what came: growing buf_ by a whole chunk per read
  // would zero 64 KiB for every byte a slow client trickles in.
  if (chunk_ == nullptr) chunk_ = std::make_unique<char[]>(kReadChunk);
  SB_ASSIGN_OR_RETURN(size_t n, body_->Read(chunk_.get(), kReadChunk));
  if (n == 0) {
    body_done_ = true;
    return false;
  }
  buf_.append(chunk_.get(), n);
  return true;
}

void MultipartFormSource::Compact() {
  if (pos_ == 0) return;
  buf_.erase(0, pos_);
  pos_ = 0;
}

absl::StatusOr<bool> MultipartFormSource::Need(size_t n) {
  while (buf_.size() - pos_ < n) {
    Compact();
    SB_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return false;
  }
  return true;
}

absl::Status MultipartFormSource::ReadToDelimiter(std::string* out, size_t limit) {
  size_t kept = 0;
  auto keep = [&](size_t from, size_t to) -> absl::Status {
    if (to <= from) return absl::OkStatus();
    kept += to - from;
    if (kept > limit) return TooLarge();
    if (out != nullptr) out->append(buf_, from, to - from);
    return absl::OkStatus();
  };
  for (;;) {
    const size_t found = std::string_view(buf_).find(delimiter_, pos_);
    if (found != std::string_view::npos) {
      SB_RETURN_IF_ERROR(keep(pos_, found));
      pos_ = found + delimiter_.size();
      return absl::OkStatus();
    }
    // Everything but a possible delimiter prefix at the end is content.
    if (buf_.size() >= delimiter_.size()) {
      const size_t safe = buf_.size() - (delimiter_.size() - 1);
      if (safe > pos_) {
        SB_RETURN_IF_ERROR(keep(pos_, safe));
        pos_ = safe;
      }
    }
    Compact();
    SB_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return Malformed("The closing boundary is missing.");
  }
}

absl::StatusOr<bool> MultipartFormSource::ReadDelimiterTail() {
  SB_ASSIGN_OR_RETURN(bool have, Need(2));
  if (!have) return Malformed("The closing boundary is missing.");
  if (buf_.compare(pos_, 2, "--") == 0) {
    pos_ += 2;
    return true;
  }
  for (size_t i = 0; i <= kMaxPadding; ++i) {
    SB_ASSIGN_OR_RETURN(have, Need(2));
    if (!have) return Malformed("The closing boundary is missing.");
    if (buf_[pos_] != ' ' && buf_[pos_] != '\t') break;
    ++pos_;
  }
  if (buf_.compare(pos_, 2, "\r\n") != 0) return Malformed("A boundary is not followed by CRLF.");
  pos_ += 2;
  return false;
}

absl::Status MultipartFormSource::ReadPartHead(size_t* budget, std::string* name,
                                               std::string* filename, bool* has_filename,
                                               std::string* type) {
  bool disposition = false;
  for (;;) {
    size_t eol = std::string_view(buf_).find("\r\n", pos_);
    while (eol == std::string_view::npos) {
      if (buf_.size() - pos_ > *budget) return TooLarge();
      const size_t scanned = buf_.size() - pos_;
      Compact();
      SB_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) return Malformed("A part's header block is incomplete.");
      eol = std::string_view(buf_).find("\r\n", pos_ + (scanned > 0 ? scanned - 1 : 0));
    }
    const size_t length = eol - pos_ + 2;
    if (length > *budget) return TooLarge();
    *budget -= length;
    std::string_view line(buf_.data() + pos_, eol - pos_);
    pos_ = eol + 2;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("A part header has no colon.");
    std::string_view header = Trim(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    if (absl::EqualsIgnoreCase(AsAbsl(header), "content-type")) {
      *type = std::string(Trim(value));
      continue;
    }
    if (!absl::EqualsIgnoreCase(AsAbsl(header), "content-disposition")) continue;
    std::string_view kind = Trim(NextToken(value, ';'));
    if (!absl::EqualsIgnoreCase(AsAbsl(kind), "form-data")) {
      return Malformed("A part is not form-data.");
    }
    disposition = true;
    while (!value.empty()) {
      std::string_view param = NextToken(value, ';');
      const size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view pname = Trim(param.substr(0, eq));
      if (absl::EqualsIgnoreCase(AsAbsl(pname), "name")) {
        *name = Unquote(param.substr(eq + 1));
      } else if (absl::EqualsIgnoreCase(AsAbsl(pname), "filename")) {
        *filename = Unquote(param.substr(eq + 1));
        *has_filename = true;
      }
    }
  }
  if (!disposition || name->empty()) return Malformed("A part has no form-data name.");
  return absl::OkStatus();
}

absl::StatusOr<PostForm> MultipartFormSource::ReadFields() {
  if (in_file_ || file_done_) return absl::FailedPreconditionError("ReadFields called twice");
  PostForm form;
  size_t budget = max_field_bytes_;
  // The preamble before the first delimiter is ignored (RFC 2046) but counts as pre-data.
  SB_RETURN_IF_ERROR(ReadToDelimiter(nullptr, budget));
  for (;;) {
    SB_ASSIGN_OR_RETURN(bool closing, ReadDelimiterTail());
    if (closing) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "POST requires exactly one file upload per request.");
    }
    std::string name;
    std::string filename;
    std::string type;
    bool has_filename = false;
    SB_RETURN_IF_ERROR(ReadPartHead(&budget, &name, &filename, &has_filename, &type));
    name = absl::AsciiStrToLower(name);
    if (name == "file") {
      form.filename = std::move(filename);
      form.file_content_type = std::move(type);
      in_file_ = true;
      return form;
    }
    std::string value;
    SB_RETURN_IF_ERROR(ReadToDelimiter(&value, budget));
    budget -= value.size();
    form.fields.emplace_back(std::move(name), std::move(value));
  }
}

absl::Status MultipartFormSource::DrainRest() {
  // Fields after the file are ignored (AWS); the body is read to its end so the
  // connection stays usable, but not without bound (a file's size is bounded, so is this).
  uint64_t drained = buf_.size() - pos_;
  pos_ = buf_.size();
  Compact();
  for (;;) {
    if (drained > kMaxPostBytesAfterFile) {
      return Malformed("Too much data follows the file.");
    }
    SB_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return absl::OkStatus();
    drained += buf_.size() - pos_;
    pos_ = buf_.size();
    Compact();
  }
}

absl::StatusOr<size_t> MultipartFormSource::Read(char* out, size_t max) {
  if (!in_file_) return absl::FailedPreconditionError("the form fields were not read");
  if (file_done_ || max == 0) return size_t{0};
  for (;;) {
    const size_t found = std::string_view(buf_).find(delimiter_, pos_);
    size_t end = found;
    if (found == std::string_view::npos) {
      end = buf_.size() >= delimiter_.size() ? buf_.size() - (delimiter_.size() - 1) : 0;
    }
    if (end > pos_) {
      const size_t n = std::min(max, end - pos_);
      std::memcpy(out, buf_.data() + pos_, n);
      pos_ += n;
      file_bytes_ += n;
      return n;
    }
    if (found != std::string_view::npos) {
      pos_ = found + delimiter_.size();
      file_done_ = true;
      SB_RETURN_IF_ERROR(DrainRest());
      return size_t{0};
    }
    Compact();
    SB_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return Malformed("The file's closing boundary is missing.");
  }
}

}  // namespace sb::gateway
