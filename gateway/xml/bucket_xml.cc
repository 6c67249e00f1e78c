#include "gateway/xml/bucket_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

std::string ListAllMyBucketsXml(std::string_view owner_id,
                                const std::vector<metadata::BucketRecord>& buckets) {
  XmlBuilder b(256 + buckets.size() * 128);
  b.Declaration();
  b.OpenRoot("ListAllMyBucketsResult");
  b.OwnerElement("Owner", owner_id);
  b.Open("Buckets");
  for (const auto& bucket : buckets) {
    b.Open("Bucket");
    b.Element("Name", bucket.name());
    b.TimeElement("CreationDate", bucket.created_unix_nanos());
    b.Close("Bucket");
  }
  b.Close("Buckets");
  b.Close("ListAllMyBucketsResult");
  return b.Finish();
}

std::string PolicyStatusXml(bool is_public) {
  std::string out("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PolicyStatus xmlns=\"");
  out.append(kS3Namespace);
  out.append("\"><IsPublic>");
  out.append(is_public ? "true" : "false");
  out.append("</IsPublic></PolicyStatus>");
  return out;
}

std::string LocationConstraintXml(std::string_view region) {
  std::string out;
  out.reserve(160);
  out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"");
  out.append(kS3Namespace);
  if (region.empty() || region == "us-east-1") {
    out.append("\"/>");
    return out;
  }
  out.append("\">");
  AppendEscaped(&out, region);
  out.append("</LocationConstraint>");
  return out;
}

std::string VersioningConfigurationXml(std::string_view status) {
  std::string out;
  out.reserve(160);
  out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VersioningConfiguration xmlns=\"");
  out.append(kS3Namespace);
  if (status.empty()) {
    out.append("\"/>");
    return out;
  }
  out.append("\"><Status>");
  AppendEscaped(&out, status);
  out.append("</Status></VersioningConfiguration>");
  return out;
}

}  // namespace sb::gateway::xml
