// Bucket CORS documents and rule matching: what boto3 sends parses, S3's refusals
// (unsupported method, double wildcards, too many rules), the Get body round-trips, and
// origins, methods and request headers match as S3 matches them.
#include <string>
#include <vector>

#include "common/error_reason.h"
#include "gateway/xml/cors_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

std::string Config(const std::string& rules) {
  return "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
         "</CORSConfiguration>";
}

TEST(CorsXmlTest, ParsesRulesAndRoundTrips) {
  auto rules = ParseCorsConfiguration(
      Config("<CORSRule><ID>web</ID><AllowedHeader>*</AllowedHeader><AllowedMethod>GET"
             "</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://*.example"
             ".com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600"
             "</MaxAgeSeconds></CORSRule><CORSRule><AllowedMethod>GET</AllowedMethod>"
             "<AllowedOrigin>*</AllowedOrigin></CORSRule>"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].id, "web");
  EXPECT_EQ((*rules)[0].allowed_methods, (std::vector<std::string>{"GET", "PUT"}));
  EXPECT_EQ((*rules)[0].max_age_seconds, 600);
  auto again = ParseCorsConfiguration(CorsConfigurationXml(*rules));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(CorsConfigurationXml(*again), CorsConfigurationXml(*rules));
}

TEST(CorsXmlTest, RefusesWhatS3Refuses) {
  auto bad_method = ParseCorsConfiguration(
      Config("<CORSRule><AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
             "</CORSRule>"));
  EXPECT_EQ(GetReason(bad_method.status()), ErrorReason::kInvalidRequest);
  auto two_stars = ParseCorsConfiguration(
      Config("<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*.a.*</AllowedOrigin>"
             "</CORSRule>"));
  EXPECT_EQ(GetReason(two_stars.status()), ErrorReason::kInvalidRequest);
  for (const char* body : {"<CORSConfiguration/>",
                           "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                           "</CORSRule></CORSConfiguration>",
                           "<Other/>", "not xml"}) {
    EXPECT_EQ(GetReason(ParseCorsConfiguration(body).status()), ErrorReason::kMalformedXml) << body;
  }
  std::string many;
  for (int i = 0; i < 101; ++i) {
    many +=
        "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
        "</CORSRule>";
  }
  EXPECT_EQ(GetReason(ParseCorsConfiguration(Config(many)).status()), ErrorReason::kMalformedXml);
}

TEST(CorsXmlTest, MatchesOriginMethodAndHeaders) {
  auto rules = ParseCorsConfiguration(
      Config("<CORSRule><AllowedHeader>x-amz-*</AllowedHeader><AllowedMethod>PUT"
             "</AllowedMethod><AllowedOrigin>https://*.example.com</AllowedOrigin></CORSRule>"
             "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
             "</CORSRule>"));
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(MatchCorsRule(*rules, "https://app.example.com", "PUT", {"x-amz-meta-a"}),
            &(*rules)[0]);
  EXPECT_EQ(MatchCorsRule(*rules, "https://app.example.com", "PUT", {"X-AMZ-DATE"}), &(*rules)[0]);
  EXPECT_EQ(MatchCorsRule(*rules, "https://app.example.com", "PUT", {"authorization"}), nullptr);
  EXPECT_EQ(MatchCorsRule(*rules, "http://app.example.com", "PUT", {}), nullptr);
  EXPECT_EQ(MatchCorsRule(*rules, "https://anything", "GET", {}), &(*rules)[1]);
  EXPECT_EQ(MatchCorsRule(*rules, "https://anything", "DELETE", {}), nullptr);
  EXPECT_EQ(MatchCorsRule(*rules, "https://anything", "GET", {"x-custom"}), nullptr);
}

}  // namespace
}  // namespace sb::gateway::xml
