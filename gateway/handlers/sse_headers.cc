#include "gateway/handlers/sse_headers.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::gateway {
namespace {

constexpr char kSse[] = "x-amz-server-side-encryption";
constexpr char kKmsKeyId[] = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr char kContext[] = "x-amz-server-side-encryption-context";
constexpr char kCustomerAlgorithm[] = "server-side-encryption-customer-algorithm";
constexpr char kCustomerKey[] = "server-side-encryption-customer-key";
constexpr char kCustomerKeyMd5[] = "server-side-encryption-customer-key-md5";
constexpr size_t kMaxContextBytes = 4096;

absl::Status Invalid(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// x-amz-server-side-encryption-context: base64 of a JSON object whose values are strings.
absl::StatusOr<sse::EncryptionContext> ParseContext(const std::string& header) {
  std::string json;
  if (header.size() > kMaxContextBytes || !absl::Base64Unescape(header, &json)) {
    return Invalid(
        "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded "
        "UTF-8 string holding JSON which represents a string-string map");
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) {
    return Invalid(
        "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded "
        "UTF-8 string holding JSON which represents a string-string map");
  }
  sse::EncryptionContext context;
  for (const auto& [k, val] : v.as_object()) {
    if (!val.is_string()) return Invalid("Encryption context values must be strings");
    std::string key(k);
    // The object's ARN is bound under "aws:s3:arn"; callers may not set reserved names.
    if (key.starts_with("aws:")) {
      return Invalid("Encryption context keys may not use the reserved prefix 'aws:'");
    }
    context[key] = std::string(val.as_string());
  }
  return context;
}

}  // namespace

std::string NormalizeKmsKeyId(const std::string& id) {
  if (id.starts_with("arn:aws:kms:")) {
    size_t slash = id.find(":key/");
    if (slash != std::string::npos) return id.substr(slash + 5);
  }
  return id;
}

bool HasEncryptionHeaders(const RequestContext& ctx) {
  for (const auto& [name, value] : ctx.http.headers) {
    if (name.starts_with(kSse)) return true;
  }
  return false;
}

absl::StatusOr<std::optional<sse::SseCKey>> CustomerKeyFromRequest(const RequestContext& ctx,
                                                                   bool copy_source) {
  const std::string prefix = copy_source ? "x-amz-copy-source-" : "x-amz-";
  const std::string* algorithm = ctx.http.Header(prefix + kCustomerAlgorithm);
  const std::string* key = ctx.http.Header(prefix + kCustomerKey);
  const std::string* md5 = ctx.http.Header(prefix + kCustomerKeyMd5);
  if (algorithm == nullptr && key == nullptr && md5 == nullptr) return std::nullopt;
  if (algorithm == nullptr) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must "
        "provide a valid encryption algorithm.");
  }
  if (key == nullptr) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must "
        "provide an appropriate secret key.");
  }
  if (md5 == nullptr) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must "
        "provide the client calculated MD5 of the secret key.");
  }
  SB_ASSIGN_OR_RETURN(sse::SseCKey parsed, sse::SseCKey::FromHeaders(*algorithm, *key, *md5));
  return parsed;
}

absl::StatusOr<EncryptionSpec> EncryptionFromRequest(const RequestContext& ctx) {
  EncryptionSpec spec;
  SB_ASSIGN_OR_RETURN(spec.customer_key, CustomerKeyFromRequest(ctx, false));
  const std::string* algorithm = ctx.http.Header(kSse);
  const std::string* key_id = ctx.http.Header(kKmsKeyId);
  const std::string* context = ctx.http.Header(kContext);
  if (spec.customer_key.has_value()) {
    if (algorithm != nullptr || key_id != nullptr || context != nullptr) {
      return Invalid(
          "Server Side Encryption with Customer provided key is incompatible with "
          "the encryption method specified");
    }
    spec.mode = sse::SseMode::kCustomer;
    return spec;
  }
  if (algorithm == nullptr) {
    if (key_id != nullptr || context != nullptr) {
      return Invalid(
          "Server Side Encryption with AWS KMS managed key requires HTTP header "
          "x-amz-server-side-encryption : aws:kms");
    }
    return spec;
  }
  if (*algorithm == "AES256") {
    if (key_id != nullptr || context != nullptr) {
      return Invalid(
          "Server Side Encryption with AWS KMS managed key requires HTTP header "
          "x-amz-server-side-encryption : aws:kms");
    }
    spec.mode = sse::SseMode::kS3;
    return spec;
  }
  if (*algorithm != "aws:kms") {
    return Invalid(absl::StrCat("The encryption method specified is not supported: ", *algorithm));
  }
  spec.mode = sse::SseMode::kKms;
  if (key_id != nullptr) spec.kms_key_id = NormalizeKmsKeyId(*key_id);
  if (context != nullptr) {
    SB_ASSIGN_OR_RETURN(spec.kms_context, ParseContext(*context));
  }
  return spec;
}

void AppendEncryptionHeaders(const metadata::ObjectRecord& record, HeaderList& headers,
                             bool with_context) {
  if (!record.sse_customer_algorithm().empty()) {
    headers.emplace_back("x-amz-server-side-encryption-customer-algorithm",
                         record.sse_customer_algorithm());
    headers.emplace_back("x-amz-server-side-encryption-customer-key-MD5",
                         record.sse_customer_key_md5());
    return;
  }
  if (record.sse_algorithm().empty()) return;  // stored before encryption at rest
  headers.emplace_back(kSse, record.sse_algorithm());
  if (record.sse_algorithm() != "aws:kms") return;
  headers.emplace_back(kKmsKeyId, record.sse_kms_key_id());
  if (with_context && !record.sse_kms_context().empty()) {
    boost::json::object obj;
    for (const auto& [k, v] : record.sse_kms_context()) obj[k] = v;
    headers.emplace_back(kContext, absl::Base64Escape(boost::json::serialize(obj)));
  }
}

}  // namespace sb::gateway
