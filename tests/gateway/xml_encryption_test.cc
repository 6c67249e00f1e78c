// ServerSideEncryptionConfiguration: the documents AWS SDKs send for PutBucketEncryption are
// accepted, malformed or unsupported ones refused, and GetBucketEncryption's body parses back.
#include <string>

#include "common/error_reason.h"
#include "gateway/xml/encryption_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

std::string Config(std::string_view inner) {
  return "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(inner) + "</ServerSideEncryptionConfiguration>";
}

TEST(EncryptionXmlTest, ParsesSseS3AndSseKms) {
  auto s3 = ParseServerSideEncryptionConfiguration(
      Config("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
             "</ApplyServerSideEncryptionByDefault></Rule>"));
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ(s3->sse_algorithm, "AES256");
  EXPECT_EQ(s3->kms_master_key_id, "");
  EXPECT_FALSE(s3->bucket_key_enabled);

  auto kms = ParseServerSideEncryptionConfiguration(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
      Config("<Rule>\n <ApplyServerSideEncryptionByDefault>\n  <SSEAlgorithm> aws:kms "
             "</SSEAlgorithm>\n  <KMSMasterKeyID>team-key</KMSMasterKeyID>\n "
             "</ApplyServerSideEncryptionByDefault>\n <BucketKeyEnabled>true</BucketKeyEnabled>"
             "</Rule>"));
  ASSERT_TRUE(kms.ok()) << kms.status();
  EXPECT_EQ(kms->sse_algorithm, "aws:kms");
  EXPECT_EQ(kms->kms_master_key_id, "team-key");
  EXPECT_TRUE(kms->bucket_key_enabled);
}

TEST(EncryptionXmlTest, RefusesBadDocuments) {
  struct Case {
    std::string body;
    ErrorReason reason;
  };
  const std::string def = "<Rule><ApplyServerSideEncryptionByDefault>";
  const std::string end = "</ApplyServerSideEncryptionByDefault></Rule>";
  for (const Case& c : std::vector<Case>{
           {"", ErrorReason::kMalformedXml},
           {"<Other/>", ErrorReason::kMalformedXml},
           {Config(""), ErrorReason::kMalformedXml},
           {Config("<Rule></Rule>"), ErrorReason::kMalformedXml},
           {Config(def + end), ErrorReason::kMalformedXml},
           {Config(def + "<SSEAlgorithm>DES</SSEAlgorithm>" + end), ErrorReason::kMalformedXml},
           {Config(def + "<SSEAlgorithm>aws:kms:dsse</SSEAlgorithm>" + end),
            ErrorReason::kMalformedXml},
           {Config(def + "<SSEAlgorithm>AES256</SSEAlgorithm>" + end + def +
                   "<SSEAlgorithm>AES256</SSEAlgorithm>" + end),
            ErrorReason::kMalformedXml},
           {Config(def + "<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>" +
                   end),
            ErrorReason::kInvalidArgument},
           {Config("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                   "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>maybe"
                   "</BucketKeyEnabled></Rule>"),
            ErrorReason::kMalformedXml},
           {Config(def + "<SSEAlgorithm>AES256</SSEAlgorithm>"), ErrorReason::kMalformedXml},
       }) {
    auto parsed = ParseServerSideEncryptionConfiguration(c.body);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(GetReason(parsed.status()), c.reason) << c.body << " " << parsed.status();
  }
}

TEST(EncryptionXmlTest, ResponseRoundTrips) {
  EncryptionRule rule{"aws:kms", "k<&>", true};
  const std::string xml = ServerSideEncryptionConfigurationXml(rule);
  EXPECT_NE(xml.find("xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""), std::string::npos);
  EXPECT_NE(xml.find("<KMSMasterKeyID>k&lt;&amp;&gt;</KMSMasterKeyID>"), std::string::npos);
  auto back = ParseServerSideEncryptionConfiguration(xml);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sse_algorithm, "aws:kms");
  EXPECT_EQ(back->kms_master_key_id, "k<&>");
  EXPECT_TRUE(back->bucket_key_enabled);
  // SSE-S3 has no key id element at all.
  EXPECT_EQ(ServerSideEncryptionConfigurationXml({"AES256", "", false}).find("KMSMasterKeyID"),
            std::string::npos);
}

}  // namespace
}  // namespace sb::gateway::xml
