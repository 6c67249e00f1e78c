// Bucket-level S3 response documents: ListAllMyBucketsResult (ListBuckets),
// LocationConstraint (GetBucketLocation) and VersioningConfiguration. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "metadata/proto/records.pb.h"

namespace sb::gateway::xml {

// ListAllMyBucketsResult with Owner (ID and DisplayName both `owner_id`) and one
// Bucket (Name, CreationDate) per record, in the given order.
std::string ListAllMyBucketsXml(std::string_view owner_id,
                                const std::vector<metadata::BucketRecord>& buckets);

// `<LocationConstraint xmlns="..."/>` for "" and "us-east-1" (S3 reports the classic region
// as empty), otherwise `<LocationConstraint xmlns="...">region</LocationConstraint>`.
std::string LocationConstraintXml(std::string_view region);
// GetBucketPolicyStatus: <PolicyStatus><IsPublic>true|false</IsPublic></PolicyStatus>.
std::string PolicyStatusXml(bool is_public);

// VersioningConfiguration (GetBucketVersioning): with <Status> unless `status` is empty
// (a bucket that never had versioning configured).
std::string VersioningConfigurationXml(std::string_view status);

}  // namespace sb::gateway::xml
