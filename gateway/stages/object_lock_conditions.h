// AWS's Object Lock condition keys: s3:object-lock-mode, s3:object-lock-retain-until-date,
// s3:object-lock-remaining-retention-days and s3:object-lock-legal-hold. Present only when
// the request states them: from the x-amz-object-lock-* headers (PutObject, CopyObject,
// CreateMultipartUpload; RequestConditions adds them) or from a PutObjectRetention /
// PutObjectLegalHold body (the Object Lock handlers authorize those once it is parsed).
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "gateway/request_context.h"
#include "policy/eval/context.h"

namespace sb::gateway {

// Adds the keys for what is given (empty mode / legal hold, nullopt date: left out). The
// remaining retention is in whole days from `now`, rounded down, never negative.
void AddObjectLockConditions(std::string_view mode, std::optional<absl::Time> retain_until,
                             std::string_view legal_hold, absl::Time now,
                             policy::eval::ContextMap& m);

// The same keys from the request's x-amz-object-lock-* headers, `now` = the request's start.
// A date that does not parse is left out (the handler refuses it; a condition on a missing
// key fails closed).
void AddObjectLockHeaderConditions(const RequestContext& ctx, policy::eval::ContextMap& m);

}  // namespace sb::gateway
