// GetObjectAttributes: the attribute selection parses as S3 names it, and the response
// pages the parts of a multipart object and carries checksums only when stored.
#include <string>

#include "common/error_reason.h"
#include "gateway/xml/object_attributes_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

TEST(ObjectAttributesXmlTest, ParsesTheSelection) {
  auto r = ParseObjectAttributes("ETag, ObjectSize,StorageClass");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->etag && r->object_size && r->storage_class);
  EXPECT_FALSE(r->checksum || r->object_parts);
  EXPECT_EQ(GetReason(ParseObjectAttributes("").status()), ErrorReason::kInvalidArgument);
  EXPECT_EQ(GetReason(ParseObjectAttributes("ETag,etag").status()), ErrorReason::kInvalidArgument);
}

metadata::ObjectRecord Multipart(int parts) {
  metadata::ObjectRecord o;
  o.set_etag("abc-3");
  o.set_multipart(true);
  o.set_checksum_algorithm("SHA256");
  o.set_checksum("Zm9v-3");
  o.set_checksum_type("COMPOSITE");
  for (int i = 1; i <= parts; ++i) {
    auto* p = o.add_parts();
    p->set_part_number(i);
    p->set_size(100 * i);
    p->set_checksum("c" + std::to_string(i));
  }
  o.set_size(600);
  return o;
}

TEST(ObjectAttributesXmlTest, PagesPartsWithTheirChecksums) {
  ObjectAttributesRequest r;
  r.object_parts = r.checksum = true;
  r.max_parts = 1;
  r.part_number_marker = 1;
  const std::string xml = GetObjectAttributesXml(Multipart(3), r);
  EXPECT_NE(xml.find("<Checksum><ChecksumSHA256>Zm9v-3</ChecksumSHA256><ChecksumType>COMPOSITE"
                     "</ChecksumType></Checksum>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<PartsCount>3</PartsCount><PartNumberMarker>1</PartNumberMarker>"
                     "<NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1</MaxParts>"
                     "<IsTruncated>true</IsTruncated><Part><PartNumber>2</PartNumber><Size>200"
                     "</Size><ChecksumSHA256>c2</ChecksumSHA256></Part></ObjectParts>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<ETag>"), std::string::npos);  // not selected
}

TEST(ObjectAttributesXmlTest, SimpleObjectsHaveNoPartsAndStandardStorage) {
  metadata::ObjectRecord o;
  o.set_etag("e");
  o.set_size(3);
  ObjectAttributesRequest r;
  r.etag = r.object_parts = r.storage_class = r.object_size = r.checksum = true;
  const std::string xml = GetObjectAttributesXml(o, r);
  EXPECT_NE(xml.find("<ETag>e</ETag><StorageClass>STANDARD</StorageClass><ObjectSize>3"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("ObjectParts"), std::string::npos);
  EXPECT_EQ(xml.find("Checksum"), std::string::npos);
}

}  // namespace
}  // namespace sb::gateway::xml
