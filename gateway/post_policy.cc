#include "gateway/post_policy.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/internal/sigv4_crypto.h"

namespace sb::gateway {
namespace {

// A policy is part of the fields AWS caps at 20 KiB before the file.
constexpr size_t kMaxPolicyBytes = kMaxPostFieldBytes;

absl::Status InvalidPolicy(std::string_view detail) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPolicyDocument,
                   absl::StrCat("Invalid Policy: ", AsAbsl(detail)));
}

absl::Status Denied(std::string_view detail) {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                   absl::StrCat("Invalid according to Policy: ", AsAbsl(detail)));
}

absl::Status InvalidArgument(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// "2007-12-01T12:00:00.000Z" (fractional seconds optional).
bool ParseExpiration(std::string_view s, absl::Time* out) {
  std::string err;
  return absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", AsAbsl(s), absl::UTCTimeZone(), out, &err);
}

// A JSON number or a string of decimal digits (some SDKs quote the bounds).
bool AsInt64(const boost::json::value& v, int64_t* out) {
  if (v.is_int64()) {
    *out = v.as_int64();
    return true;
  }
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v.as_uint64());
    return true;
  }
  if (v.is_string()) return absl::SimpleAtoi(AsAbsl(std::string_view(v.as_string())), out);
  return false;
}

// "$Key" -> "key"; false unless the name starts with '$'.
bool FieldName(const boost::json::value& v, std::string* out) {
  if (!v.is_string()) return false;
  std::string_view s = v.as_string();
  if (s.size() < 2 || s[0] != '$') return false;
  *out = absl::AsciiStrToLower(AsAbsl(s.substr(1)));
  return true;
}

absl::Status ParseCondition(const boost::json::value& c, PostPolicy& policy) {
  const std::string text = boost::json::serialize(c);
  if (c.is_object()) {
    if (c.as_object().empty()) return InvalidPolicy(absl::StrCat("Invalid Condition: ", text));
    for (const auto& [k, v] : c.as_object()) {
      if (!v.is_string()) return InvalidPolicy(absl::StrCat("Invalid Simple-Condition: ", text));
      PostPolicyCondition cond;
      cond.kind = PostPolicyCondition::Kind::kEq;
      cond.field = absl::AsciiStrToLower(AsAbsl(std::string_view(k)));
      cond.value = std::string(v.as_string());
      cond.text = text;
      policy.conditions.push_back(std::move(cond));
    }
    return absl::OkStatus();
  }
  if (!c.is_array() || c.as_array().size() != 3 || !c.as_array()[0].is_string()) {
    return InvalidPolicy(absl::StrCat("Invalid Condition: ", text));
  }
  const boost::json::array& a = c.as_array();
  const std::string op = absl::AsciiStrToLower(AsAbsl(std::string_view(a[0].as_string())));
  PostPolicyCondition cond;
  cond.text = text;
  if (op == "content-length-range") {
    cond.kind = PostPolicyCondition::Kind::kContentLengthRange;
    cond.field = "content-length";
    if (!AsInt64(a[1], &cond.min) || !AsInt64(a[2], &cond.max) || cond.min < 0 ||
        cond.max < cond.min) {
      return InvalidPolicy(absl::StrCat("Invalid content-length-range: ", text));
    }
    policy.length_range = cond;
    return absl::OkStatus();
  }
  if (op == "eq") {
    cond.kind = PostPolicyCondition::Kind::kEq;
  } else if (op == "starts-with") {
    cond.kind = PostPolicyCondition::Kind::kStartsWith;
  } else {
    return InvalidPolicy(absl::StrCat("Invalid Condition: ", text));
  }
  if (!FieldName(a[1], &cond.field) || !a[2].is_string()) {
    return InvalidPolicy(absl::StrCat("Invalid Condition: ", text));
  }
  cond.value = std::string(a[2].as_string());
  policy.conditions.push_back(std::move(cond));
  return absl::OkStatus();
}

// Fields the policy need not mention (AWS "Creating a POST policy": the signature fields,
// the policy itself, the file, and x-ignore-*). An x-amz-checksum-* field can only make the
// upload fail (it is verified over the file), so it needs no condition either.
bool Exempt(std::string_view name) {
  return name == "file" || name == "policy" || name == "signature" || name == "x-amz-signature" ||
         name == "awsaccesskeyid" || name.starts_with("x-ignore-") ||
         name.starts_with("x-amz-checksum-");
}

bool Meets(const PostPolicyCondition& cond, std::string_view value) {
  if (cond.kind == PostPolicyCondition::Kind::kEq) return value == cond.value;
  if (cond.field == "content-type") {
    // AWS: a Content-Type listing several types must have each of them start so.
    for (absl::string_view part : absl::StrSplit(AsAbsl(value), ',')) {
      if (!absl::StartsWith(absl::StripAsciiWhitespace(part), AsAbsl(cond.value))) return false;
    }
    return true;
  }
  return value.starts_with(cond.value);
}

}  // namespace

absl::StatusOr<PostPolicy> ParsePostPolicy(std::string_view policy_base64) {
  std::string json;
  if (policy_base64.size() > kMaxPolicyBytes ||
      !absl::Base64Unescape(AsAbsl(policy_base64), &json)) {
    return InvalidPolicy("Policy is not valid base64.");
  }
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) return InvalidPolicy("Policy is not a valid JSON object.");
  const boost::json::object& obj = doc.as_object();
  PostPolicy policy;
  const boost::json::value* expiration = obj.if_contains("expiration");
  if (expiration == nullptr) return InvalidPolicy("Policy missing expiration.");
  if (!expiration->is_string() ||
      !ParseExpiration(std::string_view(expiration->as_string()), &policy.expiration)) {
    return InvalidPolicy(
        "Invalid 'expiration' value: must be ISO 8601 (2007-12-01T12:00:00.000Z).");
  }
  const boost::json::value* conditions = obj.if_contains("conditions");
  if (conditions == nullptr) return InvalidPolicy("Policy missing conditions.");
  if (!conditions->is_array()) return InvalidPolicy("Policy conditions must be a list.");
  for (const boost::json::value& c : conditions->as_array()) {
    SB_RETURN_IF_ERROR(ParseCondition(c, policy));
  }
  return policy;
}

absl::Status CheckPostPolicy(const PostPolicy& policy, const PostForm& form,
                             std::string_view bucket, absl::Time now) {
  if (now > policy.expiration) return Denied("Policy expired.");
  for (const PostPolicyCondition& cond : policy.conditions) {
    const std::string* value = nullptr;
    std::string computed;
    if (cond.field == "bucket") {
      computed = std::string(bucket);
      value = &computed;
    } else if (cond.field == "key" && form.Field("key") != nullptr) {
      // The key as stored: ${filename} substituted (ceph/s3-tests set_key_from_filename).
      computed = PostObjectKey(form).value_or(std::string());
      value = &computed;
    } else {
      value = form.Field(cond.field);
    }
    // ["starts-with", "$field", ""] allows any value, an absent field too (AWS; ceph/s3-tests
    // test_sse_s3_default_post_object_authenticated_request).
    const bool any_value =
        cond.kind == PostPolicyCondition::Kind::kStartsWith && cond.value.empty();
    if (value == nullptr && any_value) continue;
    if (value == nullptr || !Meets(cond, *value)) {
      return Denied(absl::StrCat("Policy Condition failed: ", cond.text));
    }
  }
  std::vector<std::string> extra;
  for (const auto& [name, value] : form.fields) {
    if (Exempt(name)) continue;
    bool covered = false;
    for (const PostPolicyCondition& cond : policy.conditions) {
      if (cond.field == name) covered = true;
    }
    if (!covered) extra.push_back(absl::StrCat("$", name));
  }
  if (!extra.empty()) {
    return Denied(absl::StrCat("Extra input fields: ", absl::StrJoin(extra, ", ")));
  }
  return absl::OkStatus();
}

absl::Status CheckPostContentLength(const PostPolicy& policy, uint64_t size) {
  if (!policy.length_range.has_value()) return absl::OkStatus();
  const PostPolicyCondition& range = *policy.length_range;
  if (size < static_cast<uint64_t>(range.min)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kEntityTooSmall,
                     "Your proposed upload is smaller than the minimum allowed size");
  }
  if (size > static_cast<uint64_t>(range.max)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kEntityTooLarge,
                     "Your proposed upload exceeds the maximum allowed size");
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<std::string> Secret(const SecretLookup& lookup, std::string_view access_key) {
  absl::StatusOr<std::string> secret = lookup(access_key);
  if (absl::IsNotFound(secret.status())) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kInvalidAccessKeyId,
                     "The AWS Access Key Id you provided does not exist in our records.");
  }
  return secret;
}

absl::Status Mismatch() {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kSignatureDoesNotMatch,
                   "The request signature we calculated does not match the signature you "
                   "provided. Check your key and signing method.");
}

absl::StatusOr<PostSignature> VerifyV4(const PostForm& form, const std::string& policy,
                                       const SecretLookup& lookup) {
  const std::string* algorithm = form.Field("x-amz-algorithm");
  const std::string* credential = form.Field("x-amz-credential");
  const std::string* date = form.Field("x-amz-date");
  const std::string* signature = form.Field("x-amz-signature");
  if (algorithm == nullptr || credential == nullptr || date == nullptr || signature == nullptr) {
    return InvalidArgument(
        "Bucket POST with SigV4 must contain the fields x-amz-algorithm, x-amz-credential, "
        "x-amz-date and x-amz-signature.");
  }
  if (*algorithm != "AWS4-HMAC-SHA256") {
    return InvalidArgument("Only the AWS4-HMAC-SHA256 algorithm is supported (x-amz-algorithm).");
  }
  internal::CredentialScope scope;
  if (!internal::ParseCredential(*credential, &scope) || scope.service != "s3") {
    return InvalidArgument(
        "The x-amz-credential field is malformed; expecting "
        "\"<YOUR-AKID>/YYYYMMDD/REGION/s3/aws4_request\".");
  }
  if (date->size() != 16 || !date->starts_with(scope.date)) {
    return InvalidArgument("The x-amz-date field does not match the credential's date.");
  }
  SB_ASSIGN_OR_RETURN(std::string secret, Secret(lookup, scope.access_key));
  const std::string key =
      internal::CachedSigningKey(secret, scope.date, scope.region, scope.service);
  const std::string expected = internal::SignatureHex(key, policy);
  if (!internal::ConstantTimeEquals(expected, absl::AsciiStrToLower(AsAbsl(*signature)))) {
    return Mismatch();
  }
  return PostSignature{true, std::string(scope.access_key), std::string(scope.region)};
}

// The 2006 browser-upload form: signature = base64(HMAC-SHA1(secret, policy)). Only this
// POST form is accepted; SigV2 request signing (Authorization: AWS ...) is not.
absl::StatusOr<PostSignature> VerifyV2(const PostForm& form, const std::string& policy,
                                       const SecretLookup& lookup) {
  const std::string* access_key = form.Field("awsaccesskeyid");
  const std::string* signature = form.Field("signature");
  if (access_key == nullptr || signature == nullptr) {
    return InvalidArgument("Bucket POST must contain the fields AWSAccessKeyId and signature.");
  }
  SB_ASSIGN_OR_RETURN(std::string secret, Secret(lookup, *access_key));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(policy.data()), policy.size(), mac,
           &mac_len) == nullptr) {
    return absl::InternalError("HMAC-SHA1 failed");
  }
  const std::string expected =
      absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(mac), mac_len));
  if (!internal::ConstantTimeEquals(expected, *signature)) return Mismatch();
  return PostSignature{false, *access_key, ""};
}

}  // namespace

absl::StatusOr<PostSignature> VerifyPostSignature(const PostForm& form,
                                                  const SecretLookup& lookup) {
  const std::string* policy = form.Field("policy");
  if (policy == nullptr) {
    return InvalidArgument(
        "Bucket POST must contain a field named 'policy'. If it is specified, please check "
        "the order of the fields.");
  }
  if (form.Field("x-amz-signature") != nullptr || form.Field("x-amz-algorithm") != nullptr ||
      form.Field("x-amz-credential") != nullptr) {
    return VerifyV4(form, *policy, lookup);
  }
  return VerifyV2(form, *policy, lookup);
}

absl::StatusOr<std::string> PostObjectKey(const PostForm& form) {
  const std::string* key = form.Field("key");
  if (key == nullptr || key->empty()) {
    return InvalidArgument(
        "Bucket POST must contain a field named 'key'. If it is specified, please check the "
        "order of the fields.");
  }
  std::string out = absl::StrReplaceAll(AsAbsl(*key), {{"${filename}", AsAbsl(form.filename)}});
  if (out.empty()) return InvalidArgument("The key is empty once ${filename} is substituted.");
  return out;
}

}  // namespace sb::gateway
