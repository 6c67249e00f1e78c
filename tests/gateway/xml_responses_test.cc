// Golden-string tests for the non-listing response writers.
#include <string>

#include "gateway/xml/bucket_xml.h"
#include "gateway/xml/error_xml.h"
#include "gateway/xml/multipart_xml.h"
#include "gateway/xml/object_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

constexpr char kDecl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr char kNs[] = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
// 2009-10-12T17:50:30.000Z and 2010-11-10T20:48:33.000Z
constexpr int64_t kTime = int64_t{1255369830} * 1'000'000'000;
constexpr int64_t kTime2 = int64_t{1289422113} * 1'000'000'000;
constexpr char kTimeText[] = "2009-10-12T17:50:30.000Z";

TEST(ErrorXmlTest, MinimalError) {
  ErrorDocument error;
  error.code = "NoSuchKey";
  error.message = "The specified key does not exist.";
  error.resource = "/b/k";
  error.request_id = "4442587FB7D0A2F9";
  EXPECT_EQ(ErrorXml(error), std::string(kDecl) +
                                 "<Error><Code>NoSuchKey</Code>"
                                 "<Message>The specified key does not exist.</Message>"
                                 "<Resource>/b/k</Resource>"
                                 "<RequestId>4442587FB7D0A2F9</RequestId></Error>");
}

TEST(ErrorXmlTest, ExtraElementsHostIdAndEscaping) {
  ErrorDocument error;
  error.code = "InvalidArgument";
  error.message = "Part number must be an integer between 1 and 10000, inclusive";
  error.request_id = "r1";
  error.host_id = "h/1+";
  error.extra = {{"ArgumentName", "partNumber"}, {"ArgumentValue", "<0 & 'x'>"}};
  EXPECT_EQ(ErrorXml(error),
            std::string(kDecl) +
                "<Error><Code>InvalidArgument</Code>"
                "<Message>Part number must be an integer between 1 and 10000, inclusive"
                "</Message><ArgumentName>partNumber</ArgumentName>"
                "<ArgumentValue>&lt;0 &amp; &apos;x&apos;&gt;</ArgumentValue>"
                "<RequestId>r1</RequestId><HostId>h/1+</HostId></Error>");
}

TEST(BucketXmlTest, ListAllMyBuckets) {
  metadata::BucketRecord b1;
  b1.set_name("alpha");
  b1.set_created_unix_nanos(kTime);
  metadata::BucketRecord b2;
  b2.set_name("beta");
  b2.set_created_unix_nanos(kTime2 + 5'000'000);
  EXPECT_EQ(ListAllMyBucketsXml("o&1", {b1, b2}),
            std::string(kDecl) + "<ListAllMyBucketsResult" + kNs + ">" +
                "<Owner><ID>o&amp;1</ID><DisplayName>o&amp;1</DisplayName></Owner><Buckets>"
                "<Bucket><Name>alpha</Name><CreationDate>2009-10-12T17:50:30.000Z"
                "</CreationDate></Bucket>"
                "<Bucket><Name>beta</Name><CreationDate>2010-11-10T20:48:33.005Z"
                "</CreationDate></Bucket>"
                "</Buckets></ListAllMyBucketsResult>");
  EXPECT_EQ(ListAllMyBucketsXml("o", {}),
            std::string(kDecl) + "<ListAllMyBucketsResult" + kNs + ">" +
                "<Owner><ID>o</ID><DisplayName>o</DisplayName></Owner><Buckets></Buckets>"
                "</ListAllMyBucketsResult>");
}

TEST(BucketXmlTest, LocationConstraint) {
  const std::string empty = std::string(kDecl) + "<LocationConstraint" + kNs + "/>";
  EXPECT_EQ(LocationConstraintXml(""), empty);
  EXPECT_EQ(LocationConstraintXml("us-east-1"), empty);
  EXPECT_EQ(LocationConstraintXml("eu-west-1"),
            std::string(kDecl) + "<LocationConstraint" + kNs + ">eu-west-1</LocationConstraint>");
}

TEST(BucketXmlTest, VersioningConfiguration) {
  EXPECT_EQ(VersioningConfigurationXml(""),
            std::string(kDecl) + "<VersioningConfiguration" + kNs + "/>");
  EXPECT_EQ(VersioningConfigurationXml("Enabled"),
            std::string(kDecl) + "<VersioningConfiguration" + kNs +
                "><Status>Enabled</Status></VersioningConfiguration>");
}

TEST(MultipartXmlTest, InitiateAndComplete) {
  EXPECT_EQ(InitiateMultipartUploadXml("b", "a&b.txt", "u1"),
            std::string(kDecl) + "<InitiateMultipartUploadResult" + kNs + ">" +
                "<Bucket>b</Bucket><Key>a&amp;b.txt</Key><UploadId>u1</UploadId>"
                "</InitiateMultipartUploadResult>");
  EXPECT_EQ(CompleteMultipartUploadXml("http://h/b/k%20x", "b", "k x", "3858f62230ac3c91-2"),
            std::string(kDecl) + "<CompleteMultipartUploadResult" + kNs + ">" +
                "<Location>http://h/b/k%20x</Location><Bucket>b</Bucket><Key>k x</Key>"
                "<ETag>&quot;3858f62230ac3c91-2&quot;</ETag>"
                "</CompleteMultipartUploadResult>");
}

metadata::UploadRecord Upload(std::string key, std::string upload_id) {
  metadata::UploadRecord upload;
  upload.set_bucket("b");
  upload.set_key(std::move(key));
  upload.set_upload_id(std::move(upload_id));
  upload.set_owner("own");
  upload.set_initiated_unix_nanos(kTime);
  return upload;
}

metadata::DataPart Part(uint32_t number, std::string etag, uint64_t size) {
  metadata::DataPart part;
  part.set_part_number(number);
  part.set_etag(std::move(etag));
  part.set_size(size);
  return part;
}

TEST(MultipartXmlTest, ListPartsTruncated) {
  metadata::ListPartsResult result;
  result.parts = {Part(2, "e2", 5242880), Part(3, "e3", 7)};
  result.is_truncated = true;
  result.next_part_number_marker = 3;
  metadata::UploadRecord upload = Upload("k", "u1");
  upload.mutable_object_template()->set_storage_class("REDUCED_REDUNDANCY");
  const std::string owner = "<ID>own</ID><DisplayName>own</DisplayName>";
  EXPECT_EQ(ListPartsXml(upload, 1, 2, result),
            std::string(kDecl) + "<ListPartsResult" + kNs + ">" +
                "<Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId>"
                "<Initiator>" +
                owner + "</Initiator><Owner>" + owner + "</Owner>" +
                "<StorageClass>REDUCED_REDUNDANCY</StorageClass>"
                "<PartNumberMarker>1</PartNumberMarker>"
                "<NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>2</MaxParts>"
                "<IsTruncated>true</IsTruncated>"
                "<Part><PartNumber>2</PartNumber><LastModified>" +
                kTimeText +
                "</LastModified><ETag>&quot;e2&quot;</ETag><Size>5242880</Size></Part>"
                "<Part><PartNumber>3</PartNumber><LastModified>" +
                kTimeText +
                "</LastModified><ETag>&quot;e3&quot;</ETag><Size>7</Size></Part>"
                "</ListPartsResult>");
}

TEST(MultipartXmlTest, ListPartsEmptyAndComplete) {
  const metadata::UploadRecord upload = Upload("k", "u1");
  const std::string empty = ListPartsXml(upload, 0, 1000, {});
  EXPECT_NE(empty.find("<StorageClass>STANDARD</StorageClass><PartNumberMarker>0"
                       "</PartNumberMarker><NextPartNumberMarker>0</NextPartNumberMarker>"
                       "<MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>"
                       "</ListPartsResult>"),
            std::string::npos)
      << empty;
  metadata::ListPartsResult result;
  result.parts = {Part(1, "a", 1), Part(9, "b", 2)};
  EXPECT_NE(
      ListPartsXml(upload, 0, 1000, result).find("<NextPartNumberMarker>9</NextPartNumberMarker>"),
      std::string::npos);
}

TEST(MultipartXmlTest, ListMultipartUploads) {
  ListUploadsRequest request;
  request.bucket = "b";
  request.prefix = "p/";
  request.delimiter = "/";
  request.key_marker = "p/a";
  request.upload_id_marker = "u0";
  request.max_uploads = 2;
  metadata::ListUploadsResult result;
  metadata::UploadRecord upload = Upload("p/b", "u1");
  upload.set_initiated_unix_nanos(kTime2);
  result.uploads.push_back(upload);
  result.common_prefixes.push_back("p/c/");
  result.is_truncated = true;
  result.next_key_marker = "p/c/";
  result.next_upload_id_marker = "";
  const std::string owner = "<ID>own</ID><DisplayName>own</DisplayName>";
  EXPECT_EQ(ListMultipartUploadsXml(request, result),
            std::string(kDecl) + "<ListMultipartUploadsResult" + kNs + ">" +
                "<Bucket>b</Bucket><KeyMarker>p/a</KeyMarker><UploadIdMarker>u0"
                "</UploadIdMarker><NextKeyMarker>p/c/</NextKeyMarker>"
                "<NextUploadIdMarker></NextUploadIdMarker><Delimiter>/</Delimiter>"
                "<Prefix>p/</Prefix><MaxUploads>2</MaxUploads><IsTruncated>true</IsTruncated>"
                "<Upload><Key>p/b</Key><UploadId>u1</UploadId><Initiator>" +
                owner + "</Initiator><Owner>" + owner +
                "</Owner><StorageClass>STANDARD</StorageClass>"
                "<Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>"
                "<CommonPrefixes><Prefix>p/c/</Prefix></CommonPrefixes>"
                "</ListMultipartUploadsResult>");
}

TEST(MultipartXmlTest, ListMultipartUploadsUrlEncoded) {
  ListUploadsRequest request;
  request.bucket = "b";
  request.key_marker = "k m";
  request.url_encode = true;
  metadata::ListUploadsResult result;
  result.uploads.push_back(Upload("a+b", "u/1"));
  result.common_prefixes.push_back("c d/");
  const std::string xml = ListMultipartUploadsXml(request, result);
  EXPECT_NE(xml.find("<KeyMarker>k%20m</KeyMarker><UploadIdMarker></UploadIdMarker>"
                     "<NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>"
                     "<MaxUploads>1000</MaxUploads><EncodingType>url</EncodingType>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Key>a%2Bb</Key><UploadId>u/1</UploadId>"), std::string::npos);
  EXPECT_NE(xml.find("<CommonPrefixes><Prefix>c%20d/</Prefix></CommonPrefixes>"),
            std::string::npos);
}

TEST(ObjectXmlTest, Tagging) {
  EXPECT_EQ(TaggingXml({{"a", "1"}, {"b&", ""}}),
            std::string(kDecl) + "<Tagging" + kNs +
                "><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b&amp;</Key>"
                "<Value></Value></Tag></TagSet></Tagging>");
  EXPECT_EQ(TaggingXml({}), std::string(kDecl) + "<Tagging" + kNs + "><TagSet></TagSet></Tagging>");
}

TEST(ObjectXmlTest, CopyResults) {
  EXPECT_EQ(CopyObjectResultXml(kTime, "9b2cf535f27731c974343645a3985328"),
            std::string(kDecl) + "<CopyObjectResult" + kNs + ">" +
                "<LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>"
                "</CopyObjectResult>");
  EXPECT_EQ(CopyPartResultXml(kTime + 999'999, "e"),
            std::string(kDecl) + "<CopyPartResult" + kNs + ">" +
                "<LastModified>2009-10-12T17:50:30.000Z</LastModified>"
                "<ETag>&quot;e&quot;</ETag></CopyPartResult>");
}

TEST(ObjectXmlTest, DeleteResultVerbose) {
  std::vector<DeletedEntry> deleted(3);
  deleted[0].key = "a<b";
  deleted[1].key = "v";
  deleted[1].version_id = "v1";
  deleted[2].key = "m";
  deleted[2].delete_marker = true;
  deleted[2].delete_marker_version_id = "dm1";
  std::vector<DeleteErrorEntry> errors(1);
  errors[0].key = "x&";
  errors[0].code = "AccessDenied";
  errors[0].message = "Access Denied";
  EXPECT_EQ(DeleteResultXml(deleted, errors, /*quiet=*/false),
            std::string(kDecl) + "<DeleteResult" + kNs + ">" +
                "<Deleted><Key>a&lt;b</Key></Deleted>"
                "<Deleted><Key>v</Key><VersionId>v1</VersionId></Deleted>"
                "<Deleted><Key>m</Key><DeleteMarker>true</DeleteMarker>"
                "<DeleteMarkerVersionId>dm1</DeleteMarkerVersionId></Deleted>"
                "<Error><Key>x&amp;</Key><Code>AccessDenied</Code>"
                "<Message>Access Denied</Message></Error></DeleteResult>");
}

TEST(ObjectXmlTest, DeleteResultQuietReportsOnlyErrors) {
  std::vector<DeletedEntry> deleted(1);
  deleted[0].key = "gone";
  std::vector<DeleteErrorEntry> errors(1);
  errors[0].key = "k";
  errors[0].version_id = "v9";
  errors[0].code = "InternalError";
  errors[0].message = "We encountered an internal error. Please try again.";
  EXPECT_EQ(DeleteResultXml(deleted, errors, /*quiet=*/true),
            std::string(kDecl) + "<DeleteResult" + kNs + ">" +
                "<Error><Key>k</Key><VersionId>v9</VersionId><Code>InternalError</Code>"
                "<Message>We encountered an internal error. Please try again.</Message>"
                "</Error></DeleteResult>");
  EXPECT_EQ(DeleteResultXml(deleted, {}, /*quiet=*/true),
            std::string(kDecl) + "<DeleteResult" + kNs + "></DeleteResult>");
}

}  // namespace
}  // namespace sb::gateway::xml
