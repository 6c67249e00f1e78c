// Object Lock documents: ObjectLockConfiguration (Put/GetObjectLockConfiguration), Retention
// (Put/GetObjectRetention) and LegalHold (Put/GetObjectLegalHold). Pure, thread-safe. The
// parsers check the document's shape; the values' meaning (modes, periods, dates) is checked
// by the handlers against policy/lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sb::gateway::xml {

struct ObjectLockConfiguration {
  bool has_rule = false;  // a Rule/DefaultRetention element is present
  std::string mode;       // DefaultRetention/Mode, verbatim
  int32_t days = 0;       // 0 when absent
  int32_t years = 0;
};

struct ObjectRetention {
  // An empty <Retention/> (no Mode, no RetainUntilDate): remove the retention (S3 allows it
  // for GOVERNANCE with the bypass, and for an expired one).
  bool remove = false;
  std::string mode;         // verbatim
  absl::Time retain_until;  // RetainUntilDate (ISO 8601 / RFC 3339)
};

// GetObjectLockConfiguration's body: ObjectLockEnabled=Enabled and, if `config.has_rule`,
// the default retention (Days or Years, whichever is non-zero).
std::string ObjectLockConfigurationXml(const ObjectLockConfiguration& config);

// Parses a PutObjectLockConfiguration body. InvalidArgument(kMalformedXml) unless the root
// is ObjectLockConfiguration with ObjectLockEnabled exactly "Enabled", at most one Rule with
// one DefaultRetention holding one Mode and integer Days/Years (at most one of each).
absl::StatusOr<ObjectLockConfiguration> ParseObjectLockConfiguration(std::string_view body);

// GetObjectRetention's body (RetainUntilDate with milliseconds, UTC "Z").
std::string RetentionXml(std::string_view mode, absl::Time retain_until);

// Parses a PutObjectRetention body: Retention with one Mode and one RetainUntilDate.
// InvalidArgument(kMalformedXml) otherwise, also for a date that is not RFC 3339.
absl::StatusOr<ObjectRetention> ParseRetention(std::string_view body);

// GetObjectLegalHold's body.
std::string LegalHoldXml(bool on);

// Parses a PutObjectLegalHold body: LegalHold/Status "ON" or "OFF" (returns true for ON).
// InvalidArgument(kMalformedXml) otherwise.
absl::StatusOr<bool> ParseLegalHold(std::string_view body);

// RetainUntilDate's text form: "2030-01-01T00:00:00.000Z".
std::string FormatRetainUntil(absl::Time t);

}  // namespace sb::gateway::xml
