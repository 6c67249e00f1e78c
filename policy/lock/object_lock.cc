#include "policy/lock/object_lock.h"

#include "common/error_reason.h"

namespace sb::policy::lock {
namespace {

absl::Status Protected() {
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                   "Access Denied because object protected by object lock.");
}

absl::Time RetainUntil(const metadata::ObjectRecord& version) {
  return absl::FromUnixNanos(version.lock_retain_until_unix_nanos());
}

}  // namespace

bool RetentionActive(const metadata::ObjectRecord& version, absl::Time now) {
  return version.lock_mode() != metadata::LOCK_MODE_NONE && RetainUntil(version) > now;
}

bool IsLocked(const metadata::ObjectRecord& version, absl::Time now) {
  return version.legal_hold() || RetentionActive(version, now);
}

absl::Status CheckVersionRemovable(const metadata::ObjectRecord& version, absl::Time now,
                                   LockOverride override) {
  if (version.legal_hold()) return Protected();
  if (!RetentionActive(version, now)) return absl::OkStatus();
  if (version.lock_mode() == metadata::LOCK_MODE_GOVERNANCE && override.bypass_governance) {
    return absl::OkStatus();
  }
  return Protected();
}

absl::Status CheckBucketRemovable(const metadata::ObjectRecord& version, absl::Time now) {
  if (!IsLocked(version, now)) return absl::OkStatus();
  return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kInvalidBucketState,
                   "The bucket holds object versions protected by Object Lock.");
}

absl::Status CheckRetentionChange(const metadata::ObjectRecord& current, metadata::LockMode mode,
                                  absl::Time until, absl::Time now, LockOverride override) {
  if (!RetentionActive(current, now)) return absl::OkStatus();
  const bool same_mode = mode == current.lock_mode();
  const bool not_shorter = until >= RetainUntil(current);
  if (current.lock_mode() == metadata::LOCK_MODE_COMPLIANCE) {
    return same_mode && not_shorter ? absl::OkStatus() : Protected();
  }
  // Active GOVERNANCE: extending is free; anything else needs the bypass.
  if ((same_mode && not_shorter) || override.bypass_governance) return absl::OkStatus();
  return Protected();
}

absl::Status ValidateDefaultRule(const metadata::LockRetentionRule& rule) {
  if (rule.mode() == metadata::LOCK_MODE_NONE) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema");
  }
  const bool has_days = rule.days() != 0;
  const bool has_years = rule.years() != 0;
  if (has_days && has_years) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema");
  }
  if ((!has_days && !has_years) || rule.days() < 0 || rule.years() < 0 ||
      rule.days() > kMaxRetentionDays || rule.years() > kMaxRetentionYears) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRetentionPeriod,
                     "Default retention period must be a positive integer value.");
  }
  return absl::OkStatus();
}

absl::Time DefaultRetainUntil(const metadata::LockRetentionRule& rule, absl::Time created) {
  const int64_t days = rule.days() > 0 ? rule.days() : int64_t{rule.years()} * 365;
  return created + absl::Hours(24 * days);
}

void ApplyDefaultRetention(const metadata::BucketRecord& bucket, absl::Time created,
                           metadata::ObjectRecord& version) {
  if (version.delete_marker() || !bucket.object_lock_enabled() ||
      version.lock_mode() != metadata::LOCK_MODE_NONE || !bucket.has_object_lock_default() ||
      bucket.object_lock_default().mode() == metadata::LOCK_MODE_NONE) {
    return;
  }
  version.set_lock_mode(bucket.object_lock_default().mode());
  version.set_lock_retain_until_unix_nanos(
      absl::ToUnixNanos(DefaultRetainUntil(bucket.object_lock_default(), created)));
}

const char* LockModeName(metadata::LockMode mode) {
  switch (mode) {
    case metadata::LOCK_MODE_GOVERNANCE:
      return "GOVERNANCE";
    case metadata::LOCK_MODE_COMPLIANCE:
      return "COMPLIANCE";
    default:
      return "";
  }
}

std::optional<metadata::LockMode> ParseLockMode(std::string_view name) {
  if (name == "GOVERNANCE") return metadata::LOCK_MODE_GOVERNANCE;
  if (name == "COMPLIANCE") return metadata::LOCK_MODE_COMPLIANCE;
  return std::nullopt;
}

}  // namespace sb::policy::lock
