// Object Lock (WORM): Put/GetObjectLockConfiguration (?object-lock on a bucket),
// Put/GetObjectRetention (?retention) and Put/GetObjectLegalHold (?legal-hold) on an object
// version, plus the lock headers of the write and read paths (object_lock_headers.h). What
// may change or be removed is decided by policy/lock only.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/object_lock_headers.h"
#include "gateway/internal/md5.h"
#include "gateway/stages/object_lock_conditions.h"
#include "gateway/stages/request_conditions.h"
#include "gateway/stages/stages.h"
#include "gateway/xml/object_lock_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

namespace lock = policy::lock;

absl::Status MissingLockConfiguration() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                   "Bucket is missing Object Lock Configuration");
}

absl::Status InvalidHeader(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

absl::Status MalformedXml() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
}

bool HasBodyChecksum(const RequestContext& ctx) {
  if (ctx.http.Header("content-md5") != nullptr) return true;
  for (const auto& [name, value] : ctx.http.headers) {
    if (absl::StartsWithIgnoreCase(AsAbsl(name), "x-amz-checksum-") ||
        absl::EqualsIgnoreCase(AsAbsl(name), "x-amz-sdk-checksum-algorithm")) {
      return true;
    }
    if (absl::EqualsIgnoreCase(AsAbsl(name), "x-amz-trailer") &&
        absl::StrContains(absl::AsciiStrToLower(AsAbsl(value)), "x-amz-checksum-")) {
      return true;
    }
  }
  return false;
}

// The Content-MD5 of a small body must match it (the checksum headers are verified by the
// Authenticate stage's body decoders).
absl::Status VerifyContentMd5(const RequestContext& ctx, std::string_view body) {
  SB_ASSIGN_OR_RETURN(WriteChecks checks, WriteChecksFromRequest(ctx));
  if (!checks.content_md5) return absl::OkStatus();
  internal::Md5 md5;
  md5.Update(body);
  if (md5.FinishRaw() != *checks.content_md5) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kBadDigest,
                     "The Content-MD5 you specified did not match what we received.");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ParseIsoDate(std::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, AsAbsl(text), &t, &error)) {
    return InvalidHeader("The retain until date must be provided in ISO 8601 format");
  }
  return t;
}

// The bucket of the request, which must have Object Lock (InvalidRequest otherwise).
absl::StatusOr<metadata::BucketRecord> LockedBucket(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  if (!bucket.object_lock_enabled()) return MissingLockConfiguration();
  return bucket;
}

// The version the request names (?versionId=, else the newest); a delete marker has no lock.
absl::StatusOr<metadata::ObjectRecord> LoadVersion(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                      version_id == nullptr
                          ? s.meta.GetObject(ctx.req.bucket, ctx.req.key)
                          : s.meta.GetObjectVersion(ctx.req.bucket, ctx.req.key, *version_id));
  if (record.delete_marker()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                     "The specified method is not allowed against this resource.");
  }
  return record;
}

// Applies `update` to the version the request names, under the key's lock.
absl::StatusOr<metadata::ObjectRecord> UpdateVersion(
    RequestContext& ctx, Services& s,
    const std::function<absl::Status(metadata::ObjectRecord&)>& update) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  return s.meta.UpdateObjectVersion(
      ctx.req.bucket, ctx.req.key, version_id == nullptr ? "" : *version_id,
      [&update](metadata::ObjectRecord& record) {
        if (record.delete_marker()) {
          return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                           "The specified method is not allowed against this resource.");
        }
        return update(record);
      });
}

// The Authorize stage leaves PutObjectRetention and PutObjectLegalHold to these handlers: AWS
// evaluates the s3:object-lock-* keys on what the body asks for.
absl::Status AuthorizeBody(RequestContext& ctx, Services& s, std::string_view mode,
                           std::optional<absl::Time> retain_until, std::string_view legal_hold) {
  policy::eval::ContextMap conditions = RequestConditions(ctx);
  AddObjectLockConditions(mode, retain_until, legal_hold, ctx.start, conditions);
  return AuthorizeWithBody(ctx, s.authorizer, s.meta, conditions);
}

HeaderList VersionHeader(const metadata::ObjectRecord& record) {
  HeaderList headers;
  AppendVersionIdHeader(record, true, headers);
  return headers;
}

// PUT ?object-lock: enables Object Lock on a versioned bucket (for good) and sets or clears
// its default retention.
absl::Status PutObjectLockConfiguration(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_RETURN_IF_ERROR(VerifyContentMd5(ctx, body));
  SB_ASSIGN_OR_RETURN(xml::ObjectLockConfiguration config, xml::ParseObjectLockConfiguration(body));
  metadata::LockRetentionRule rule;
  if (config.has_rule) {
    std::optional<metadata::LockMode> mode = lock::ParseLockMode(config.mode);
    if (!mode.has_value()) return MalformedXml();
    rule.set_mode(*mode);
    rule.set_days(config.days);
    rule.set_years(config.years);
    SB_RETURN_IF_ERROR(lock::ValidateDefaultRule(rule));
  }
  SB_RETURN_IF_ERROR(
      s.meta
          .UpdateBucket(ctx.req.bucket,
                        [&](metadata::BucketRecord& record) {
                          if (!record.object_lock_enabled() &&
                              record.versioning() != metadata::VERSIONING_ENABLED) {
                            return MakeError(absl::StatusCode::kFailedPrecondition,
                                             ErrorReason::kInvalidBucketState,
                                             "Versioning must be 'Enabled' on the bucket to apply "
                                             "a Object Lock configuration");
                          }
                          record.set_object_lock_enabled(true);
                          if (config.has_rule) {
                            *record.mutable_object_lock_default() = rule;
                          } else {
                            record.clear_object_lock_default();
                          }
                          return absl::OkStatus();
                        })
          .status());
  return ctx.Respond(200, {}, "");
}

absl::Status GetObjectLockConfiguration(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  if (!bucket.object_lock_enabled()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kObjectLockConfigurationNotFound,
                     "Object Lock configuration does not exist for this bucket");
  }
  xml::ObjectLockConfiguration config;
  if (bucket.has_object_lock_default() &&
      bucket.object_lock_default().mode() != metadata::LOCK_MODE_NONE) {
    config.has_rule = true;
    config.mode = lock::LockModeName(bucket.object_lock_default().mode());
    config.days = bucket.object_lock_default().days();
    config.years = bucket.object_lock_default().years();
  }
  return ctx.Respond(200, {}, xml::ObjectLockConfigurationXml(config));
}

absl::Status PutObjectRetention(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_RETURN_IF_ERROR(VerifyContentMd5(ctx, body));
  SB_ASSIGN_OR_RETURN(xml::ObjectRetention retention, xml::ParseRetention(body));
  std::optional<metadata::LockMode> mode =
      retention.remove ? metadata::LOCK_MODE_NONE : lock::ParseLockMode(retention.mode);
  if (!mode.has_value()) return MalformedXml();
  SB_RETURN_IF_ERROR(AuthorizeBody(
      ctx, s, retention.mode,
      retention.remove ? std::optional<absl::Time>() : std::optional(retention.retain_until), ""));
  SB_RETURN_IF_ERROR(LockedBucket(ctx, s).status());
  const absl::Time now = s.clock.Now();
  if (retention.remove) retention.retain_until = absl::InfinitePast();
  if (!retention.remove && retention.retain_until <= now) {
    return InvalidHeader("The retain until date must be in the future!");
  }
  const lock::LockOverride override = LockOverrideFor(ctx, s, ctx.req.key);
  SB_ASSIGN_OR_RETURN(
      metadata::ObjectRecord record, UpdateVersion(ctx, s, [&](metadata::ObjectRecord& r) {
        SB_RETURN_IF_ERROR(
            lock::CheckRetentionChange(r, *mode, retention.retain_until, now, override));
        r.set_lock_mode(*mode);
        r.set_lock_retain_until_unix_nanos(
            retention.remove ? 0 : absl::ToUnixNanos(retention.retain_until));
        return absl::OkStatus();
      }));
  return ctx.Respond(200, VersionHeader(record), "");
}

absl::Status GetObjectRetention(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(LockedBucket(ctx, s).status());
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record, LoadVersion(ctx, s));
  if (record.lock_mode() == metadata::LOCK_MODE_NONE) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchObjectLockConfiguration,
                     "The specified object does not have a ObjectLock configuration");
  }
  return ctx.Respond(200, VersionHeader(record),
                     xml::RetentionXml(lock::LockModeName(record.lock_mode()),
                                       absl::FromUnixNanos(record.lock_retain_until_unix_nanos())));
}

absl::Status PutObjectLegalHold(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_RETURN_IF_ERROR(VerifyContentMd5(ctx, body));
  SB_ASSIGN_OR_RETURN(bool on, xml::ParseLegalHold(body));
  SB_RETURN_IF_ERROR(AuthorizeBody(ctx, s, "", std::nullopt, on ? "ON" : "OFF"));
  SB_RETURN_IF_ERROR(LockedBucket(ctx, s).status());
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                      UpdateVersion(ctx, s, [on](metadata::ObjectRecord& r) {
                        r.set_legal_hold(on);
                        r.set_legal_hold_set(true);
                        return absl::OkStatus();
                      }));
  return ctx.Respond(200, VersionHeader(record), "");
}

absl::Status GetObjectLegalHold(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(LockedBucket(ctx, s).status());
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record, LoadVersion(ctx, s));
  if (!record.legal_hold() && !record.legal_hold_set()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchObjectLockConfiguration,
                     "The specified object does not have a ObjectLock configuration");
  }
  return ctx.Respond(200, VersionHeader(record), xml::LegalHoldXml(record.legal_hold()));
}

}  // namespace

absl::Status ApplyLockHeaders(const RequestContext& ctx, Services& s, metadata::ObjectRecord& tmpl,
                              bool body_checksum_required) {
  tmpl.clear_lock_mode();
  tmpl.clear_lock_retain_until_unix_nanos();
  tmpl.clear_legal_hold();
  tmpl.clear_legal_hold_set();
  const std::string* mode = ctx.http.Header("x-amz-object-lock-mode");
  const std::string* until = ctx.http.Header("x-amz-object-lock-retain-until-date");
  const std::string* hold = ctx.http.Header("x-amz-object-lock-legal-hold");
  if (mode == nullptr && until == nullptr && hold == nullptr) return absl::OkStatus();
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  if (!bucket.object_lock_enabled()) return MissingLockConfiguration();
  if ((mode == nullptr) != (until == nullptr)) {
    return InvalidHeader(
        "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
  }
  if (mode != nullptr) {
    std::optional<metadata::LockMode> parsed = lock::ParseLockMode(*mode);
    if (!parsed.has_value()) return InvalidHeader("Unknown wormMode directive.");
    SB_ASSIGN_OR_RETURN(absl::Time t, ParseIsoDate(*until));
    if (t <= s.clock.Now()) return InvalidHeader("The retain until date must be in the future!");
    tmpl.set_lock_mode(*parsed);
    tmpl.set_lock_retain_until_unix_nanos(absl::ToUnixNanos(t));
  }
  if (hold != nullptr) {
    if (*hold != "ON" && *hold != "OFF") {
      return InvalidHeader("Legal Hold must be either of 'ON' or 'OFF'");
    }
    tmpl.set_legal_hold(*hold == "ON");
    tmpl.set_legal_hold_set(true);
  }
  if (body_checksum_required && !HasBodyChecksum(ctx)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object "
                     "requests with Object Lock parameters");
  }
  return absl::OkStatus();
}

void AppendLockHeaders(RequestContext& ctx, Services& s, const metadata::ObjectRecord& object,
                       HeaderList& headers) {
  const auto may = [&](std::string_view action) {
    if (s.authorizer == nullptr) return ctx.auth.principal.is_root;
    absl::StatusOr<policy::Decision> d =
        AuthorizeOn(*s.authorizer, ctx, action, S3Arn(ctx.req.bucket, ctx.req.key), ctx.req.bucket,
                    RequestConditions(ctx));
    return d.ok() && d->allowed;
  };
  if (object.lock_mode() != metadata::LOCK_MODE_NONE && may("s3:GetObjectRetention")) {
    headers.emplace_back("x-amz-object-lock-mode", lock::LockModeName(object.lock_mode()));
    headers.emplace_back(
        "x-amz-object-lock-retain-until-date",
        xml::FormatRetainUntil(absl::FromUnixNanos(object.lock_retain_until_unix_nanos())));
  }
  if (object.legal_hold() && may("s3:GetObjectLegalHold")) {
    headers.emplace_back("x-amz-object-lock-legal-hold", "ON");
  }
}

policy::lock::LockOverride LockOverrideFor(RequestContext& ctx, Services& s, std::string_view key) {
  const std::string* header = ctx.http.Header("x-amz-bypass-governance-retention");
  if (header == nullptr || !absl::EqualsIgnoreCase(AsAbsl(*header), "true")) return {};
  if (s.authorizer == nullptr) return {ctx.auth.principal.is_root};
  absl::StatusOr<policy::Decision> decision =
      AuthorizeOn(*s.authorizer, ctx, "s3:BypassGovernanceRetention", S3Arn(ctx.req.bucket, key),
                  ctx.req.bucket, RequestConditions(ctx));
  return {decision.ok() && decision->allowed};
}

absl::Status HandleObjectLockOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutObjectLockConfiguration:
      return PutObjectLockConfiguration(ctx, s);
    case Operation::kGetObjectLockConfiguration:
      return GetObjectLockConfiguration(ctx, s);
    case Operation::kPutObjectRetention:
      return PutObjectRetention(ctx, s);
    case Operation::kGetObjectRetention:
      return GetObjectRetention(ctx, s);
    case Operation::kPutObjectLegalHold:
      return PutObjectLegalHold(ctx, s);
    case Operation::kGetObjectLegalHold:
      return GetObjectLegalHold(ctx, s);
    default:
      return absl::InternalError("not an Object Lock operation");
  }
}

}  // namespace sb::gateway
