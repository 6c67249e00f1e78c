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

// One Version per object record (VersionId from the record, "null" when unversioned),
// DeleteMarker entries for delete-marker records, then CommonPrefixes. When truncated,
// NextKeyMarker / NextVersionIdMarker name the last entry returned.
std::string ListVersionsXml(const ListVersionsRequest& request,
                            const metadata::ListObjectsResult& result);

}  // namespace sb::gateway::xml
