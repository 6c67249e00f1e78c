#include "gateway/xml/list_versions_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

std::string ListVersionsXml(const ListVersionsRequest& request,
                            const metadata::ListVersionsResult& result) {
  const bool encode = request.url_encode;
  XmlBuilder b(512 + result.versions.size() * 384);
  b.Declaration();
  b.OpenRoot("ListVersionsResult");
  b.Element("Name", request.bucket);
  b.KeyElement("Prefix", request.prefix, encode);
  b.KeyElement("KeyMarker", request.key_marker, encode);
  b.Element("VersionIdMarker", request.version_id_marker);
  if (result.is_truncated) {
    b.KeyElement("NextKeyMarker", result.next_key_marker, encode);
    b.Element("NextVersionIdMarker", result.next_version_id_marker);
  }
  b.Element("MaxKeys", request.max_keys);
  if (!request.delimiter.empty()) b.KeyElement("Delimiter", request.delimiter, encode);
  if (encode) b.Element("EncodingType", "url");
  b.Element("IsTruncated", result.is_truncated);
  for (const auto& entry : result.versions) {
    const metadata::ObjectRecord& o = entry.record;
    const bool marker = o.delete_marker();
    b.Open(marker ? "DeleteMarker" : "Version");
    b.KeyElement("Key", o.key(), encode);
    b.Element("VersionId", o.version_id().empty() ? "null" : o.version_id());
    b.Element("IsLatest", entry.is_latest);
    b.TimeElement("LastModified", o.last_modified_unix_nanos());
    if (!marker) {
      b.ETagElement("ETag", o.etag());
      b.Element("Size", o.size());
      b.Element("StorageClass", o.storage_class().empty() ? "STANDARD" : o.storage_class());
    }
    b.OwnerElement("Owner", o.owner());
    b.Close(marker ? "DeleteMarker" : "Version");
  }
  for (const auto& p : result.common_prefixes) {
    b.Open("CommonPrefixes");
    b.KeyElement("Prefix", p, encode);
    b.Close("CommonPrefixes");
  }
  b.Close("ListVersionsResult");
  return b.Finish();
}

}  // namespace sb::gateway::xml
