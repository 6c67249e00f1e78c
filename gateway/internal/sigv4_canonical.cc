#include "gateway/internal/sigv4_canonical.h"

#include <algorithm>

#include "common/error_reason.h"

namespace sb::gateway::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// A path made only of unreserved bytes and '/' is already canonical: the common case for
// SDK-generated keys, so it is copied without the decode/encode round trip.
bool IsCanonicalPath(std::string_view path) {
  for (unsigned char c : path) {
    if (!IsUnreserved(c) && c != '/') return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

absl::Status Malformed(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kAuthorizationHeaderMalformed,
                   message);
}

}  // namespace

absl::Status PercentDecode(std::string_view in, std::string* out) {
  out->reserve(out->size() + in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '%') {
      out->push_back(c);
      continue;
    }
    int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
    int lo = hi >= 0 ? HexValue(in[i + 2]) : -1;
    if (lo < 0) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "Couldn't parse the specified URI: malformed percent-encoding");
    }
    out->push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  return absl::OkStatus();
}

void AppendUriEncoded(std::string_view in, bool encode_slash, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->reserve(out->size() + in.size());
  for (unsigned char c : in) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    }
  }
}

absl::Status AppendCanonicalUri(std::string_view raw_path, std::string* out) {
  if (raw_path.empty()) {
    out->push_back('/');
    return absl::OkStatus();
  }
  if (IsCanonicalPath(raw_path)) {
    out->append(raw_path);
    return absl::OkStatus();
  }
  std::string decoded;
  if (absl::Status s = PercentDecode(raw_path, &decoded); !s.ok()) return s;
  AppendUriEncoded(decoded, /*encode_slash=*/false, out);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<QueryParam>> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view segment = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (segment.empty()) continue;
    size_t eq = segment.find('=');
    QueryParam& p = params.emplace_back();
    if (absl::Status s = PercentDecode(segment.substr(0, eq), &p.name); !s.ok()) return s;
    if (eq != std::string_view::npos) {
      if (absl::Status s = PercentDecode(segment.substr(eq + 1), &p.value); !s.ok()) return s;
    }
  }
  return params;
}

void AppendCanonicalQuery(const std::vector<QueryParam>& params, std::string_view exclude,
                          std::string* out) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& p : params) {
    if (!exclude.empty() && p.name == exclude) continue;
    auto& e = encoded.emplace_back();
    AppendUriEncoded(p.name, /*encode_slash=*/true, &e.first);
    AppendUriEncoded(p.value, /*encode_slash=*/true, &e.second);
  }
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i > 0) out->push_back('&');
    out->append(encoded[i].first);
    out->push_back('=');
    out->append(encoded[i].second);
  }
}

bool ParseSignedHeaders(std::string_view list, std::vector<std::string_view>* names) {
  names->clear();
  if (list.empty()) return false;
  while (true) {
    size_t semi = list.find(';');
    std::string_view name = list.substr(0, semi);
    if (name.empty()) return false;
    for (char c : name) {
      // Token characters of RFC 9110, lowercase only: a name with uppercase letters cannot
      // match our lowercased header names and the signature would fail less clearly.
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
                c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
      if (!ok) return false;
    }
    names->push_back(name);
    if (semi == std::string_view::npos) return true;
    list.remove_prefix(semi + 1);
  }
}

void AppendCanonicalHeaderValue(std::string_view value, std::string* out) {
  size_t begin = 0;
  size_t end = value.size();
  while (begin < end && IsSpace(value[begin])) ++begin;
  while (end > begin && IsSpace(value[end - 1])) --end;
  bool in_space = false;
  for (size_t i = begin; i < end; ++i) {
    if (IsSpace(value[i])) {
      in_space = true;
      continue;
    }
    if (in_space) out->push_back(' ');
    in_space = false;
    out->push_back(value[i]);
  }
}

void AppendCanonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::vector<std::string_view>& signed_names, std::string* out) {
  for (std::string_view name : signed_names) {
    out->append(name);
    out->push_back(':');
    bool first = true;
    for (const auto& [n, v] : headers) {
      if (n != name) continue;
      if (!first) out->push_back(',');
      first = false;
      AppendCanonicalHeaderValue(v, out);
    }
    out->push_back('\n');
  }
}

bool ParseCredential(std::string_view credential, CredentialScope* out) {
  // Split from the right: the scope has a fixed shape while the key id is opaque.
  std::string_view parts[4];
  std::string_view rest = credential;
  for (int i = 3; i >= 0; --i) {
    size_t slash = rest.rfind('/');
    if (slash == std::string_view::npos) return false;
    parts[i] = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (rest.empty() || parts[3] != "aws4_request" || parts[1].empty() || parts[2].empty()) {
    return false;
  }
  if (parts[0].size() != 8) return false;
  for (char c : parts[0]) {
    if (c < '0' || c > '9') return false;
  }
  *out = CredentialScope{rest, parts[0], parts[1], parts[2]};
  return true;
}

absl::StatusOr<AuthorizationFields> ParseAuthorizationParams(std::string_view params) {
  AuthorizationFields fields;
  bool seen[3] = {false, false, false};
  while (!params.empty()) {
    size_t sep = params.find_first_of(", ");
    std::string_view token = params.substr(0, sep);
    params = sep == std::string_view::npos ? std::string_view() : params.substr(sep + 1);
    if (token.empty()) continue;
    size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq + 1 == token.size()) {
      return Malformed("The authorization header is malformed; expected Key=Value components");
    }
    std::string_view key = token.substr(0, eq);
    std::string_view value = token.substr(eq + 1);
    int index = key == "Credential" ? 0 : key == "SignedHeaders" ? 1 : key == "Signature" ? 2 : -1;
    if (index < 0 || seen[index]) {
      return Malformed("The authorization header is malformed; unexpected or repeated component");
    }
    seen[index] = true;
    (index == 0   ? fields.credential
     : index == 1 ? fields.signed_headers
                  : fields.signature) = value;
  }
  if (!seen[0] || !seen[1] || !seen[2]) {
    return Malformed(
        "The authorization header is malformed; Credential, SignedHeaders and Signature are "
        "required");
  }
  return fields;
}

}  // namespace sb::gateway::internal
