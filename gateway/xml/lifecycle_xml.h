// Bucket lifecycle configuration (Put/GetBucketLifecycleConfiguration) and which rules apply
// to an object. Expiration by days or date, ExpiredObjectDeleteMarker,
// NoncurrentVersionExpiration and AbortIncompleteMultipartUpload; transitions (storage
// tiers) are NotImplemented. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::gateway::xml {

struct LifecycleRule {
  std::string id;
  bool enabled = false;
  // The filter: a legacy rule-level <Prefix> (legacy_prefix) or a <Filter> with a prefix,
  // tags and object-size bounds (all must match).
  bool legacy_prefix = false;
  std::string prefix;
  std::map<std::string, std::string> tags;
  std::optional<uint64_t> size_greater_than;
  std::optional<uint64_t> size_less_than;
  // Actions.
  std::optional<int64_t> expiration_days;
  std::optional<int64_t> expiration_date_unix;  // midnight UTC, seconds
  bool expired_object_delete_marker = false;
  std::optional<int64_t> noncurrent_days;
  std::optional<int64_t> newer_noncurrent_versions;
  std::optional<int64_t> abort_incomplete_days;
};

inline constexpr size_t kMaxLifecycleRules = 1000;

// PutBucketLifecycleConfiguration's body, as S3 validates it: MalformedXML for bad XML, a
// Status other than Enabled/Disabled, a rule without an action, Days and Date together, or
// Date with ExpiredObjectDeleteMarker; InvalidArgument for an ID over 255 characters,
// duplicate IDs, more than 1000 rules, a non-positive day count, or a Date that is not
// midnight UTC; NotImplemented for transitions. Rules without an ID get a generated one.
absl::StatusOr<std::vector<LifecycleRule>> ParseLifecycleConfiguration(std::string_view body);

// GetBucketLifecycleConfiguration's body (the rules as they were put).
std::string LifecycleConfigurationXml(const std::vector<LifecycleRule>& rules);

// Whether `rule`'s filter selects an object with this key, size and tags.
bool LifecycleFilterMatches(const LifecycleRule& rule, std::string_view key, uint64_t size,
                            const std::map<std::string, std::string>& tags);

}  // namespace sb::gateway::xml
