#include "gateway/s3_request.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"

namespace sb::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::Status BadUri(std::string_view what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   absl::StrCat("could not decode ", std::string(what)));
}

}  // namespace

bool PercentDecode(std::string_view s, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

const std::string* S3Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string S3Request::Resource() const {
  if (bucket.empty()) return "/";
  if (key.empty()) return absl::StrCat("/", bucket);
  return absl::StrCat("/", bucket, "/", key);
}

std::string VirtualHostBucket(std::string_view host, const std::vector<std::string>& domains) {
  if (domains.empty()) return "";
  // Strip the port; an IPv6 literal ("[::1]:80") never names a bucket.
  if (host.starts_with("[")) return "";
  host = host.substr(0, host.find(':'));
  std::string lower = absl::AsciiStrToLower(AsAbsl(host));
  if (!lower.empty() && lower.back() == '.') lower.pop_back();  // fully qualified
  for (const auto& domain : domains) {
    if (lower.size() > domain.size() + 1 && lower.ends_with(domain) &&
        lower[lower.size() - domain.size() - 1] == '.') {
      return lower.substr(0, lower.size() - domain.size() - 1);
    }
  }
  return "";
}

absl::StatusOr<S3Request> ParseS3Request(const HttpRequestHead& head, std::string request_id,
                                         const std::vector<std::string>& domains) {
  S3Request req;
  req.http = &head;
  req.request_id = std::move(request_id);
  std::string_view target = head.target;
  size_t q = target.find('?');
  req.raw_path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.raw_query = std::string(target.substr(q + 1));
  if (req.raw_path.empty() || req.raw_path[0] != '/') return BadUri("request path");

  std::string_view query = req.raw_query;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name, value;
    // A raw '+' stays '+': SigV4 canonicalizes it as a literal plus, so decoding it as a
    // space would serve a different value than the one signed (SDKs send %2B or %20).
    if (!PercentDecode(part.substr(0, eq), false, &name)) return BadUri("query");
    if (eq != std::string_view::npos && !PercentDecode(part.substr(eq + 1), false, &value)) {
      return BadUri("query");
    }
    req.query.emplace_back(std::move(name), std::move(value));
  }

  bool internal = req.raw_path.starts_with("/_strongbox/");
  const std::string* host = head.Header("host");
  std::string virtual_bucket = host != nullptr ? VirtualHostBucket(*host, domains) : "";
  std::string path;
  if (!internal && !PercentDecode(req.raw_path, false, &path)) return BadUri("path");
  if (!internal && !virtual_bucket.empty()) {
    req.bucket = std::move(virtual_bucket);
    req.key = path.substr(1);
  } else if (!internal) {
    std::string_view rest = std::string_view(path).substr(1);
    size_t slash = rest.find('/');
    req.bucket = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) req.key = std::string(rest.substr(slash + 1));
    // "//key": an empty bucket segment must not fall through to the service (ListBuckets).
    if (req.bucket.empty() && slash != std::string_view::npos) return BadUri("path");
  }
  RouteInput in;
  in.method = head.method;
  in.raw_path = req.raw_path;
  in.has_bucket = !req.bucket.empty();
  in.has_key = !req.key.empty();
  in.query = &req.query;
  in.has_copy_source = head.Header("x-amz-copy-source") != nullptr;
  req.op = Route(in);
  return req;
}

}  // namespace sb::gateway
