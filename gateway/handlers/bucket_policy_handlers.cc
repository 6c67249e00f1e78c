// PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy (?policy), GetBucketPolicyStatus. The
// document is stored in the bucket record exactly as accepted; the Authorizer reads it on every
// request, so a new or deleted policy applies from the next request.
#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/bucket_xml.h"
#include "policy/bucket_policy.h"

namespace sb::gateway {
namespace {

absl::Status Malformed(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy, message);
}

// S3 refuses statements about other buckets ("Policy has invalid resource"): a resource must
// name this bucket or its objects, literally or through a wildcard that covers them
// ("arn:aws:s3:::*", "arn:aws:s3:::*/*"). It also refuses actions of
// other services ("Policy has invalid action") and NotPrincipal with Allow ("everyone except
// X may" is almost always a mistake for "X may").
absl::Status CheckScope(const policy::eval::Policy& policy, std::string_view bucket) {
  const std::string arn = absl::StrCat("arn:aws:s3:::", std::string(bucket));
  for (const auto& st : policy.statements) {
    if (st.not_principal && st.effect == policy::eval::Effect::kAllow) {
      return Malformed("NotPrincipal is only supported with \"Effect\": \"Deny\"");
    }
    for (const auto& r : st.resources) {
      const std::string& text = r.text();
      if (text != arn && !text.starts_with(arn + "/") && !r.Matches(arn, nullptr) &&
          !r.Matches(arn + "/*", nullptr)) {
        return Malformed(absl::StrCat("Policy has invalid resource: ", text));
      }
    }
    for (const auto& a : st.actions) {
      const std::string& text = a.text();
      if (text != "*" && !(text.size() > 3 && (text[0] == 's' || text[0] == 'S') &&
                           (text[1] == '3') && text[2] == ':')) {
        return Malformed(absl::StrCat("Policy has invalid action: ", text));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status PutBucketPolicy(RequestContext& ctx, Services& s) {
  // NoSuchBucket comes first.
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  absl::StatusOr<std::string> body = ReadSmallBody(ctx, policy::kMaxBucketPolicyBytes);
  if (GetReason(body.status()) == ErrorReason::kMalformedXml) {
    return Malformed("Policies cannot exceed 20 KB");
  }
  SB_RETURN_IF_ERROR(body.status());
  SB_ASSIGN_OR_RETURN(policy::eval::Policy parsed, policy::ParseBucketPolicy(*body));
  SB_RETURN_IF_ERROR(CheckScope(parsed, ctx.req.bucket));
  if (bucket.public_access_block().block_public_policy() && policy::IsPublicPolicy(parsed)) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "Access Denied: the bucket's public access block has BlockPublicPolicy");
  }
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [&](metadata::BucketRecord& record) {
                                         record.set_policy(*body);
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

absl::Status GetBucketPolicy(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.policy().empty()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucketPolicy,
                     "The bucket policy does not exist");
  }
  return ctx.Respond(200, {}, record.policy(), "application/json");
}

absl::Status GetBucketPolicyStatus(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.policy().empty()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucketPolicy,
                     "The bucket policy does not exist");
  }
  absl::StatusOr<policy::eval::Policy> parsed = policy::ParseBucketPolicy(record.policy());
  if (!parsed.ok()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     "the stored bucket policy does not parse");
  }
  return ctx.Respond(200, {}, xml::PolicyStatusXml(policy::IsPublicPolicy(*parsed)));
}

absl::Status DeleteBucketPolicy(RequestContext& ctx, Services& s) {
  // S3 answers 204 whether or not a policy existed.
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [](metadata::BucketRecord& record) {
                                         record.clear_policy();
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

}  // namespace

absl::Status HandleBucketPolicyOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutBucketPolicy:
      return PutBucketPolicy(ctx, s);
    case Operation::kGetBucketPolicy:
      return GetBucketPolicy(ctx, s);
    case Operation::kDeleteBucketPolicy:
      return DeleteBucketPolicy(ctx, s);
    case Operation::kGetBucketPolicyStatus:
      return GetBucketPolicyStatus(ctx, s);
    default:
      return absl::InternalError("not a bucket policy operation");
  }
}

}  // namespace sb::gateway
