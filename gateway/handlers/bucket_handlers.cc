// Bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation, Get/PutBucketVersioning and DeleteObjects.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/object_lock_headers.h"
#include "gateway/internal/md5.h"
#include "gateway/s3_errors.h"
#include "gateway/stages/request_conditions.h"
#include "gateway/stages/stages.h"
#include "gateway/xml/bucket_xml.h"
#include "gateway/xml/object_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

// S3 bucket naming rules (general purpose buckets).
bool ValidBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  bool all_digits_or_dots = true;
  int dots = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!alnum(c) && c != '.' && c != '-') return false;
    if (c == '.') {
      ++dots;
      if (name[i - 1] == '.' || name[i - 1] == '-' || name[i + 1] == '-') return false;
    }
    if (c != '.' && !(c >= '0' && c <= '9')) all_digits_or_dots = false;
  }
  if (all_digits_or_dots && dots == 3) return false;  // looks like an IPv4 address
  if (name.starts_with("xn--") || name.starts_with("sthree-")) return false;
  if (name.ends_with("-s3alias") || name.ends_with("--ol-s3")) return false;
  return true;
}

absl::Status ListBuckets(RequestContext& ctx, Services& s) {
  // Every bucket belongs to the one account, so whoever the Authorize stage allowed
  // s3:ListAllMyBuckets (root, or an IAM user granted it) sees all of them, as in AWS.
  SB_ASSIGN_OR_RETURN(auto buckets, s.meta.ListBuckets());
  return ctx.Respond(200, {}, xml::ListAllMyBucketsXml(ctx.auth.principal.user, buckets));
}

absl::Status CreateBucket(RequestContext& ctx, Services& s) {
  if (!ValidBucketName(ctx.req.bucket)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidBucketName,
                     "The specified bucket is not valid.");
  }
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx, s.meta));
  if (const std::string* ownership = ctx.http.Header("x-amz-object-ownership");
      ownership != nullptr && *ownership != "BucketOwnerEnforced") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "Strongbox buckets are always BucketOwnerEnforced (ACLs disabled)");
  }
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(std::string location, xml::ParseCreateBucketConfiguration(body));
  if (!location.empty() && location != s.region) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     absl::StrCat("The specified location-constraint is not valid: ", location));
  }
  metadata::BucketRecord bucket;
  bucket.set_name(ctx.req.bucket);
  bucket.set_created_unix_nanos(absl::ToUnixNanos(s.clock.Now()));
  bucket.set_owner(ctx.auth.principal.user);
  bucket.set_region(s.region);
  // x-amz-bucket-object-lock-enabled: Object Lock, and with it versioning, on for good.
  if (const std::string* lock = ctx.http.Header("x-amz-bucket-object-lock-enabled")) {
    if (absl::EqualsIgnoreCase(AsAbsl(*lock), "true")) {
      bucket.set_object_lock_enabled(true);
      bucket.set_versioning(metadata::VERSIONING_ENABLED);
    } else if (!absl::EqualsIgnoreCase(AsAbsl(*lock), "false")) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "x-amz-bucket-object-lock-enabled must be true or false");
    }
  }
  absl::Status created = s.meta.CreateBucket(bucket);
  // AWS quirk kept for compatibility: in us-east-1 re-creating a bucket you already own
  // succeeds (and changes nothing); every other region answers BucketAlreadyOwnedByYou.
  if (GetReason(created) == ErrorReason::kBucketAlreadyOwnedByYou && s.region == "us-east-1") {
    created = absl::OkStatus();
  }
  SB_RETURN_IF_ERROR(created);
  return ctx.Respond(200, {{"Location", absl::StrCat("/", ctx.req.bucket)}}, "");
}

absl::Status HeadBucket(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  return ctx.Respond(200, {{"x-amz-bucket-region", s.region}}, "");
}

// S3 deletes a bucket that holds only in-progress multipart uploads, aborting them;
// object versions and delete markers block the delete.
absl::Status DeleteBucket(RequestContext& ctx, Services& s) {
  metadata::ListVersionsOptions probe;
  probe.max_keys = 1;
  SB_ASSIGN_OR_RETURN(auto page, s.meta.ListObjectVersions(ctx.req.bucket, probe));
  if (!page.versions.empty() || !page.common_prefixes.empty()) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kBucketNotEmpty,
                     "The bucket you tried to delete is not empty");
  }
  for (;;) {
    SB_ASSIGN_OR_RETURN(auto uploads, s.meta.ListUploads(ctx.req.bucket, {}));
    for (const auto& u : uploads.uploads) {
      absl::Status st = s.objects.AbortUpload(ctx.req.bucket, u.key(), u.upload_id());
      if (!st.ok() && GetReason(st) != ErrorReason::kNoSuchUpload) return st;
    }
    if (!uploads.is_truncated) break;
  }
  SB_RETURN_IF_ERROR(s.meta.DeleteBucket(ctx.req.bucket));
  return ctx.Respond(204, {}, "");
}

absl::Status GetBucketLocation(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto bucket, s.meta.GetBucket(ctx.req.bucket));
  return ctx.Respond(200, {}, xml::LocationConstraintXml(bucket.region()));
}

// A bucket that never had versioning configured has no Status element (S3).
absl::Status GetBucketVersioning(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto bucket, s.meta.GetBucket(ctx.req.bucket));
  std::string_view status;
  if (bucket.versioning() == metadata::VERSIONING_ENABLED) status = "Enabled";
  if (bucket.versioning() == metadata::VERSIONING_SUSPENDED) status = "Suspended";
  return ctx.Respond(200, {}, xml::VersioningConfigurationXml(status));
}

// Enabled or Suspended; a body without Status changes nothing. MFA delete needs MFA
// devices, which Strongbox does not have: asking for it is refused, never ignored.
absl::Status PutBucketVersioning(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(xml::VersioningConfiguration config, xml::ParseVersioningConfiguration(body));
  if (config.mfa_delete == "Enabled" || ctx.http.Header("x-amz-mfa") != nullptr) {
    return MakeError(absl::StatusCode::kUnimplemented, ErrorReason::kNotImplemented,
                     "MFA delete is not supported by this server.");
  }
  SB_RETURN_IF_ERROR(
      s.meta
          .UpdateBucket(ctx.req.bucket,
                        [&config](metadata::BucketRecord& record) {
                          if (record.object_lock_enabled() && config.status == "Suspended") {
                            return MakeError(absl::StatusCode::kFailedPrecondition,
                                             ErrorReason::kInvalidBucketState,
                                             "An Object Lock configuration is present on this "
                                             "bucket, so the versioning state cannot be "
                                             "changed.");
                          }
                          if (config.status == "Enabled") {
                            record.set_versioning(metadata::VERSIONING_ENABLED);
                          } else if (config.status == "Suspended") {
                            record.set_versioning(metadata::VERSIONING_SUSPENDED);
                          }
                          return absl::OkStatus();
                        })
          .status());
  return ctx.Respond(200, {}, "");
}

// One DeleteObjects entry, as DELETE with or without versionId would do it.
absl::StatusOr<xml::DeletedEntry> DeleteOne(RequestContext& ctx, Services& s,
                                            const xml::ObjectToDelete& obj) {
  xml::DeletedEntry entry{obj.key, obj.version_id, false, ""};
  if (obj.version_id.empty()) {
    SB_ASSIGN_OR_RETURN(metadata::DeleteResult result,
                        s.objects.DeleteObject(ctx.req.bucket, obj.key, ctx.auth.principal.user));
    if (result.marker.has_value()) {
      entry.delete_marker = true;
      entry.delete_marker_version_id = result.marker->version_id();
    }
    return entry;
  }
  SB_ASSIGN_OR_RETURN(metadata::DeleteResult result,
                      s.objects.DeleteObjectVersion(ctx.req.bucket, obj.key, obj.version_id,
                                                    LockOverrideFor(ctx, s, obj.key)));
  if (result.removed.has_value() && result.removed->delete_marker()) {
    entry.delete_marker = true;
    entry.delete_marker_version_id = obj.version_id;
  }
  return entry;
}

// DeleteObjects is authorized per key, as AWS does: s3:DeleteObject (s3:DeleteObjectVersion
// with a version id) on each object, so a user allowed to delete under one prefix can use it
// there. Fails closed: without an authorizer only root may delete.
bool MayDelete(RequestContext& ctx, Services& s, const xml::ObjectToDelete& obj,
               const policy::eval::ContextMap& conditions) {
  if (s.authorizer == nullptr) return ctx.auth.principal.is_root;
  absl::StatusOr<policy::Decision> decision = AuthorizeOn(
      *s.authorizer, ctx, obj.version_id.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
      S3Arn(ctx.req.bucket, obj.key), ctx.req.bucket, conditions);
  return decision.ok() && decision->allowed;
}

absl::Status DeleteObjects(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(WriteChecks checks, WriteChecksFromRequest(ctx));
  if (checks.content_md5) {
    internal::Md5 md5;
    md5.Update(body);
    if (md5.FinishRaw() != *checks.content_md5) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest,
                       "The Content-MD5 you specified did not match what we received.");
    }
  }
  SB_ASSIGN_OR_RETURN(xml::DeleteObjectsRequest request, xml::ParseDeleteObjects(body));
  std::vector<xml::DeletedEntry> deleted;
  std::vector<xml::DeleteErrorEntry> errors;
  const policy::eval::ContextMap conditions = RequestConditions(ctx);
  for (const auto& obj : request.objects) {
    if (!MayDelete(ctx, s, obj, conditions)) {
      errors.push_back({obj.key, obj.version_id, "AccessDenied", "Access Denied"});
      continue;
    }
    absl::StatusOr<xml::DeletedEntry> entry = DeleteOne(ctx, s, obj);
    if (entry.ok()) {
      deleted.push_back(*std::move(entry));
    } else {
      S3Error err = MapStatus(entry.status());
      errors.push_back({obj.key, obj.version_id, std::string(err.code), err.message});
    }
  }
  return ctx.Respond(200, {}, xml::DeleteResultXml(deleted, errors, request.quiet));
}

}  // namespace

absl::Status HandleBucketOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kListBuckets:
      return ListBuckets(ctx, s);
    case Operation::kCreateBucket:
    case Operation::kAdminCreateBucket:  // the admin API's PUT buckets/NAME, same rules
      return CreateBucket(ctx, s);
    case Operation::kHeadBucket:
      return HeadBucket(ctx, s);
    case Operation::kDeleteBucket:
    case Operation::kAdminDeleteBucket:  // the admin API's DELETE buckets/NAME, same guards
      return DeleteBucket(ctx, s);
    case Operation::kGetBucketLocation:
      return GetBucketLocation(ctx, s);
    case Operation::kGetBucketVersioning:
      return GetBucketVersioning(ctx, s);
    case Operation::kPutBucketVersioning:
      return PutBucketVersioning(ctx, s);
    case Operation::kDeleteObjects:
      return DeleteObjects(ctx, s);
    default:
      return absl::InternalError("not a bucket operation");
  }
}

}  // namespace sb::gateway
