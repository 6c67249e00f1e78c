// Object Lock (WORM) rules: whether a version may be removed now, whether its retention may
// be replaced, and what a bucket's default retention gives a new version. Pure functions
// over metadata records and a time the caller reads from its Clock; no I/O.
//
// Every path that removes object versions (S3 DeleteObject?versionId, DeleteObjects, and
// later lifecycle expiry) must ask CheckVersionRemovable, and every path that removes a
// bucket with its contents (the admin API) must ask CheckBucketRemovable for each version,
// so the rule lives here only once. Errors are PermissionDenied(kAccessDenied): S3 answers a
// locked delete with 403 AccessDenied.
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "metadata/proto/records.pb.h"

namespace sb::policy::lock {

// The longest default retention S3 accepts (InvalidRetentionPeriod beyond it).
inline constexpr int kMaxRetentionDays = 36500;
inline constexpr int kMaxRetentionYears = 100;

// What the caller may override. `bypass_governance` is true only when the request carries
// `x-amz-bypass-governance-retention: true` AND the principal holds
// s3:BypassGovernanceRetention; COMPLIANCE and legal holds can never be overridden.
struct LockOverride {
  bool bypass_governance = false;
};

// True while `version`'s retention has not passed (mode set and retain-until after `now`).
bool RetentionActive(const metadata::ObjectRecord& version, absl::Time now);

// True while anything protects `version`: an active retention or a legal hold.
bool IsLocked(const metadata::ObjectRecord& version, absl::Time now);

// May `version` (a data version or delete marker) be removed for good at `now`? A legal
// hold always refuses; an active COMPLIANCE retention always refuses (root included); an
// active GOVERNANCE retention refuses unless `override.bypass_governance`.
// OK or PermissionDenied(kAccessDenied).
absl::Status CheckVersionRemovable(const metadata::ObjectRecord& version, absl::Time now,
                                   LockOverride override = {});

// May a bucket holding `version` be removed with its contents? Like CheckVersionRemovable
// without any override: a GOVERNANCE bypass applies to one request on one version, never to
// a whole-bucket removal. FailedPrecondition(kInvalidBucketState) when locked.
absl::Status CheckBucketRemovable(const metadata::ObjectRecord& version, absl::Time now);

// May `current`'s retention become (`mode`, `until`)? LOCK_MODE_NONE removes it. While a
// COMPLIANCE retention is active, only the same mode with an equal or later date is
// allowed; while a GOVERNANCE one is active, a shorter date or removal needs the bypass
// (a move to COMPLIANCE with an equal or later date does not). An expired retention can be
// replaced freely. OK or PermissionDenied(kAccessDenied).
absl::Status CheckRetentionChange(const metadata::ObjectRecord& current, metadata::LockMode mode,
                                  absl::Time until, absl::Time now, LockOverride override = {});

// Validates a default retention rule (PutObjectLockConfiguration): a mode, and exactly one
// of days/years, positive and within S3's limits. InvalidArgument(kMalformedXml) for a
// missing mode or both/neither period, InvalidArgument(kInvalidRetentionPeriod) for a
// non-positive or too long one.
absl::Status ValidateDefaultRule(const metadata::LockRetentionRule& rule);

// The retain-until instant a new version created at `created` gets from `rule` (Years
// count as 365 days, as S3 computes them). Requires a valid rule.
absl::Time DefaultRetainUntil(const metadata::LockRetentionRule& rule, absl::Time created);

// Fills `version`'s retention from `bucket`'s default rule, unless the version already
// names a mode or the bucket has no default. Does nothing for a delete marker.
void ApplyDefaultRetention(const metadata::BucketRecord& bucket, absl::Time created,
                           metadata::ObjectRecord& version);

// "GOVERNANCE" / "COMPLIANCE" and back (nullopt for anything else, case-sensitive as S3).
const char* LockModeName(metadata::LockMode mode);
std::optional<metadata::LockMode> ParseLockMode(std::string_view name);

}  // namespace sb::policy::lock
