#include "policy/bucket_policy.h"

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"

namespace sb::policy {

absl::StatusOr<eval::Policy> ParseBucketPolicy(std::string_view document) {
  eval::ParseOptions options;
  options.kind = eval::PolicyKind::kBucket;
  options.max_size_bytes = kMaxBucketPolicyBytes;
  absl::StatusOr<eval::Policy> parsed = eval::ParsePolicy(document, options);
  if (!parsed.ok()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedPolicy,
                     AsStd(parsed.status().message()));
  }
  return parsed;
}

absl::StatusOr<std::shared_ptr<const eval::Policy>> BucketPolicyCache::Get(
    std::string_view bucket) const {
  absl::StatusOr<metadata::BucketRecord> record = meta_.GetBucket(bucket);
  if (!record.ok()) {
    if (GetReason(record.status()) == ErrorReason::kNoSuchBucket) return nullptr;
    return record.status();
  }
  if (record->policy().empty()) return nullptr;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(AsAbsl(bucket));
    if (it != cache_.end() && it->second.document == record->policy()) return it->second.parsed;
  }
  absl::StatusOr<eval::Policy> parsed = ParseBucketPolicy(record->policy());
  if (!parsed.ok()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     absl::StrCat("the stored policy of bucket ", AsAbsl(bucket),
                                  " does not parse: ", parsed.status().message()));
  }
  auto shared = std::make_shared<const eval::Policy>(*std::move(parsed));
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxEntries) cache_.clear();
  cache_.insert_or_assign(std::string(bucket), Entry{record->policy(), shared});
  return shared;
}

}  // namespace sb::policy
