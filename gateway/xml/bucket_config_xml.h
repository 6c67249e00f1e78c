// Bucket settings documents without a behaviour of their own in the data path:
// PublicAccessBlockConfiguration (?publicAccessBlock) and OwnershipControls
// (?ownershipControls). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "metadata/proto/records.pb.h"

namespace sb::gateway::xml {

// <PublicAccessBlockConfiguration> with the four optional booleans (absent: false).
// MalformedXML for another root or a value other than true/false.
absl::StatusOr<metadata::PublicAccessBlockConfig> ParsePublicAccessBlockConfiguration(
    std::string_view body);
std::string PublicAccessBlockConfigurationXml(const metadata::PublicAccessBlockConfig& config);

// <OwnershipControls><Rule><ObjectOwnership>X</ObjectOwnership></Rule></OwnershipControls>:
// returns X. MalformedXML unless there is exactly one rule naming one of S3's three settings
// (BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter).
absl::StatusOr<std::string> ParseOwnershipControls(std::string_view body);
std::string OwnershipControlsXml(std::string_view object_ownership);

// S3's three Object Ownership settings; the others are refused by the handlers, since
// Strongbox buckets are always BucketOwnerEnforced.
bool IsObjectOwnership(std::string_view value);

}  // namespace sb::gateway::xml
