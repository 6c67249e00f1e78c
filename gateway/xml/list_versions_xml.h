// ListVersionsResult (ListObjectVersions). Pure, thread-safe.
#pragma once

#include <string>

#include "metadata/metadata_store.h"

namespace sb::gateway::xml {

struct ListVersionsRequest {
  std::string bucket;
  std::string prefix;
  std::string key_marker;
  std::string version_id_marker;
  std::string delimiter;
  int max_keys = 1000;
  bool url_encode = false;
};

// One Version per version and one DeleteMarker per delete marker, in the result's order
// (the two interleaved, as S3 sends them), then CommonPrefixes. VersionId is "null" for the
// null version. When truncated, NextKeyMarker / NextVersionIdMarker name the last entry.
std::string ListVersionsXml(const ListVersionsRequest& request,
                            const metadata::ListVersionsResult& result);

}  // namespace sb::gateway::xml
