// Admin API: point-in-time restore of a bucket or prefix (gateway/point_in_time_restore.h).
//   POST /_strongbox/admin/v1/restore?bucket=B&to=T[&prefix=P][&dry-run=true]
// T is RFC 3339 (2026-11-22T06:40:00Z, fractions and offsets allowed) or unix seconds.
// Answers JSON: what was (or, for a dry run, would be) restored or deleted. The request is
// audited as one record (operation AdminRestoreBucket, bucket B, key P); the keys it changed
// are in the response, not in per-key audit records.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "common/absl_compat.h"
#include "common/clock.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"
#include "gateway/point_in_time_restore.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway {
namespace {

absl::Status BadRequest(std::string message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                   std::move(message));
}

absl::StatusOr<int64_t> ParseInstant(const std::string& text) {
  if (std::optional<int64_t> nanos = ParseInstantNanos(text)) return *nanos;
  return BadRequest("'to' must be an RFC 3339 time (e.g. 2026-11-22T06:40:00Z) or unix seconds");
}

bool IsTrue(const std::string* v) { return v != nullptr && (*v == "true" || *v == "1"); }

}  // namespace

absl::Status HandleRestoreOperation(RequestContext& ctx, Services& s) {
  RestoreRequest request;
  const std::string* bucket = ctx.req.Query("bucket");
  const std::string* to = ctx.req.Query("to");
  if (bucket == nullptr || bucket->empty()) return BadRequest("missing 'bucket'");
  if (to == nullptr || to->empty()) return BadRequest("missing 'to'");
  request.bucket = *bucket;
  SB_ASSIGN_OR_RETURN(request.to_unix_nanos, ParseInstant(*to));
  if (const std::string* p = ctx.req.Query("prefix")) request.prefix = *p;
  request.dry_run = IsTrue(ctx.req.Query("dry-run"));
  request.owner = ctx.auth.principal.user;
  SB_ASSIGN_OR_RETURN(RestoreReport report, RestoreToTime(s.objects, request));

  boost::json::array actions;
  uint64_t restored = 0;
  uint64_t deleted = 0;
  for (const RestoreAction& a : report.actions) {
    const bool is_restore = a.kind == RestoreAction::Kind::kRestoreVersion;
    (is_restore ? restored : deleted)++;
    boost::json::object o{{"key", a.key}, {"action", is_restore ? "restore" : "delete"}};
    if (is_restore) o["from_version"] = a.source_version_id;
    if (!a.new_version_id.empty()) o["version"] = a.new_version_id;
    actions.push_back(std::move(o));
  }
  boost::json::object out{{"bucket", request.bucket},
                          {"prefix", request.prefix},
                          {"to", xml::FormatS3Time(request.to_unix_nanos)},
                          {"dry_run", request.dry_run},
                          {"examined", report.keys_examined},
                          {"unchanged", report.keys_unchanged},
                          {"restored", restored},
                          {"deleted", deleted},
                          {"actions", std::move(actions)}};
  return ctx.Respond(200, {}, boost::json::serialize(out), "application/json");
}

}  // namespace sb::gateway
