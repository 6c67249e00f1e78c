// Bucket policies: validation of a PutBucketPolicy document, and a cache of parsed policies
// keyed by bucket that re-reads the bucket record on every call (so a new or deleted policy
// applies from the next request) but parses a document only when it changed.
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "metadata/metadata_store.h"
#include "policy/eval/policy.h"

namespace sb::policy {

// AWS: a bucket policy is at most 20 KiB.
inline constexpr size_t kMaxBucketPolicyBytes = 20 * 1024;

// Parses a bucket policy. InvalidArgument(kMalformedPolicy) with the parser's message if it
// is not a valid bucket policy (S3's MalformedPolicy), including a statement without a
// Principal and documents over kMaxBucketPolicyBytes.
absl::StatusOr<eval::Policy> ParseBucketPolicy(std::string_view document);

// GetBucketPolicyStatus' IsPublic, after AWS's rule: a policy is public if some Allow
// statement grants to everyone (Principal "*", or NotPrincipal) without a condition that
// pins the caller to fixed values (aws:SourceIp, aws:SourceVpc(e), aws:SourceAccount,
// aws:SourceArn, aws:SourceOwner, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID,
// aws:userid, aws:username). Wildcard values in those conditions still count as public.
bool IsPublicPolicy(const eval::Policy& policy);

class BucketPolicyCache {
 public:
  // `meta` must outlive the cache.
  explicit BucketPolicyCache(metadata::MetadataStore& meta) : meta_(meta) {}

  // The parsed policy of `bucket`; nullptr if the bucket has none or does not exist, and for
  // an `anonymous` caller when the policy is public and the bucket's public access block has
  // RestrictPublicBuckets (S3: then only the account's own principals get a public policy's
  // grants). Metadata errors are returned as is; DataLoss(kDataCorrupted) if the stored
  // document no longer parses.
  absl::StatusOr<std::shared_ptr<const eval::Policy>> Get(std::string_view bucket,
                                                          bool anonymous = false) const;

 private:
  struct Entry {
    std::string document;
    std::shared_ptr<const eval::Policy> parsed;
    bool is_public = false;
  };
  // Entries for deleted buckets are dropped by clearing the cache when it reaches this size.
  static constexpr size_t kMaxEntries = 4096;

  metadata::MetadataStore& meta_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sb::policy
