#include "tests/server/sbctl_sigv4_check.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

namespace sb::sbctl::testing {
namespace {

std::string Hex(const unsigned char* data, size_t len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// The value after "Name=" in the Authorization header's comma-separated list.
std::string AuthField(const std::string& auth, const std::string& name) {
  const size_t pos = auth.find(name + "=");
  if (pos == std::string::npos) return "";
  const size_t start = pos + name.size() + 1;
  return auth.substr(start, auth.find(',', start) - start);
}

std::string CollapseSpaces(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

// The query as sent is sorted by (name, value); encoding is checked by the caller's
// expectations, so only the order is canonicalized here.
std::string SortedQuery(const std::string& query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string& p : Split(query, '&')) {
    const size_t eq = p.find('=');
    params.emplace_back(p.substr(0, eq), eq == std::string::npos ? "" : p.substr(eq + 1));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(k).append("=").append(v);
  }
  return out;
}

}  // namespace

std::string Sha256HexForTest(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  return Hex(digest, len);
}

std::string SignForTest(std::string_view secret_key, std::string_view amz_date,
                        std::string_view scope, std::string_view canonical_request) {
  const std::vector<std::string> parts = Split(scope, '/');  // date/region/service/aws4_request
  if (parts.size() != 4) return "";
  const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" +
                                     std::string(scope) + "\n" +
                                     Sha256HexForTest(canonical_request);
  std::string key = Hmac("AWS4" + std::string(secret_key), parts[0]);
  key = Hmac(key, parts[1]);
  key = Hmac(key, parts[2]);
  key = Hmac(key, parts[3]);
  const std::string sig = Hmac(key, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::string CheckSigV4(const RecordedRequest& req, std::string_view secret_key) {
  const std::optional<std::string> auth = req.Header("authorization");
  if (!auth) return "no Authorization header";
  const std::string prefix = "AWS4-HMAC-SHA256 ";
  if (!auth->starts_with(prefix)) return "Authorization is not AWS4-HMAC-SHA256: " + *auth;
  const std::string credential = AuthField(*auth, "Credential");
  const size_t slash = credential.find('/');
  if (slash == std::string::npos) return "malformed Credential: " + credential;
  const std::string scope = credential.substr(slash + 1);
  const std::string signed_headers = AuthField(*auth, "SignedHeaders");
  const std::string signature = AuthField(*auth, "Signature");
  const std::optional<std::string> amz_date = req.Header("x-amz-date");
  if (!amz_date) return "no x-amz-date header";
  if (!scope.starts_with(amz_date->substr(0, 8) + "/")) return "scope date != x-amz-date";
  const std::optional<std::string> payload_hash = req.Header("x-amz-content-sha256");
  if (!payload_hash) return "no x-amz-content-sha256 header";
  if (*payload_hash != Sha256HexForTest(req.body)) return "x-amz-content-sha256 != sha256(body)";

  std::ostringstream canonical;
  canonical << req.method << '\n' << req.Path() << '\n' << SortedQuery(req.Query()) << '\n';
  for (const std::string& name : Split(signed_headers, ';')) {
    const std::optional<std::string> value = req.Header(name);
    if (!value) return "signed header missing from request: " + name;
    canonical << name << ':' << CollapseSpaces(*value) << '\n';
  }
  canonical << '\n' << signed_headers << '\n' << *payload_hash;
  const std::string expected = SignForTest(secret_key, *amz_date, scope, canonical.str());
  if (expected != signature) return "signature mismatch: got " + signature + " want " + expected;
  return "";
}

}  // namespace sb::sbctl::testing
