#include "gateway/xml/object_attributes_xml.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

absl::StatusOr<ObjectAttributesRequest> ParseObjectAttributes(std::string_view header) {
  ObjectAttributesRequest request;
  bool any = false;
  for (absl::string_view raw : absl::StrSplit(AsAbsl(header), ',')) {
    const absl::string_view name = absl::StripAsciiWhitespace(raw);
    if (name.empty()) continue;
    bool* flag = name == "ETag"           ? &request.etag
                 : name == "Checksum"     ? &request.checksum
                 : name == "ObjectParts"  ? &request.object_parts
                 : name == "StorageClass" ? &request.storage_class
                 : name == "ObjectSize"   ? &request.object_size
                                          : nullptr;
    if (flag == nullptr) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       absl::StrCat("Invalid attribute name specified: ", name));
    }
    *flag = true;
    any = true;
  }
  if (!any) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "The x-amz-object-attributes header specifying the attributes to be "
                     "retrieved is either missing or empty");
  }
  return request;
}

std::string GetObjectAttributesXml(const metadata::ObjectRecord& object,
                                   const ObjectAttributesRequest& request) {
  XmlBuilder b(512 + (request.object_parts ? object.parts_size() * 96 : 0));
  b.Declaration();
  b.OpenRoot("GetObjectAttributesResponse");
  if (request.etag) b.Element("ETag", object.etag());
  const bool has_checksum = !object.checksum_algorithm().empty() && !object.checksum().empty();
  const std::string element = absl::StrCat("Checksum", object.checksum_algorithm());
  if (request.checksum && has_checksum) {
    b.Open("Checksum");
    b.Element(element, object.checksum());
    b.Element("ChecksumType", object.checksum_type());
    b.Close("Checksum");
  }
  if (request.object_parts && object.multipart()) {
    const uint32_t total = static_cast<uint32_t>(object.parts_size());
    b.Open("ObjectParts");
    b.Element("PartsCount", total);  // the wire name (botocore); AWS docs say TotalPartsCount
    b.Element("PartNumberMarker", request.part_number_marker);
    uint32_t listed = 0;
    uint32_t last = request.part_number_marker;
    bool truncated = false;
    for (const metadata::DataPart& part : object.parts()) {
      if (part.part_number() <= request.part_number_marker) continue;
      if (listed == request.max_parts) {
        truncated = true;
        break;
      }
      ++listed;
      last = part.part_number();
    }
    b.Element("NextPartNumberMarker", last);
    b.Element("MaxParts", request.max_parts);
    b.Element("IsTruncated", truncated);
    listed = 0;
    for (const metadata::DataPart& part : object.parts()) {
      if (part.part_number() <= request.part_number_marker) continue;
      if (listed++ == request.max_parts) break;
      b.Open("Part");
      b.Element("PartNumber", part.part_number());
      b.Element("Size", part.size());
      if (!part.checksum().empty() && has_checksum) b.Element(element, part.checksum());
      b.Close("Part");
    }
    b.Close("ObjectParts");
  }
  if (request.storage_class) {
    b.Element("StorageClass",
              object.storage_class().empty() ? std::string("STANDARD") : object.storage_class());
  }
  if (request.object_size) b.Element("ObjectSize", object.size());
  b.Close("GetObjectAttributesResponse");
  return b.Finish();
}

}  // namespace sb::gateway::xml
