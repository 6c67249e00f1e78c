// Parses writer output with pugixml (an independent reader) and checks that every value
// comes back exactly, for large listings with hostile keys.
#include <cstdio>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "gateway/xml/list_objects_xml.h"
#include "gateway/xml/object_xml.h"
#include "gateway/xml/request_xml.h"
#include "gateway/xml/xml_builder.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

// Form decoding, as botocore's unquote_str (unquote_plus) does.
std::string UnquotePlus(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Keys with every troublesome class of character; none contains NUL, which S3 keys cannot.
std::string HostileKey(int i) {
  static const char* const kPieces[] = {
      "plain",    "<tag>",  "a&b",    "\"dq\"",  "'sq'",   "sp ace", "pl+us",
      "pct%20",   "日本語", "emoji🎉", "é",       "tab\t",  "nl\n",   "cr\r",
      "\x01\x1f", "]]>",    "&amp;",  "/slash/", "~?#=:;", "\x7f",   "back\\slash"};
  constexpr int kCount = sizeof(kPieces) / sizeof(kPieces[0]);
  char index[16];
  std::snprintf(index, sizeof(index), "%04d-", i);
  return std::string(index) + kPieces[i % kCount] + kPieces[(i / kCount) % kCount];
}

metadata::ListObjectsResult LargeResult() {
  metadata::ListObjectsResult result;
  for (int i = 0; i < 1000; ++i) {
    metadata::ObjectRecord o;
    o.set_key(HostileKey(i));
    o.set_etag("etag-" + std::to_string(i));
    o.set_size(static_cast<uint64_t>(i) * 1'000'003);
    o.set_last_modified_unix_nanos(int64_t{1700000000} * 1'000'000'000 + i * 1'000'000);
    o.set_owner("owner&" + std::to_string(i % 3));
    result.objects.push_back(std::move(o));
  }
  for (int i = 0; i < 50; ++i) result.common_prefixes.push_back(HostileKey(i) + "/");
  result.is_truncated = true;
  result.next_marker = result.objects.back().key();
  return result;
}

pugi::xml_node ParseRootOrDie(pugi::xml_document& doc, const std::string& xml) {
  const pugi::xml_parse_result parsed = doc.load_buffer(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
  EXPECT_TRUE(parsed) << parsed.description() << " at " << parsed.offset;
  return doc.document_element();
}

TEST(XmlRoundTripTest, V1ListingOfThousandHostileKeys) {
  const metadata::ListObjectsResult result = LargeResult();
  ListObjectsV1Request request;
  request.bucket = "bucket";
  request.prefix = "0<&>";
  request.delimiter = "/";
  const std::string xml = ListObjectsV1Xml(request, result);
  pugi::xml_document doc;
  const pugi::xml_node root = ParseRootOrDie(doc, xml);
  EXPECT_STREQ(root.name(), "ListBucketResult");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  EXPECT_STREQ(root.child_value("Prefix"), "0<&>");
  EXPECT_EQ(root.child_value("NextMarker"), result.next_marker);
  size_t i = 0;
  for (pugi::xml_node contents : root.children("Contents")) {
    ASSERT_LT(i, result.objects.size());
    const metadata::ObjectRecord& o = result.objects[i];
    EXPECT_EQ(contents.child_value("Key"), o.key()) << i;
    EXPECT_EQ(contents.child_value("ETag"), "\"" + o.etag() + "\"");
    EXPECT_EQ(contents.child("Size").text().as_ullong(), o.size());
    EXPECT_EQ(contents.child("Owner").child_value("ID"), o.owner());
    EXPECT_EQ(contents.child_value("LastModified"), FormatS3Time(o.last_modified_unix_nanos()));
    ++i;
  }
  EXPECT_EQ(i, result.objects.size());
  size_t p = 0;
  for (pugi::xml_node prefix : root.children("CommonPrefixes")) {
    EXPECT_EQ(prefix.child_value("Prefix"), result.common_prefixes[p++]);
  }
  EXPECT_EQ(p, result.common_prefixes.size());
}

TEST(XmlRoundTripTest, V2UrlEncodedListingDecodesToTheKeys) {
  const metadata::ListObjectsResult result = LargeResult();
  ListObjectsV2Request request;
  request.bucket = "bucket";
  request.prefix = "0 +%";
  request.url_encode = true;
  const std::string xml = ListObjectsV2Xml(request, result);
  pugi::xml_document doc;
  const pugi::xml_node root = ParseRootOrDie(doc, xml);
  EXPECT_EQ(UnquotePlus(root.child_value("Prefix")), "0 +%");
  EXPECT_EQ(root.child("KeyCount").text().as_uint(), 1050u);
  absl::StatusOr<std::string> marker =
      MarkerFromContinuationToken(root.child_value("NextContinuationToken"));
  ASSERT_TRUE(marker.ok()) << marker.status();
  EXPECT_EQ(*marker, result.next_marker);
  size_t i = 0;
  for (pugi::xml_node contents : root.children("Contents")) {
    const std::string encoded = contents.child_value("Key");
    EXPECT_EQ(encoded.find_first_of(" <>&\"'\r\n\t"), std::string::npos) << encoded;
    EXPECT_EQ(UnquotePlus(encoded), result.objects[i].key()) << i;
    EXPECT_FALSE(contents.child("Owner"));
    ++i;
  }
  EXPECT_EQ(i, result.objects.size());
}

TEST(XmlRoundTripTest, DeleteResultKeysRoundTripThroughTheParserShape) {
  // A DeleteObjects body built from hostile keys parses back to the same keys, and the
  // DeleteResult naming them reads back identically.
  std::string body = "<Delete>";
  std::vector<DeletedEntry> deleted;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = HostileKey(i);
    std::string escaped;
    AppendEscaped(&escaped, key);
    body += "<Object><Key>" + escaped + "</Key></Object>";
    deleted.push_back({key, "", false, ""});
  }
  body += "</Delete>";
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(body);
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_EQ(request->objects.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(request->objects[i].key, HostileKey(i)) << i;

  const std::string xml = DeleteResultXml(deleted, {}, /*quiet=*/false);
  pugi::xml_document doc;
  const pugi::xml_node root = ParseRootOrDie(doc, xml);
  int i = 0;
  for (pugi::xml_node entry : root.children("Deleted")) {
    EXPECT_EQ(entry.child_value("Key"), HostileKey(i)) << i;
    ++i;
  }
  EXPECT_EQ(i, 1000);
}

}  // namespace
}  // namespace sb::gateway::xml
