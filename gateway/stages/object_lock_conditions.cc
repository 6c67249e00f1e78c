#include "gateway/stages/object_lock_conditions.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sb::gateway {
namespace {

void Put(policy::eval::ContextMap& m, std::string_view key, std::string value) {
  m.insert_or_assign(std::string(key), std::vector<std::string>{std::move(value)});
}

}  // namespace

void AddObjectLockConditions(std::string_view mode, std::optional<absl::Time> retain_until,
                             std::string_view legal_hold, absl::Time now,
                             policy::eval::ContextMap& m) {
  if (!mode.empty()) Put(m, "s3:object-lock-mode", std::string(mode));
  if (retain_until.has_value()) {
    Put(m, "s3:object-lock-retain-until-date",
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *retain_until, absl::UTCTimeZone()));
    // Duration / Duration is the truncated quotient.
    const int64_t days = *retain_until > now ? (*retain_until - now) / absl::Hours(24) : 0;
    Put(m, "s3:object-lock-remaining-retention-days", absl::StrCat(days));
  }
  if (!legal_hold.empty()) Put(m, "s3:object-lock-legal-hold", std::string(legal_hold));
}

void AddObjectLockHeaderConditions(const RequestContext& ctx, policy::eval::ContextMap& m) {
  const std::string* mode = ctx.http.Header("x-amz-object-lock-mode");
  const std::string* until = ctx.http.Header("x-amz-object-lock-retain-until-date");
  const std::string* hold = ctx.http.Header("x-amz-object-lock-legal-hold");
  std::optional<absl::Time> t;
  if (until != nullptr) {
    absl::Time parsed;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, AsAbsl(*until), &parsed, &error)) t = parsed;
  }
  AddObjectLockConditions(mode == nullptr ? "" : *mode, t, hold == nullptr ? "" : *hold, ctx.start,
                          m);
}

}  // namespace sb::gateway
