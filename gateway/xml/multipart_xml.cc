#include "gateway/xml/multipart_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

std::string_view StorageClassOf(const metadata::UploadRecord& upload) {
  const std::string& sc = upload.object_template().storage_class();
  return sc.empty() ? std::string_view("STANDARD") : std::string_view(sc);
}

}  // namespace

std::string InitiateMultipartUploadXml(std::string_view bucket, std::string_view key,
                                       std::string_view upload_id) {
  XmlBuilder b(256 + bucket.size() + key.size() + upload_id.size());
  b.Declaration();
  b.OpenRoot("InitiateMultipartUploadResult");
  b.Element("Bucket", bucket);
  b.Element("Key", key);
  b.Element("UploadId", upload_id);
  b.Close("InitiateMultipartUploadResult");
  return b.Finish();
}

std::string CompleteMultipartUploadXml(std::string_view location, std::string_view bucket,
                                       std::string_view key, std::string_view etag,
                                       std::string_view checksum_algorithm,
                                       std::string_view checksum, std::string_view checksum_type) {
  XmlBuilder b(400 + location.size() + bucket.size() + key.size());
  b.Declaration();
  b.OpenRoot("CompleteMultipartUploadResult");
  b.Element("Location", location);
  b.Element("Bucket", bucket);
  b.Element("Key", key);
  b.ETagElement("ETag", etag);
  if (!checksum_algorithm.empty() && !checksum.empty()) {
    b.Element(std::string("Checksum") + std::string(checksum_algorithm), checksum);
    b.Element("ChecksumType", checksum_type);
  }
  b.Close("CompleteMultipartUploadResult");
  return b.Finish();
}

std::string ListPartsXml(const metadata::UploadRecord& upload, uint32_t part_number_marker,
                         int max_parts, const metadata::ListPartsResult& result) {
  XmlBuilder b(640 + upload.key().size() + result.parts.size() * 200);
  b.Declaration();
  b.OpenRoot("ListPartsResult");
  b.Element("Bucket", upload.bucket());
  b.Element("Key", upload.key());
  b.Element("UploadId", upload.upload_id());
  b.OwnerElement("Initiator", upload.owner());
  b.OwnerElement("Owner", upload.owner());
  b.Element("StorageClass", StorageClassOf(upload));
  b.Element("PartNumberMarker", part_number_marker);
  uint32_t next_marker = result.parts.empty() ? 0 : result.parts.back().part_number();
  if (result.is_truncated && result.next_part_number_marker != 0) {
    next_marker = result.next_part_number_marker;
  }
  b.Element("NextPartNumberMarker", next_marker);
  b.Element("MaxParts", max_parts);
  b.Element("IsTruncated", result.is_truncated);
  for (const auto& part : result.parts) {
    b.Open("Part");
    b.Element("PartNumber", part.part_number());
    b.TimeElement("LastModified", upload.initiated_unix_nanos());
    b.ETagElement("ETag", part.etag());
    b.Element("Size", part.size());
    b.Close("Part");
  }
  b.Close("ListPartsResult");
  return b.Finish();
}

std::string ListMultipartUploadsXml(const ListUploadsRequest& request,
                                    const metadata::ListUploadsResult& result) {
  const bool encode = request.url_encode;
  size_t estimate = 640;
  for (const auto& upload : result.uploads) estimate += 480 + 2 * upload.key().size();
  for (const auto& prefix : result.common_prefixes) estimate += 64 + 2 * prefix.size();
  XmlBuilder b(estimate);
  b.Declaration();
  b.OpenRoot("ListMultipartUploadsResult");
  b.Element("Bucket", request.bucket);
  b.KeyElement("KeyMarker", request.key_marker, encode);
  b.Element("UploadIdMarker", request.upload_id_marker);
  b.KeyElement("NextKeyMarker", result.next_key_marker, encode);
  b.Element("NextUploadIdMarker", result.next_upload_id_marker);
  if (!request.delimiter.empty()) b.KeyElement("Delimiter", request.delimiter, encode);
  if (!request.prefix.empty()) b.KeyElement("Prefix", request.prefix, encode);
  b.Element("MaxUploads", request.max_uploads);
  if (encode) b.Element("EncodingType", "url");
  b.Element("IsTruncated", result.is_truncated);
  for (const auto& upload : result.uploads) {
    b.Open("Upload");
    b.KeyElement("Key", upload.key(), encode);
    b.Element("UploadId", upload.upload_id());
    b.OwnerElement("Initiator", upload.owner());
    b.OwnerElement("Owner", upload.owner());
    b.Element("StorageClass", StorageClassOf(upload));
    b.TimeElement("Initiated", upload.initiated_unix_nanos());
    b.Close("Upload");
  }
  for (const auto& prefix : result.common_prefixes) {
    b.Open("CommonPrefixes");
    b.KeyElement("Prefix", prefix, encode);
    b.Close("CommonPrefixes");
  }
  b.Close("ListMultipartUploadsResult");
  return b.Finish();
}

}  // namespace sb::gateway::xml
