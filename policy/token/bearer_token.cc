#include "policy/token/bearer_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"

namespace sb::policy::token {
namespace {

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
// Domain separation: the token key is not the SigV4 key material itself.
constexpr std::string_view kKeyLabel = "strongbox bearer token v1";

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &len) == nullptr) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Signature(std::string_view signing_input, std::string_view secret_key) {
  const std::string key = HmacSha256(secret_key, kKeyLabel);
  return absl::WebSafeBase64Escape(AsAbsl(HmacSha256(key, signing_input)));
}

absl::Status Malformed(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("malformed bearer token: ", AsAbsl(why)));
}

}  // namespace

std::string Issue(const Claims& claims, std::string_view secret_key) {
  boost::json::object body;
  body["aud"] = claims.audience;
  body["exp"] = claims.expires_at;
  body["iat"] = claims.issued_at;
  body["sub"] = claims.access_key;
  const std::string input = absl::StrCat(absl::WebSafeBase64Escape(AsAbsl(kHeader)), ".",
                                         absl::WebSafeBase64Escape(boost::json::serialize(body)));
  return absl::StrCat(input, ".", Signature(input, secret_key));
}

absl::StatusOr<Claims> Decode(std::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(AsAbsl(token), '.');
  if (parts.size() != 3) return Malformed("expected three dot-separated parts");
  std::string header;
  std::string body;
  if (!absl::WebSafeBase64Unescape(parts[0], &header) ||
      !absl::WebSafeBase64Unescape(parts[1], &body)) {
    return Malformed("not base64url");
  }
  boost::system::error_code ec;
  boost::json::value h = boost::json::parse(header, ec);
  if (ec || !h.is_object()) return Malformed("header is not a JSON object");
  const boost::json::value* alg = h.as_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "HS256") {
    return Malformed("only HS256 is accepted");
  }
  boost::json::value c = boost::json::parse(body, ec);
  if (ec || !c.is_object()) return Malformed("claims are not a JSON object");
  const boost::json::object& o = c.as_object();
  const boost::json::value* sub = o.if_contains("sub");
  const boost::json::value* aud = o.if_contains("aud");
  const boost::json::value* exp = o.if_contains("exp");
  const boost::json::value* iat = o.if_contains("iat");
  if (sub == nullptr || !sub->is_string() || aud == nullptr || !aud->is_string() ||
      exp == nullptr || !exp->is_int64()) {
    return Malformed("claims need sub, aud and exp");
  }
  Claims out;
  out.access_key = std::string(sub->as_string());
  out.audience = std::string(aud->as_string());
  out.expires_at = exp->as_int64();
  if (iat != nullptr && iat->is_int64()) out.issued_at = iat->as_int64();
  return out;
}

absl::StatusOr<Claims> Verify(std::string_view token, std::string_view secret_key,
                              std::string_view audience, absl::Time now) {
  absl::StatusOr<Claims> claims = Decode(token);
  if (!claims.ok()) return claims.status();
  const size_t dot = token.rfind('.');
  const std::string want = Signature(token.substr(0, dot), secret_key);
  const std::string_view got = token.substr(dot + 1);
  if (want.empty() || got.size() != want.size() ||
      CRYPTO_memcmp(got.data(), want.data(), want.size()) != 0) {
    return absl::PermissionDeniedError("bearer token signature does not match");
  }
  if (claims->audience != audience) {
    return absl::PermissionDeniedError("bearer token is for another audience");
  }
  if (absl::FromUnixSeconds(claims->expires_at) <= now) {
    return absl::PermissionDeniedError("bearer token has expired");
  }
  return claims;
}

}  // namespace sb::policy::token
