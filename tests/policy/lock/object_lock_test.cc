// Object Lock rules: who may remove a version or change its retention, and when.
#include "policy/lock/object_lock.h"

#include "common/error_reason.h"
#include "gtest/gtest.h"

namespace sb::policy::lock {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'900'000'000);

metadata::ObjectRecord Version(metadata::LockMode mode, absl::Duration remaining,
                               bool hold = false) {
  metadata::ObjectRecord v;
  v.set_key("k");
  v.set_version_id("v1");
  v.set_lock_mode(mode);
  v.set_lock_retain_until_unix_nanos(absl::ToUnixNanos(kNow + remaining));
  v.set_legal_hold(hold);
  return v;
}

bool Denied(const absl::Status& s) {
  return s.code() == absl::StatusCode::kPermissionDenied &&
         GetReason(s) == ErrorReason::kAccessDenied;
}

TEST(ObjectLockTest, UnlockedAndExpiredVersionsAreRemovable) {
  metadata::ObjectRecord plain;
  EXPECT_TRUE(CheckVersionRemovable(plain, kNow).ok());
  EXPECT_TRUE(
      CheckVersionRemovable(Version(metadata::LOCK_MODE_COMPLIANCE, -absl::Seconds(1)), kNow).ok());
  // The instant retention ends, the version is free.
  EXPECT_TRUE(
      CheckVersionRemovable(Version(metadata::LOCK_MODE_COMPLIANCE, absl::ZeroDuration()), kNow)
          .ok());
  EXPECT_FALSE(IsLocked(plain, kNow));
}

TEST(ObjectLockTest, ComplianceRefusesEvenWithBypass) {
  auto v = Version(metadata::LOCK_MODE_COMPLIANCE, absl::Hours(1));
  EXPECT_TRUE(Denied(CheckVersionRemovable(v, kNow)));
  EXPECT_TRUE(Denied(CheckVersionRemovable(v, kNow, {.bypass_governance = true})));
  EXPECT_TRUE(IsLocked(v, kNow));
}

TEST(ObjectLockTest, GovernanceNeedsBypass) {
  auto v = Version(metadata::LOCK_MODE_GOVERNANCE, absl::Hours(1));
  EXPECT_TRUE(Denied(CheckVersionRemovable(v, kNow)));
  EXPECT_TRUE(CheckVersionRemovable(v, kNow, {.bypass_governance = true}).ok());
}

TEST(ObjectLockTest, LegalHoldRefusesWhateverTheRetention) {
  auto v = Version(metadata::LOCK_MODE_NONE, absl::ZeroDuration(), true);
  EXPECT_TRUE(Denied(CheckVersionRemovable(v, kNow)));
  EXPECT_TRUE(Denied(CheckVersionRemovable(v, kNow, {.bypass_governance = true})));
  v.set_legal_hold(false);
  EXPECT_TRUE(CheckVersionRemovable(v, kNow).ok());
}

TEST(ObjectLockTest, BucketRemovalRefusedWhileAnyLockHolds) {
  auto gov = Version(metadata::LOCK_MODE_GOVERNANCE, absl::Hours(1));
  absl::Status s = CheckBucketRemovable(gov, kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetReason(s), ErrorReason::kInvalidBucketState);
  EXPECT_TRUE(
      CheckBucketRemovable(Version(metadata::LOCK_MODE_GOVERNANCE, -absl::Hours(1)), kNow).ok());
  EXPECT_FALSE(
      CheckBucketRemovable(Version(metadata::LOCK_MODE_NONE, absl::ZeroDuration(), true), kNow)
          .ok());
}

TEST(ObjectLockTest, ComplianceRetentionCanOnlyBeExtended) {
  auto v = Version(metadata::LOCK_MODE_COMPLIANCE, absl::Hours(2));
  const absl::Time until = kNow + absl::Hours(2);
  EXPECT_TRUE(CheckRetentionChange(v, metadata::LOCK_MODE_COMPLIANCE, until, kNow).ok());
  EXPECT_TRUE(
      CheckRetentionChange(v, metadata::LOCK_MODE_COMPLIANCE, until + absl::Hours(1), kNow).ok());
  EXPECT_TRUE(
      Denied(CheckRetentionChange(v, metadata::LOCK_MODE_COMPLIANCE, until - absl::Seconds(1), kNow,
                                  {.bypass_governance = true})));
  EXPECT_TRUE(Denied(CheckRetentionChange(v, metadata::LOCK_MODE_GOVERNANCE, until + absl::Hours(1),
                                          kNow, {.bypass_governance = true})));
}

TEST(ObjectLockTest, GovernanceShorteningOrModeChangeNeedsBypass) {
  auto v = Version(metadata::LOCK_MODE_GOVERNANCE, absl::Hours(2));
  const absl::Time until = kNow + absl::Hours(2);
  EXPECT_TRUE(
      CheckRetentionChange(v, metadata::LOCK_MODE_GOVERNANCE, until + absl::Hours(1), kNow).ok());
  EXPECT_TRUE(Denied(
      CheckRetentionChange(v, metadata::LOCK_MODE_GOVERNANCE, until - absl::Hours(1), kNow)));
  EXPECT_TRUE(Denied(CheckRetentionChange(v, metadata::LOCK_MODE_COMPLIANCE, until, kNow)));
  EXPECT_TRUE(CheckRetentionChange(v, metadata::LOCK_MODE_GOVERNANCE, until - absl::Hours(1), kNow,
                                   {.bypass_governance = true})
                  .ok());
  EXPECT_TRUE(CheckRetentionChange(v, metadata::LOCK_MODE_COMPLIANCE, until, kNow,
                                   {.bypass_governance = true})
                  .ok());
}

TEST(ObjectLockTest, ExpiredRetentionIsReplacedFreely) {
  auto v = Version(metadata::LOCK_MODE_COMPLIANCE, -absl::Hours(1));
  EXPECT_TRUE(
      CheckRetentionChange(v, metadata::LOCK_MODE_GOVERNANCE, kNow + absl::Hours(1), kNow).ok());
}

TEST(ObjectLockTest, DefaultRuleValidation) {
  metadata::LockRetentionRule rule;
  rule.set_mode(metadata::LOCK_MODE_GOVERNANCE);
  rule.set_days(1);
  EXPECT_TRUE(ValidateDefaultRule(rule).ok());
  rule.set_years(1);
  EXPECT_EQ(GetReason(ValidateDefaultRule(rule)), ErrorReason::kMalformedXml);
  rule.set_days(0);
  EXPECT_TRUE(ValidateDefaultRule(rule).ok());
  rule.set_years(-1);
  EXPECT_EQ(GetReason(ValidateDefaultRule(rule)), ErrorReason::kInvalidRetentionPeriod);
  rule.set_years(0);
  EXPECT_EQ(GetReason(ValidateDefaultRule(rule)), ErrorReason::kInvalidRetentionPeriod);
  rule.set_days(kMaxRetentionDays + 1);
  EXPECT_EQ(GetReason(ValidateDefaultRule(rule)), ErrorReason::kInvalidRetentionPeriod);
  rule.set_days(1);
  rule.set_mode(metadata::LOCK_MODE_NONE);
  EXPECT_EQ(GetReason(ValidateDefaultRule(rule)), ErrorReason::kMalformedXml);
}

TEST(ObjectLockTest, DefaultRetentionFillsOnlyUnnamedVersionsOfLockedBuckets) {
  metadata::BucketRecord bucket;
  bucket.set_object_lock_enabled(true);
  bucket.mutable_object_lock_default()->set_mode(metadata::LOCK_MODE_COMPLIANCE);
  bucket.mutable_object_lock_default()->set_years(1);
  metadata::ObjectRecord v;
  ApplyDefaultRetention(bucket, kNow, v);
  EXPECT_EQ(v.lock_mode(), metadata::LOCK_MODE_COMPLIANCE);
  EXPECT_EQ(absl::FromUnixNanos(v.lock_retain_until_unix_nanos()), kNow + absl::Hours(24 * 365));

  metadata::ObjectRecord named = Version(metadata::LOCK_MODE_GOVERNANCE, absl::Hours(1));
  ApplyDefaultRetention(bucket, kNow, named);
  EXPECT_EQ(named.lock_mode(), metadata::LOCK_MODE_GOVERNANCE);

  metadata::ObjectRecord marker;
  marker.set_delete_marker(true);
  ApplyDefaultRetention(bucket, kNow, marker);
  EXPECT_EQ(marker.lock_mode(), metadata::LOCK_MODE_NONE);

  bucket.set_object_lock_enabled(false);
  metadata::ObjectRecord other;
  ApplyDefaultRetention(bucket, kNow, other);
  EXPECT_EQ(other.lock_mode(), metadata::LOCK_MODE_NONE);
}

TEST(ObjectLockTest, ModeNamesAreCaseSensitive) {
  EXPECT_EQ(ParseLockMode("GOVERNANCE"), metadata::LOCK_MODE_GOVERNANCE);
  EXPECT_EQ(ParseLockMode("COMPLIANCE"), metadata::LOCK_MODE_COMPLIANCE);
  EXPECT_FALSE(ParseLockMode("governance").has_value());
  EXPECT_FALSE(ParseLockMode("abc").has_value());
  EXPECT_STREQ(LockModeName(metadata::LOCK_MODE_COMPLIANCE), "COMPLIANCE");
}

}  // namespace
}  // namespace sb::policy::lock
