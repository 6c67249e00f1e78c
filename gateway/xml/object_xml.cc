#include "gateway/xml/object_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

std::string CopyResult(std::string_view root, int64_t last_modified_unix_nanos,
                       std::string_view etag) {
  XmlBuilder b(256);
  b.Declaration();
  b.OpenRoot(root);
  b.TimeElement("LastModified", last_modified_unix_nanos);
  b.ETagElement("ETag", etag);
  b.Close(root);
  return b.Finish();
}

}  // namespace

std::string CopyObjectResultXml(int64_t last_modified_unix_nanos, std::string_view etag) {
  return CopyResult("CopyObjectResult", last_modified_unix_nanos, etag);
}

std::string CopyPartResultXml(int64_t last_modified_unix_nanos, std::string_view etag) {
  return CopyResult("CopyPartResult", last_modified_unix_nanos, etag);
}

std::string PostResponseXml(std::string_view location, std::string_view bucket,
                            std::string_view key, std::string_view etag) {
  XmlBuilder b(256 + location.size() + bucket.size() + key.size());
  b.Declaration();
  b.OpenRoot("PostResponse");
  b.Element("Location", location);
  b.Element("Bucket", bucket);
  b.Element("Key", key);
  b.ETagElement("ETag", etag);
  b.Close("PostResponse");
  return b.Finish();
}

std::string TaggingXml(const std::vector<std::pair<std::string, std::string>>& tags) {
  XmlBuilder b(128 + tags.size() * 96);
  b.Declaration();
  b.OpenRoot("Tagging");
  b.Open("TagSet");
  for (const auto& [key, value] : tags) {
    b.Open("Tag");
    b.Element("Key", key);
    b.Element("Value", value);
    b.Close("Tag");
  }
  b.Close("TagSet");
  b.Close("Tagging");
  return b.Finish();
}

std::string DeleteResultXml(const std::vector<DeletedEntry>& deleted,
                            const std::vector<DeleteErrorEntry>& errors, bool quiet) {
  size_t estimate = 256;
  if (!quiet) {
    for (const auto& entry : deleted) estimate += 64 + 2 * entry.key.size();
  }
  for (const auto& entry : errors) estimate += 96 + 2 * entry.key.size() + entry.message.size();
  XmlBuilder b(estimate);
  b.Declaration();
  b.OpenRoot("DeleteResult");
  if (!quiet) {
    for (const auto& entry : deleted) {
      b.Open("Deleted");
      b.Element("Key", entry.key);
      if (!entry.version_id.empty()) b.Element("VersionId", entry.version_id);
      if (entry.delete_marker) {
        b.Element("DeleteMarker", true);
        if (!entry.delete_marker_version_id.empty()) {
          b.Element("DeleteMarkerVersionId", entry.delete_marker_version_id);
        }
      }
      b.Close("Deleted");
    }
  }
  for (const auto& entry : errors) {
    b.Open("Error");
    b.Element("Key", entry.key);
    if (!entry.version_id.empty()) b.Element("VersionId", entry.version_id);
    b.Element("Code", entry.code);
    b.Element("Message", entry.message);
    b.Close("Error");
  }
  b.Close("DeleteResult");
  return b.Finish();
}

}  // namespace sb::gateway::xml
