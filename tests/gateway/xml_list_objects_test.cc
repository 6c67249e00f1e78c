#include <string>

#include "absl/time/time.h"
#include "common/error_reason.h"
#include "gateway/xml/list_objects_xml.h"
#include "gateway/xml/list_versions_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

constexpr char kHead[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";

// 2009-10-12T17:50:30.000Z
constexpr int64_t kTime = int64_t{1255369830} * 1'000'000'000;

metadata::ObjectRecord Object(std::string key, std::string etag, uint64_t size,
                              std::string storage_class = "") {
  metadata::ObjectRecord o;
  o.set_key(std::move(key));
  o.set_etag(std::move(etag));
  o.set_size(size);
  o.set_last_modified_unix_nanos(kTime);
  o.set_owner("owner1");
  o.set_storage_class(std::move(storage_class));
  return o;
}

TEST(ListObjectsV1XmlTest, EmptyBucket) {
  ListObjectsV1Request request;
  request.bucket = "b";
  EXPECT_EQ(ListObjectsV1Xml(request, {}),
            std::string(kHead) +
                "<Name>b</Name><Prefix></Prefix><Marker></Marker><MaxKeys>1000</MaxKeys>"
                "<IsTruncated>false</IsTruncated></ListBucketResult>");
}

TEST(ListObjectsV1XmlTest, ContentsWithOwnerAndCommonPrefixes) {
  ListObjectsV1Request request;
  request.bucket = "photos";
  request.prefix = "2024/";
  request.marker = "2024/a";
  request.delimiter = "/";
  request.max_keys = 2;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("2024/b.jpg", "d41d8cd98f00b204e9800998ecf8427e", 0));
  result.common_prefixes.push_back("2024/c/");
  result.is_truncated = true;
  result.next_marker = "2024/c/";
  EXPECT_EQ(ListObjectsV1Xml(request, result),
            std::string(kHead) +
                "<Name>photos</Name><Prefix>2024/</Prefix><Marker>2024/a</Marker>"
                "<NextMarker>2024/c/</NextMarker><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>"
                "<IsTruncated>true</IsTruncated>"
                "<Contents><Key>2024/b.jpg</Key>"
                "<LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size>"
                "<Owner><ID>owner1</ID><DisplayName>owner1</DisplayName></Owner>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                "<CommonPrefixes><Prefix>2024/c/</Prefix></CommonPrefixes>"
                "</ListBucketResult>");
}

TEST(ListObjectsV1XmlTest, NoNextMarkerWithoutDelimiterEvenIfTruncated) {
  ListObjectsV1Request request;
  request.bucket = "b";
  request.max_keys = 1;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("a", "e", 5, "STANDARD_IA"));
  result.is_truncated = true;
  result.next_marker = "a";
  const std::string xml = ListObjectsV1Xml(request, result);
  EXPECT_EQ(xml.find("NextMarker"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<IsTruncated>true</IsTruncated>"), std::string::npos);
  EXPECT_NE(xml.find("<StorageClass>STANDARD_IA</StorageClass>"), std::string::npos);
  EXPECT_NE(xml.find("<Size>5</Size>"), std::string::npos);
}

TEST(ListObjectsV1XmlTest, NoNextMarkerWhenNotTruncated) {
  ListObjectsV1Request request;
  request.bucket = "b";
  request.delimiter = "/";
  metadata::ListObjectsResult result;
  result.common_prefixes.push_back("x/");
  result.next_marker = "x/";
  EXPECT_EQ(ListObjectsV1Xml(request, result).find("NextMarker"), std::string::npos);
}

TEST(ListObjectsV1XmlTest, EscapesKeysAndParameters) {
  ListObjectsV1Request request;
  request.bucket = "b";
  request.prefix = "<&>";
  request.delimiter = "'";
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("<&>\"'日本", "e", 1));
  result.common_prefixes.push_back("<&>'");
  const std::string xml = ListObjectsV1Xml(request, result);
  EXPECT_NE(xml.find("<Prefix>&lt;&amp;&gt;</Prefix>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Delimiter>&apos;</Delimiter>"), std::string::npos);
  EXPECT_NE(xml.find("<Key>&lt;&amp;&gt;&quot;&apos;日本</Key>"), std::string::npos);
  EXPECT_NE(xml.find("<CommonPrefixes><Prefix>&lt;&amp;&gt;&apos;</Prefix></CommonPrefixes>"),
            std::string::npos);
}

TEST(ListObjectsV1XmlTest, UrlEncodingCoversEveryKeyValuedField) {
  ListObjectsV1Request request;
  request.bucket = "b";
  request.prefix = "a b/";
  request.marker = "a b/+";
  request.delimiter = "|";
  request.max_keys = 3;
  request.url_encode = true;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("a b/é&.txt", "e", 1));
  result.common_prefixes.push_back("a b/x y|");
  result.is_truncated = true;
  result.next_marker = "a b/x y|";
  EXPECT_EQ(ListObjectsV1Xml(request, result),
            std::string(kHead) +
                "<Name>b</Name><Prefix>a b/</Prefix><Marker>a%20b/%2B</Marker>"
                "<NextMarker>a%20b/x%20y%7C</NextMarker><MaxKeys>3</MaxKeys>"
                "<Delimiter>%7C</Delimiter><EncodingType>url</EncodingType>"
                "<IsTruncated>true</IsTruncated>"
                "<Contents><Key>a%20b/%C3%A9%26.txt</Key>"
                "<LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;e&quot;</ETag><Size>1</Size>"
                "<Owner><ID>owner1</ID><DisplayName>owner1</DisplayName></Owner>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                "<CommonPrefixes><Prefix>a%20b/x%20y%7C</Prefix></CommonPrefixes>"
                "</ListBucketResult>");
}

TEST(ListObjectsV2XmlTest, FirstPageTruncated) {
  ListObjectsV2Request request;
  request.bucket = "b";
  request.max_keys = 2;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("a", "1", 10));
  result.objects.push_back(Object("b", "2", 20));
  result.is_truncated = true;
  result.next_marker = "b";
  EXPECT_EQ(ListObjectsV2Xml(request, result),
            std::string(kHead) + "<Name>b</Name><Prefix></Prefix>" + "<NextContinuationToken>" +
                ContinuationTokenFromMarker("b") +
                "</NextContinuationToken><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
                "<IsTruncated>true</IsTruncated>"
                "<Contents><Key>a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;1&quot;</ETag><Size>10</Size>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                "<Contents><Key>b</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;2&quot;</ETag><Size>20</Size>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                "</ListBucketResult>");
}

TEST(ListObjectsV2XmlTest, EchoesParametersFetchesOwnerAndCountsPrefixes) {
  ListObjectsV2Request request;
  request.bucket = "b";
  request.prefix = "p/";
  request.delimiter = "/";
  request.start_after = "p/0";
  request.continuation_token = "tok/+=";
  request.max_keys = 10;
  request.fetch_owner = true;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("p/1", "e", 1));
  result.common_prefixes.push_back("p/d/");
  result.common_prefixes.push_back("p/e/");
  EXPECT_EQ(ListObjectsV2Xml(request, result),
            std::string(kHead) +
                "<Name>b</Name><Prefix>p/</Prefix><StartAfter>p/0</StartAfter>"
                "<ContinuationToken>tok/+=</ContinuationToken><KeyCount>3</KeyCount>"
                "<MaxKeys>10</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>"
                "<Contents><Key>p/1</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;e&quot;</ETag><Size>1</Size>"
                "<Owner><ID>owner1</ID><DisplayName>owner1</DisplayName></Owner>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
                "<CommonPrefixes><Prefix>p/d/</Prefix></CommonPrefixes>"
                "<CommonPrefixes><Prefix>p/e/</Prefix></CommonPrefixes>"
                "</ListBucketResult>");
}

TEST(ListObjectsV2XmlTest, UrlEncodingLeavesTokensAlone) {
  ListObjectsV2Request request;
  request.bucket = "b";
  request.prefix = "x y";
  request.delimiter = "+";
  request.start_after = "x y+1";
  request.continuation_token = "abc+/";
  request.url_encode = true;
  metadata::ListObjectsResult result;
  result.objects.push_back(Object("x y1", "e", 1));
  result.common_prefixes.push_back("x y2+");
  result.is_truncated = true;
  result.next_marker = "x y2+";
  const std::string xml = ListObjectsV2Xml(request, result);
  EXPECT_NE(xml.find("<Prefix>x%20y</Prefix><StartAfter>x%20y%2B1</StartAfter>"
                     "<ContinuationToken>abc+/</ContinuationToken>"
                     "<NextContinuationToken>" +
                     ContinuationTokenFromMarker("x y2+") + "</NextContinuationToken>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Delimiter>%2B</Delimiter><EncodingType>url</EncodingType>"),
            std::string::npos);
  EXPECT_NE(xml.find("<Key>x%20y1</Key>"), std::string::npos);
  EXPECT_NE(xml.find("<CommonPrefixes><Prefix>x%20y2%2B</Prefix></CommonPrefixes>"),
            std::string::npos);
}

TEST(ContinuationTokenTest, RoundTripsAnyMarker) {
  for (std::string marker : {std::string(""), std::string("a"), std::string("dir/é ü+/=?&"),
                             std::string("\x01\xff", 2), std::string(1024, 'k')}) {
    const std::string token = ContinuationTokenFromMarker(marker);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    absl::StatusOr<std::string> back = MarkerFromContinuationToken(token);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, marker);
  }
}

TEST(ContinuationTokenTest, RejectsForeignTokens) {
  for (std::string_view token : {"", "!!!", "YWJj" /* base64 of "abc" */, "a"}) {
    absl::StatusOr<std::string> marker = MarkerFromContinuationToken(token);
    ASSERT_FALSE(marker.ok()) << token;
    EXPECT_EQ(marker.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(GetReason(marker.status()), ErrorReason::kInvalidArgument);
  }
}

TEST(ListVersionsXmlTest, VersionsMarkersAndNextMarkers) {
  ListVersionsRequest request;
  request.bucket = "b";
  request.key_marker = "a";
  request.max_keys = 2;
  metadata::ListVersionsResult result;
  metadata::VersionEntry marker;
  marker.record = Object("k", "", 0);
  marker.record.set_delete_marker(true);
  marker.record.set_version_id("v2");
  marker.is_latest = true;
  metadata::VersionEntry old;
  old.record = Object("k", "e1", 3);
  old.record.set_version_id("null");
  result.versions = {marker, old};
  result.is_truncated = true;
  result.next_key_marker = "k";
  result.next_version_id_marker = "null";
  const std::string xml = ListVersionsXml(request, result);
  EXPECT_NE(xml.find("<NextKeyMarker>k</NextKeyMarker><NextVersionIdMarker>null"
                     "</NextVersionIdMarker>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<DeleteMarker><Key>k</Key><VersionId>v2</VersionId>"
                     "<IsLatest>true</IsLatest>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Version><Key>k</Key><VersionId>null</VersionId>"
                     "<IsLatest>false</IsLatest>"),
            std::string::npos)
      << xml;
  // A delete marker has no ETag or Size.
  const size_t marker_end = xml.find("</DeleteMarker>");
  EXPECT_EQ(xml.substr(0, marker_end).find("<Size>"), std::string::npos);
}

}  // namespace
}  // namespace sb::gateway::xml
