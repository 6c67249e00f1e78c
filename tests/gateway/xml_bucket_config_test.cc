// PublicAccessBlockConfiguration and OwnershipControls documents: what boto3 sends parses,
// the bodies round-trip, and S3's MalformedXML refusals.
#include <string>

#include "common/error_reason.h"
#include "gateway/xml/bucket_config_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

constexpr char kNs[] = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

TEST(BucketConfigXmlTest, PublicAccessBlockParsesAndRoundTrips) {
  auto config = ParsePublicAccessBlockConfiguration(
      std::string("<PublicAccessBlockConfiguration") + kNs +
      "><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls>"
      "<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->block_public_acls());
  EXPECT_FALSE(config->ignore_public_acls());
  EXPECT_FALSE(config->block_public_policy());  // absent: false
  EXPECT_TRUE(config->restrict_public_buckets());
  auto again = ParsePublicAccessBlockConfiguration(PublicAccessBlockConfigurationXml(*config));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), config->SerializeAsString());
}

TEST(BucketConfigXmlTest, PublicAccessBlockRefusesBadValues) {
  for (const char* body :
       {"<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls>"
        "</PublicAccessBlockConfiguration>",
        "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
        "<BlockPublicAcls>false</BlockPublicAcls></PublicAccessBlockConfiguration>",
        "<OwnershipControls/>", "<PublicAccessBlockConfiguration>", ""}) {
    auto config = ParsePublicAccessBlockConfiguration(body);
    ASSERT_FALSE(config.ok()) << body;
    EXPECT_EQ(GetReason(config.status()), ErrorReason::kMalformedXml) << body;
  }
}

TEST(BucketConfigXmlTest, OwnershipControlsParsesAndRoundTrips) {
  for (const char* value : {"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"}) {
    auto got = ParseOwnershipControls(OwnershipControlsXml(value));
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, value);
  }
  for (const char* body :
       {"<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule>"
        "</OwnershipControls>",
        "<OwnershipControls></OwnershipControls>",
        "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule>"
        "<ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>"}) {
    auto got = ParseOwnershipControls(body);
    ASSERT_FALSE(got.ok()) << body;
    EXPECT_EQ(GetReason(got.status()), ErrorReason::kMalformedXml) << body;
  }
}

}  // namespace
}  // namespace sb::gateway::xml
