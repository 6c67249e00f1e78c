// Lifecycle configurations: what boto3 sends parses and round-trips (legacy Prefix and
// Filter forms), S3's refusals, and filter matching by prefix, tags and size.
#include <string>

#include "common/error_reason.h"
#include "gateway/xml/lifecycle_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

std::string Config(const std::string& rules) {
  return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
         "</LifecycleConfiguration>";
}

TEST(LifecycleXmlTest, ParsesAndRoundTrips) {
  const std::string body = Config(
      "<Rule><ID>a</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days>"
      "</Expiration></Rule><Rule><Filter><And><Prefix>tmp/</Prefix><Tag><Key>k</Key><Value>v"
      "</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Status>"
      "Disabled</Status><NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays>"
      "<NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
      "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>"
      "</AbortIncompleteMultipartUpload></Rule><Rule><ID>d</ID><Filter/><Status>Enabled"
      "</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>");
  auto rules = ParseLifecycleConfiguration(body);
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_TRUE((*rules)[0].legacy_prefix);
  EXPECT_EQ((*rules)[0].expiration_days, 3);
  EXPECT_EQ((*rules)[1].id, "rule-2");  // generated
  EXPECT_FALSE((*rules)[1].enabled);
  EXPECT_EQ((*rules)[1].tags.at("k"), "v");
  EXPECT_EQ((*rules)[1].newer_noncurrent_versions, 1);
  EXPECT_EQ((*rules)[1].abort_incomplete_days, 7);
  EXPECT_EQ((*rules)[2].expiration_date_unix, 1893456000);
  auto again = ParseLifecycleConfiguration(LifecycleConfigurationXml(*rules));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(LifecycleConfigurationXml(*again), LifecycleConfigurationXml(*rules));
}

TEST(LifecycleXmlTest, RefusesWhatS3Refuses) {
  const std::string days = "<Expiration><Days>1</Days></Expiration>";
  struct Case {
    std::string rules;
    ErrorReason reason;
  } cases[] = {
      {"<Rule><ID>x</ID><Status>enabled</Status>" + days + "</Rule>", ErrorReason::kMalformedXml},
      {"<Rule><ID>x</ID><Status>Enabled</Status></Rule>", ErrorReason::kMalformedXml},
      {"<Rule><ID>x</ID><Status>Enabled</Status>" + days +
           "</Rule><Rule><ID>x</ID><Status>"
           "Enabled</Status>" +
           days + "</Rule>",
       ErrorReason::kInvalidArgument},
      {"<Rule><ID>" + std::string(256, 'a') + "</ID><Status>Enabled</Status>" + days + "</Rule>",
       ErrorReason::kInvalidArgument},
      {"<Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>",
       ErrorReason::kInvalidArgument},
      {"<Rule><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date>"
       "</Expiration></Rule>",
       ErrorReason::kInvalidArgument},
      {"<Rule><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z"
       "</Date></Expiration></Rule>",
       ErrorReason::kMalformedXml},
      {"<Rule><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER"
       "</StorageClass></Transition></Rule>",
       ErrorReason::kNotImplemented},
  };
  for (const auto& c : cases) {
    auto rules = ParseLifecycleConfiguration(Config(c.rules));
    ASSERT_FALSE(rules.ok()) << c.rules;
    EXPECT_EQ(GetReason(rules.status()), c.reason) << c.rules;
  }
}

TEST(LifecycleXmlTest, FilterMatchesPrefixTagsAndSize) {
  LifecycleRule r;
  r.prefix = "tmp/";
  r.tags = {{"k", "v"}};
  r.size_greater_than = 10;
  r.size_less_than = 100;
  EXPECT_TRUE(LifecycleFilterMatches(r, "tmp/a", 50, {{"k", "v"}, {"x", "y"}}));
  EXPECT_FALSE(LifecycleFilterMatches(r, "other/a", 50, {{"k", "v"}}));
  EXPECT_FALSE(LifecycleFilterMatches(r, "tmp/a", 50, {{"k", "w"}}));
  EXPECT_FALSE(LifecycleFilterMatches(r, "tmp/a", 10, {{"k", "v"}}));
  EXPECT_FALSE(LifecycleFilterMatches(r, "tmp/a", 100, {{"k", "v"}}));
}

}  // namespace
}  // namespace sb::gateway::xml
