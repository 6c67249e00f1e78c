// ServerSideEncryptionConfiguration documents (PutBucketEncryption / GetBucketEncryption):
// one rule applying SSE-S3 (AES256) or SSE-KMS (aws:kms, optional key id) by default.
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::gateway::xml {

struct EncryptionRule {
  std::string sse_algorithm;      // "AES256" or "aws:kms"
  std::string kms_master_key_id;  // aws:kms only; may be empty
  bool bucket_key_enabled = false;
};

// The GetBucketEncryption response body.
std::string ServerSideEncryptionConfigurationXml(const EncryptionRule& rule);

// Parses a PutBucketEncryption body. InvalidArgument(kMalformedXml) unless it is a
// ServerSideEncryptionConfiguration with exactly one Rule holding
// ApplyServerSideEncryptionByDefault/SSEAlgorithm; InvalidArgument(kInvalidArgument) for an
// algorithm other than AES256/aws:kms or a KMSMasterKeyID with AES256.
absl::StatusOr<EncryptionRule> ParseServerSideEncryptionConfiguration(std::string_view body);

}  // namespace sb::gateway::xml
