// Golden-string tests for the STS query-protocol documents.
#include <string>

#include "gateway/xml/sts_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

constexpr char kDecl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr char kStsNs[] = " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"";

TEST(StsXmlTest, AssumeRoleResponse) {
  AssumeRoleResult r;
  r.assumed_role_arn = "arn:aws:sts::000000000000:assumed-role/ada/etl";
  r.assumed_role_id = "AIDAX:etl";
  r.access_key_id = "SBSTKEY";
  r.secret_access_key = "se/cr+et";
  r.session_token = "SBSESSION<&>";
  r.expiration_unix_nanos = int64_t{1255369830} * 1'000'000'000;
  r.request_id = "RID";
  EXPECT_EQ(AssumeRoleResponseXml(r),
            std::string(kDecl) + "<AssumeRoleResponse" + kStsNs +
                "><AssumeRoleResult><AssumedRoleUser>"
                "<Arn>arn:aws:sts::000000000000:assumed-role/ada/etl</Arn>"
                "<AssumedRoleId>AIDAX:etl</AssumedRoleId></AssumedRoleUser><Credentials>"
                "<AccessKeyId>SBSTKEY</AccessKeyId><SecretAccessKey>se/cr+et</SecretAccessKey>"
                "<SessionToken>SBSESSION&lt;&amp;&gt;</SessionToken>"
                "<Expiration>2009-10-12T17:50:30.000Z</Expiration></Credentials>"
                "</AssumeRoleResult><ResponseMetadata><RequestId>RID</RequestId>"
                "</ResponseMetadata></AssumeRoleResponse>");
}

TEST(StsXmlTest, AssumeRoleWithCertificateNamesItsDocument) {
  AssumeRoleResult r;
  r.action = "AssumeRoleWithCertificate";
  r.access_key_id = "SBSTKEY";
  const std::string doc = AssumeRoleResponseXml(r);
  EXPECT_EQ(doc.find(std::string(kDecl) + "<AssumeRoleWithCertificateResponse" + kStsNs +
                     "><AssumeRoleWithCertificateResult><AssumedRoleUser>"),
            0u);
  EXPECT_NE(doc.find("<AccessKeyId>SBSTKEY</AccessKeyId>"), std::string::npos);
  EXPECT_NE(doc.find("</AssumeRoleWithCertificateResult><ResponseMetadata>"), std::string::npos);
  EXPECT_EQ(doc.substr(doc.size() - 36), "</AssumeRoleWithCertificateResponse>");
}

TEST(StsXmlTest, ErrorResponseNamesSenderOrReceiver) {
  EXPECT_EQ(StsErrorXml(400, "ValidationError", "bad <value>", "RID"),
            std::string(kDecl) + "<ErrorResponse" + kStsNs +
                "><Error><Type>Sender</Type><Code>ValidationError</Code>"
                "<Message>bad &lt;value&gt;</Message></Error><RequestId>RID</RequestId>"
                "</ErrorResponse>");
  EXPECT_NE(StsErrorXml(500, "InternalError", "x", "R").find("<Type>Receiver</Type>"),
            std::string::npos);
}

}  // namespace
}  // namespace sb::gateway::xml
