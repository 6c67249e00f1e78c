#include "policy/eval/values.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace sb::policy::eval {
namespace {

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

TEST(DateValueTest, Iso8601Forms) {
  EXPECT_EQ(ParseDateValue("2019-07-16T12:00:00Z"), Utc(2019, 7, 16, 12));
  EXPECT_EQ(ParseDateValue("2019-07-16"), Utc(2019, 7, 16));
  EXPECT_EQ(ParseDateValue("2019-07-16T12:30Z"), Utc(2019, 7, 16, 12, 30));
  EXPECT_EQ(ParseDateValue("2019-07-16T12:30:15"), Utc(2019, 7, 16, 12, 30, 15));  // no zone: UTC
  EXPECT_EQ(ParseDateValue("2019-07-16t12:30:15z"), Utc(2019, 7, 16, 12, 30, 15));
  EXPECT_EQ(ParseDateValue("2019-07-16T14:00:00+02:00"), Utc(2019, 7, 16, 12));
  EXPECT_EQ(ParseDateValue("2019-07-16T14:00:00+0200"), Utc(2019, 7, 16, 12));
  EXPECT_EQ(ParseDateValue("2019-07-16T09:00:00-03"), Utc(2019, 7, 16, 12));
  EXPECT_EQ(ParseDateValue("2019-07-16T12:00:00.250Z"),
            Utc(2019, 7, 16, 12) + absl::Milliseconds(250));
}

TEST(DateValueTest, EpochSeconds) {
  EXPECT_EQ(ParseDateValue("0"), absl::UnixEpoch());
  EXPECT_EQ(ParseDateValue("1563278400"), Utc(2019, 7, 16, 12));
  EXPECT_EQ(ParseDateValue("1563278400.5"), Utc(2019, 7, 16, 12) + absl::Milliseconds(500));
}

TEST(DateValueTest, RejectsMalformedAndCalendarInvalid) {
  for (const char* bad :
       {"", "yesterday", "2023-02-29", "2024-13-01", "2024-04-31", "2024-05-01T24:00:00Z",
        "2024-05-01T12:60Z", "2024-05-01T12:00:61Z", "2024-05-01T12", "2024-05-01T12:00:00Q",
        "2024-05-01T12:00:00+25:00", "2024-05-01T12:00:00.Z", "2024/05/01", "1563278400.", "-5",
        "1e9", " 1563278400", "99999999999999999999999"}) {
    EXPECT_FALSE(ParseDateValue(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseDateValue("2024-02-29").has_value());  // leap year
}

TEST(DateValueTest, FormatIsoTimeRoundTrips) {
  absl::Time t = Utc(2024, 5, 1, 8, 9, 10);
  EXPECT_EQ(FormatIsoTime(t), "2024-05-01T08:09:10Z");
  EXPECT_EQ(ParseDateValue(FormatIsoTime(t)), t);
}

TEST(NumberValueTest, ParsesDecimalForms) {
  EXPECT_EQ(ParseNumberValue("42"), 42.0);
  EXPECT_EQ(ParseNumberValue("-3.5"), -3.5);
  EXPECT_EQ(ParseNumberValue("+7"), 7.0);
  EXPECT_EQ(ParseNumberValue(".5"), 0.5);
  EXPECT_EQ(ParseNumberValue("5."), 5.0);
  EXPECT_EQ(ParseNumberValue("1e3"), 1000.0);
  EXPECT_EQ(ParseNumberValue("1E-1"), 0.1);
}

TEST(NumberValueTest, RejectsNonNumbers) {
  for (const char* bad :
       {"", " 1", "1 ", "0x10", "inf", "nan", "1e", "+", "-", ".", "1,000", "ten", "1e999"}) {
    EXPECT_FALSE(ParseNumberValue(bad).has_value()) << bad;
  }
}

TEST(BoolValueTest, CaseInsensitive) {
  EXPECT_EQ(ParseBoolValue("true"), true);
  EXPECT_EQ(ParseBoolValue("TRUE"), true);
  EXPECT_EQ(ParseBoolValue("False"), false);
  EXPECT_FALSE(ParseBoolValue("yes").has_value());
  EXPECT_FALSE(ParseBoolValue("1").has_value());
  EXPECT_FALSE(ParseBoolValue("").has_value());
}

TEST(IpAddressTest, ParsesFamilies) {
  auto v4 = IpAddress::Parse("192.0.2.10");
  ASSERT_TRUE(v4.has_value());
  EXPECT_TRUE(v4->v4);
  EXPECT_EQ(v4->bytes[3], 10);
  auto v6 = IpAddress::Parse("2001:db8::1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_FALSE(v6->v4);
  auto mapped = IpAddress::Parse("::ffff:192.0.2.10");
  ASSERT_TRUE(mapped.has_value());
  EXPECT_TRUE(mapped->v4);
  EXPECT_EQ(mapped->bytes, v4->bytes);
  for (const char* bad :
       {"", "1.2.3", "256.1.1.1", "1.2.3.4/32", "fe80::1%eth0", "::g", "example.com", " 1.2.3.4"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << bad;
  }
}

TEST(IpRangeTest, Ipv4Cidr) {
  auto r = IpRange::Parse("203.0.113.0/24");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->Contains(*IpAddress::Parse("203.0.113.0")));
  EXPECT_TRUE(r->Contains(*IpAddress::Parse("203.0.113.255")));
  EXPECT_FALSE(r->Contains(*IpAddress::Parse("203.0.114.0")));
  EXPECT_FALSE(r->Contains(*IpAddress::Parse("2001:db8::1")));
  EXPECT_TRUE(r->Contains(*IpAddress::Parse("::ffff:203.0.113.7")));  // dual-stack listener
}

TEST(IpRangeTest, OddPrefixesAndHostBits) {
  auto r = IpRange::Parse("10.1.2.3/9");  // host bits are ignored
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->Contains(*IpAddress::Parse("10.127.255.255")));
  EXPECT_FALSE(r->Contains(*IpAddress::Parse("10.128.0.0")));
  auto all = IpRange::Parse("0.0.0.0/0");
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->Contains(*IpAddress::Parse("8.8.8.8")));
  EXPECT_FALSE(all->Contains(*IpAddress::Parse("::1")));
  auto host = IpRange::Parse("192.0.2.1");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->prefix_len(), 32);
  EXPECT_TRUE(host->Contains(*IpAddress::Parse("192.0.2.1")));
  EXPECT_FALSE(host->Contains(*IpAddress::Parse("192.0.2.2")));
}

TEST(IpRangeTest, Ipv6Cidr) {
  auto r = IpRange::Parse("2001:DB8:1234:5678::/64");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->v4());
  EXPECT_TRUE(r->Contains(*IpAddress::Parse("2001:db8:1234:5678:ffff::1")));
  EXPECT_FALSE(r->Contains(*IpAddress::Parse("2001:db8:1234:5679::1")));
  EXPECT_FALSE(r->Contains(*IpAddress::Parse("192.0.2.1")));
  auto mapped = IpRange::Parse("::ffff:10.0.0.0/104");  // = 10.0.0.0/8
  ASSERT_TRUE(mapped.has_value());
  EXPECT_TRUE(mapped->v4());
  EXPECT_EQ(mapped->prefix_len(), 8);
  EXPECT_TRUE(mapped->Contains(*IpAddress::Parse("10.200.0.1")));
}

TEST(IpRangeTest, RejectsBadRanges) {
  for (const char* bad : {"", "/24", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/1a", "::/129",
                          "::ffff:10.0.0.0/8", "1.2.3.4/0024", "10.0.0.0/8/8"}) {
    EXPECT_FALSE(IpRange::Parse(bad).has_value()) << bad;
  }
}

TEST(CaseTest, EqualsIgnoreCaseIsAsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("aws:SourceIp", "AWS:sourceip"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc3\xa9", "\xc3\x89"));  // é vs É: not folded
}

}  // namespace
}  // namespace sb::policy::eval
