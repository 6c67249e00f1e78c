// Bucket default encryption: PutBucketEncryption, GetBucketEncryption and
// DeleteBucketEncryption (?encryption). The configuration lives in BucketRecord.encryption;
// without one, writes get SSE-S3 (as in S3 since January 2023).
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/internal/md5.h"
#include "gateway/object_encryption.h"
#include "gateway/xml/encryption_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

// Content-MD5 is optional here, but a wrong one is refused.
absl::Status CheckContentMd5(const RequestContext& ctx, const std::string& body) {
  const std::string* header = ctx.http.Header("content-md5");
  if (header == nullptr) return absl::OkStatus();
  std::string raw;
  if (!absl::Base64Unescape(AsAbsl(*header), &raw) || raw.size() != 16) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidDigest,
                     "The Content-MD5 you specified is not valid.");
  }
  internal::Md5 md5;
  md5.Update(body);
  if (md5.FinishRaw() != raw) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest,
                     "The Content-MD5 you specified did not match what we received.");
  }
  return absl::OkStatus();
}

absl::Status PutBucketEncryption(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_RETURN_IF_ERROR(CheckContentMd5(ctx, body));
  SB_ASSIGN_OR_RETURN(xml::EncryptionRule rule, xml::ParseServerSideEncryptionConfiguration(body));
  rule.kms_master_key_id = NormalizeKmsKeyId(rule.kms_master_key_id);
  // A named key must exist now, so a typo fails here rather than on every later write.
  if (!rule.kms_master_key_id.empty() && rule.kms_master_key_id != kDefaultKmsKeyId) {
    auto key = s.objects.keyring().DescribeKey(rule.kms_master_key_id);
    if (!key.ok()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       absl::StrCat("KMS key does not exist: ", rule.kms_master_key_id));
    }
  }
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [&rule](metadata::BucketRecord& bucket) {
                                         auto* e = bucket.mutable_encryption();
                                         e->set_sse_algorithm(rule.sse_algorithm);
                                         e->set_kms_master_key_id(rule.kms_master_key_id);
                                         e->set_bucket_key_enabled(rule.bucket_key_enabled);
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(200, {}, "");
}

absl::Status GetBucketEncryption(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  if (!bucket.has_encryption()) {
    return MakeError(absl::StatusCode::kNotFound,
                     ErrorReason::kServerSideEncryptionConfigurationNotFound,
                     "The server side encryption configuration was not found");
  }
  xml::EncryptionRule rule;
  rule.sse_algorithm = bucket.encryption().sse_algorithm();
  rule.kms_master_key_id = bucket.encryption().kms_master_key_id();
  rule.bucket_key_enabled = bucket.encryption().bucket_key_enabled();
  return ctx.Respond(200, {}, xml::ServerSideEncryptionConfigurationXml(rule));
}

absl::Status DeleteBucketEncryption(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [](metadata::BucketRecord& bucket) {
                                         bucket.clear_encryption();
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

}  // namespace

absl::Status HandleEncryptionOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutBucketEncryption:
      return PutBucketEncryption(ctx, s);
    case Operation::kGetBucketEncryption:
      return GetBucketEncryption(ctx, s);
    case Operation::kDeleteBucketEncryption:
      return DeleteBucketEncryption(ctx, s);
    default:
      return absl::InternalError("not an encryption operation");
  }
}

}  // namespace sb::gateway
