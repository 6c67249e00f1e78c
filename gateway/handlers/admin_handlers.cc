// Non-S3 endpoints under /_strongbox/: health probes and the admin API.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"

namespace sb::gateway {
namespace {

absl::Status AdminInfo(RequestContext& ctx, Services& s) {
  boost::json::object info;
  info["version"] = s.info.version;
  info["uptime_seconds"] = absl::ToInt64Seconds(s.clock.Now() - s.info.started);
  // Drive state as probed now (the same probe as readiness and the metrics).
  boost::json::array drives;
  uint64_t online = 0;
  for (const erasure::DriveHealth& d : s.data.ProbeDrives()) {
    online += d.online ? 1 : 0;
    drives.push_back(boost::json::object{{"path", d.path},
                                         {"state", d.online ? "online" : "offline"},
                                         {"errors", d.errors},
                                         {"total_bytes", d.total_bytes},
                                         {"free_bytes", d.free_bytes}});
  }
  info["drives"] = std::move(drives);
  info["drives_online"] = online;
  info["write_quorum"] = s.data.WriteQuorum();
  info["data_shards"] = s.data.DataShards();
  info["parity_shards"] = s.data.ParityShards();
  SB_ASSIGN_OR_RETURN(auto buckets, s.meta.ListBuckets());
  info["buckets"] = buckets.size();
  info["region"] = s.region;
  return ctx.Respond(200, {}, boost::json::serialize(info), "application/json");
}

// Ready: the metadata store answers a read, a write quorum of drives is online and the
// audit log can take appends. The body names what failed without paths (the probe is
// public); the log has the details.
absl::Status Health(RequestContext& ctx, Services& s, bool ready) {
  if (!ready) return ctx.Respond(200, {}, "OK\n", "text/plain");
  std::string failed;
  auto check = [&](std::string_view what, const absl::Status& st, std::string_view summary) {
    if (st.ok()) return;
    absl::StrAppend(&failed, AsAbsl(what), ": ", AsAbsl(summary), "\n");
    Log(LogLevel::kWarn, "not ready",
        {{"request_id", ctx.req.request_id},
         {"check", std::string(what)},
         {"error", st.ToString()}});
  };
  check("metadata", s.meta.ListBuckets().status(), "unavailable");
  const absl::Status quorum = s.data.CheckWriteQuorum();
  if (!quorum.ok()) {
    uint32_t online = 0;
    const std::vector<erasure::DriveHealth> drives = s.data.ProbeDrives();
    for (const erasure::DriveHealth& d : drives) online += d.online ? 1 : 0;
    check("write quorum", quorum,
          absl::StrCat(online, " of ", drives.size(), " drives online, writes need ",
                       s.data.WriteQuorum()));
  }
  if (s.audit_log != nullptr) check("audit log", s.audit_log->CheckWritable(), "not writable");
  if (!failed.empty()) return ctx.Respond(503, {}, "not ready\n" + failed, "text/plain");
  return ctx.Respond(200, {}, "OK\n", "text/plain");
}

}  // namespace

absl::Status HandleAdminOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kAdminInfo:
      return AdminInfo(ctx, s);
    case Operation::kHealthLive:
      return Health(ctx, s, false);
    case Operation::kHealthReady:
      return Health(ctx, s, true);
    default:
      return absl::InternalError("not an admin operation");
  }
}

absl::Status Dispatch(RequestContext& ctx, Services& s) {
  AddCorsResponseHeaders(ctx, s);
  switch (ctx.req.op) {
    case Operation::kGetBucketCors:
    case Operation::kPutBucketCors:
    case Operation::kDeleteBucketCors:
    case Operation::kCorsPreflight:
      return HandleCorsOperation(ctx, s);
    case Operation::kSts:
      return HandleStsOperation(ctx, s);
    case Operation::kListBuckets:
    case Operation::kCreateBucket:
    case Operation::kHeadBucket:
    case Operation::kDeleteBucket:
    case Operation::kGetBucketLocation:
    case Operation::kGetBucketVersioning:
    case Operation::kPutBucketVersioning:
    case Operation::kDeleteObjects:
      return HandleBucketOperation(ctx, s);
    case Operation::kListObjects:
    case Operation::kListObjectsV2:
    case Operation::kListObjectVersions:
      return HandleListOperation(ctx, s);
    case Operation::kPutObject:
    case Operation::kGetObject:
    case Operation::kHeadObject:
    case Operation::kDeleteObject:
    case Operation::kCopyObject:
    case Operation::kGetObjectAttributes:
      return HandleObjectOperation(ctx, s);
    case Operation::kPostObject:
      return HandlePostObject(ctx, s);
    case Operation::kCreateMultipartUpload:
    case Operation::kUploadPart:
    case Operation::kUploadPartCopy:
    case Operation::kCompleteMultipartUpload:
    case Operation::kAbortMultipartUpload:
    case Operation::kListParts:
    case Operation::kListMultipartUploads:
      return HandleMultipartOperation(ctx, s);
    case Operation::kGetObjectTagging:
    case Operation::kPutObjectTagging:
    case Operation::kDeleteObjectTagging:
    case Operation::kGetBucketTagging:
    case Operation::kPutBucketTagging:
    case Operation::kDeleteBucketTagging:
      return HandleTaggingOperation(ctx, s);
    case Operation::kGetObjectLockConfiguration:
    case Operation::kPutObjectLockConfiguration:
    case Operation::kGetObjectRetention:
    case Operation::kPutObjectRetention:
    case Operation::kGetObjectLegalHold:
    case Operation::kPutObjectLegalHold:
      return HandleObjectLockOperation(ctx, s);
    case Operation::kGetBucketAcl:
    case Operation::kPutBucketAcl:
    case Operation::kGetObjectAcl:
    case Operation::kPutObjectAcl:
      return HandleAclOperation(ctx, s);
    case Operation::kAdminInfo:
    case Operation::kHealthLive:
    case Operation::kHealthReady:
      return HandleAdminOperation(ctx, s);
    case Operation::kMetrics:
      return HandleMetricsOperation(ctx, s);
    case Operation::kAdminAuditPubkey:
    case Operation::kAdminAuditVerify:
    case Operation::kAdminAuditQuery:
      return HandleAuditOperation(ctx, s);
    case Operation::kAdminBucketRestore:
      return HandleRestoreOperation(ctx, s);
    case Operation::kAdminIamListUsers:
    case Operation::kAdminIamCreateUser:
    case Operation::kAdminIamGetUser:
    case Operation::kAdminIamDeleteUser:
    case Operation::kAdminIamSetUserStatus:
    case Operation::kAdminIamListAccessKeys:
    case Operation::kAdminIamCreateAccessKey:
    case Operation::kAdminIamDeleteAccessKey:
    case Operation::kAdminIamSetAccessKeyStatus:
    case Operation::kAdminIamListGroups:
    case Operation::kAdminIamCreateGroup:
    case Operation::kAdminIamGetGroup:
    case Operation::kAdminIamDeleteGroup:
    case Operation::kAdminIamAddGroupMember:
    case Operation::kAdminIamRemoveGroupMember:
    case Operation::kAdminIamListPolicies:
    case Operation::kAdminIamGetPolicy:
    case Operation::kAdminIamPutPolicy:
    case Operation::kAdminIamDeletePolicy:
    case Operation::kAdminIamAttachPolicy:
    case Operation::kAdminIamDetachPolicy:
    case Operation::kAdminIamSimulate:
      return HandleIamOperation(ctx, s);
    case Operation::kGetBucketPolicy:
    case Operation::kPutBucketPolicy:
    case Operation::kDeleteBucketPolicy:
    case Operation::kGetBucketPolicyStatus:
      return HandleBucketPolicyOperation(ctx, s);
    case Operation::kGetPublicAccessBlock:
    case Operation::kPutPublicAccessBlock:
    case Operation::kDeletePublicAccessBlock:
    case Operation::kGetBucketOwnershipControls:
    case Operation::kPutBucketOwnershipControls:
    case Operation::kDeleteBucketOwnershipControls:
      return HandlePublicAccessOperation(ctx, s);
    case Operation::kGetBucketLifecycle:
    case Operation::kPutBucketLifecycle:
    case Operation::kDeleteBucketLifecycle:
      return HandleLifecycleOperation(ctx, s);
    case Operation::kAdminListBuckets:
    case Operation::kAdminGetBucket:
    case Operation::kAdminCreateBucket:
    case Operation::kAdminDeleteBucket:
      return HandleAdminBucketOperation(ctx, s);
    case Operation::kGetBucketEncryption:
    case Operation::kPutBucketEncryption:
    case Operation::kDeleteBucketEncryption:
      return HandleEncryptionOperation(ctx, s);
    case Operation::kAdminKmsListKeys:
    case Operation::kAdminKmsCreateKey:
    case Operation::kAdminKmsRotateKey:
    case Operation::kAdminKmsDisableKey:
    case Operation::kAdminKmsEnableKey:
      return HandleKmsOperation(ctx, s);
    case Operation::kNotImplemented:
      return MakeError(absl::StatusCode::kUnimplemented, ErrorReason::kNotImplemented,
                       "not implemented");
    case Operation::kUnknown:
      break;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                   "The specified method is not allowed against this resource.");
}

}  // namespace sb::gateway
