// Object Lock documents: what boto3/aws-cli send for PutObjectLockConfiguration,
// PutObjectRetention and PutObjectLegalHold parses, malformed shapes are MalformedXML, and
// the Get bodies carry what was stored.
#include <string>

#include "common/error_reason.h"
#include "gateway/xml/object_lock_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

constexpr char kNs[] = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

std::string LockConfig(std::string_view inner) {
  return std::string("<ObjectLockConfiguration") + kNs + ">" + std::string(inner) +
         "</ObjectLockConfiguration>";
}

bool Malformed(const absl::Status& s) { return GetReason(s) == ErrorReason::kMalformedXml; }

TEST(ObjectLockXmlTest, ParsesConfigurationWithAndWithoutRule) {
  auto with_rule = ParseObjectLockConfiguration(
      LockConfig("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
                 "<Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule>"));
  ASSERT_TRUE(with_rule.ok()) << with_rule.status();
  EXPECT_TRUE(with_rule->has_rule);
  EXPECT_EQ(with_rule->mode, "GOVERNANCE");
  EXPECT_EQ(with_rule->days, 1);
  EXPECT_EQ(with_rule->years, 0);

  auto bare =
      ParseObjectLockConfiguration(LockConfig("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"));
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->has_rule);
}

TEST(ObjectLockXmlTest, RefusesMalformedConfigurations) {
  EXPECT_TRUE(Malformed(
      ParseObjectLockConfiguration(LockConfig("<ObjectLockEnabled>Disabled</ObjectLockEnabled>"))
          .status()));
  EXPECT_TRUE(Malformed(ParseObjectLockConfiguration(LockConfig("")).status()));
  EXPECT_TRUE(Malformed(ParseObjectLockConfiguration("<Other/>").status()));
  EXPECT_TRUE(Malformed(ParseObjectLockConfiguration("not xml").status()));
  EXPECT_TRUE(Malformed(ParseObjectLockConfiguration(
                            LockConfig("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
                                       "<DefaultRetention><Mode>GOVERNANCE</Mode><Days>x</Days>"
                                       "</DefaultRetention></Rule>"))
                            .status()));
  EXPECT_TRUE(Malformed(
      ParseObjectLockConfiguration(LockConfig("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                                              "<Rule><DefaultRetention><Days>1</Days>"
                                              "</DefaultRetention></Rule>"))
          .status()));
}

TEST(ObjectLockXmlTest, NegativePeriodsParseForTheRuleCheckToRefuse) {
  auto c = ParseObjectLockConfiguration(
      LockConfig("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
                 "<Mode>COMPLIANCE</Mode><Years>-1</Years></DefaultRetention></Rule>"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->years, -1);
}

TEST(ObjectLockXmlTest, ConfigurationRoundTrips) {
  ObjectLockConfiguration config{true, "COMPLIANCE", 0, 2};
  auto parsed = ParseObjectLockConfiguration(ObjectLockConfigurationXml(config));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->mode, "COMPLIANCE");
  EXPECT_EQ(parsed->years, 2);
  EXPECT_EQ(parsed->days, 0);
}

TEST(ObjectLockXmlTest, ParsesRetentionDates) {
  auto r = ParseRetention(std::string("<Retention") + kNs +
                          "><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z"
                          "</RetainUntilDate></Retention>");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->mode, "GOVERNANCE");
  EXPECT_EQ(r->retain_until,
            absl::FromCivil(absl::CivilSecond(2030, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  auto millis = ParseRetention(
      "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2030-01-01T01:00:00.500+01:00"
      "</RetainUntilDate></Retention>");
  ASSERT_TRUE(millis.ok()) << millis.status();
  EXPECT_EQ(millis->retain_until, r->retain_until + absl::Milliseconds(500));
  EXPECT_EQ(FormatRetainUntil(r->retain_until), "2030-01-01T00:00:00.000Z");
}

TEST(ObjectLockXmlTest, RefusesBadRetention) {
  EXPECT_TRUE(Malformed(ParseRetention("<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>tomorrow"
                                       "</RetainUntilDate></Retention>")
                            .status()));
  EXPECT_TRUE(Malformed(ParseRetention("<Retention><Mode>GOVERNANCE</Mode></Retention>").status()));
  auto parsed = ParseRetention(RetentionXml("GOVERNANCE", absl::FromUnixSeconds(1'900'000'000)));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->retain_until, absl::FromUnixSeconds(1'900'000'000));
}

TEST(ObjectLockXmlTest, EmptyRetentionMeansRemove) {
  for (const char* body : {"<Retention/>", "<Retention></Retention>",
                           "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"}) {
    auto r = ParseRetention(body);
    ASSERT_TRUE(r.ok()) << body;
    EXPECT_TRUE(r->remove) << body;
  }
  EXPECT_TRUE(
      Malformed(ParseRetention("<Retention><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>"
                               "</Retention>")
                    .status()));
}

TEST(ObjectLockXmlTest, LegalHoldIsOnOrOff) {
  EXPECT_EQ(ParseLegalHold(std::string("<LegalHold") + kNs + "><Status>ON</Status></LegalHold>")
                .value_or(false),
            true);
  auto off = ParseLegalHold("<LegalHold><Status>OFF</Status></LegalHold>");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(*off);
  EXPECT_TRUE(Malformed(ParseLegalHold("<LegalHold><Status>abc</Status></LegalHold>").status()));
  EXPECT_TRUE(Malformed(ParseLegalHold("<LegalHold></LegalHold>").status()));
  EXPECT_EQ(ParseLegalHold(LegalHoldXml(true)).value_or(false), true);
}

}  // namespace
}  // namespace sb::gateway::xml
