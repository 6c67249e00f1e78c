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

namespace {

// A condition that limits a grant to callers with fixed attributes (not "*").
bool PinsTheCaller(const eval::Condition& condition) {
  static constexpr std::string_view kFixedKeys[] = {
      "aws:SourceIp",       "aws:SourceVpc",   "aws:SourceVpce",       "aws:SourceAccount",
      "aws:SourceArn",      "aws:SourceOwner", "aws:PrincipalAccount", "aws:PrincipalArn",
      "aws:PrincipalOrgID", "aws:userid",      "aws:username"};
  const eval::OperatorSpec& spec = condition.spec();
  if (spec.if_exists || eval::IsNegated(spec.op) || spec.op == eval::ConditionOp::kNull) {
    return false;
  }
  bool fixed_key = false;
  for (std::string_view key : kFixedKeys) {
    fixed_key = fixed_key || eval::CaseInsensitiveEq()(key, condition.key());
  }
  if (!fixed_key) return false;
  for (const std::string& value : condition.values()) {
    if (value.find('*') != std::string::npos || value == "0.0.0.0/0" || value == "::/0") {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsPublicPolicy(const eval::Policy& policy) {
  for (const eval::Statement& st : policy.statements) {
    if (st.effect != eval::Effect::kAllow || !st.principal.has_value()) continue;
    if (!st.not_principal && !st.principal->any) continue;
    bool pinned = false;
    for (const eval::Condition& condition : st.conditions)
      pinned = pinned || PinsTheCaller(condition);
    if (!pinned) return true;
  }
  return false;
}

absl::StatusOr<std::shared_ptr<const eval::Policy>> BucketPolicyCache::Get(std::string_view bucket,
                                                                           bool anonymous) const {
  absl::StatusOr<metadata::BucketRecord> record = meta_.GetBucket(bucket);
  if (!record.ok()) {
    if (GetReason(record.status()) == ErrorReason::kNoSuchBucket) return nullptr;
    return record.status();
  }
  if (record->policy().empty()) return nullptr;
  const bool restricted = anonymous && record->public_access_block().restrict_public_buckets();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(AsAbsl(bucket));
    if (it != cache_.end() && it->second.document == record->policy()) {
      if (restricted && it->second.is_public) return nullptr;
      return it->second.parsed;
    }
  }
  absl::StatusOr<eval::Policy> parsed = ParseBucketPolicy(record->policy());
  if (!parsed.ok()) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     absl::StrCat("the stored policy of bucket ", AsAbsl(bucket),
                                  " does not parse: ", parsed.status().message()));
  }
  auto shared = std::make_shared<const eval::Policy>(*std::move(parsed));
  const bool is_public = IsPublicPolicy(*shared);
  {
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= kMaxEntries) cache_.clear();
    cache_.insert_or_assign(std::string(bucket), Entry{record->policy(), shared, is_public});
  }
  if (restricted && is_public) return nullptr;
  return shared;
}

}  // namespace sb::policy
