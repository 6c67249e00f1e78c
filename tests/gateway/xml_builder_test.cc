#include "gateway/xml/xml_builder.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/xml/url_encode.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

std::string Escaped(std::string_view text) {
  std::string out;
  AppendEscaped(&out, text);
  return out;
}

int64_t Nanos(int y, int mo, int d, int h, int mi, int s, int64_t extra_nanos = 0) {
  return absl::ToUnixNanos(
             absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone())) +
         extra_nanos;
}

TEST(AppendEscapedTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(Escaped(R"(a<b>c&d"e'f)"), "a&lt;b&gt;c&amp;d&quot;e&apos;f");
  EXPECT_EQ(Escaped("&amp;"), "&amp;amp;");
}

TEST(AppendEscapedTest, LeavesPlainTextAndUnicodeAlone) {
  EXPECT_EQ(Escaped(""), "");
  EXPECT_EQ(Escaped("photos/2024/cat.jpg"), "photos/2024/cat.jpg");
  EXPECT_EQ(Escaped("日本語/ключ/🎉"), "日本語/ключ/🎉");
}

TEST(AppendEscapedTest, ControlCharactersBecomeReferencesButTabAndNewlineStay) {
  EXPECT_EQ(Escaped("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(Escaped("a\rb"), "a&#xD;b");
  EXPECT_EQ(Escaped(std::string_view("\x01\x1f", 2)), "&#x1;&#x1F;");
  EXPECT_EQ(Escaped(std::string_view("x\0y", 3)), "x&#x0;y");
}

TEST(AppendEscapedTest, AppendsToExistingContent) {
  std::string out = "<K>";
  AppendEscaped(&out, "1<2");
  EXPECT_EQ(out, "<K>1&lt;2");
}

TEST(FormatS3TimeTest, WritesIso8601WithMilliseconds) {
  EXPECT_EQ(FormatS3Time(Nanos(2009, 10, 12, 17, 50, 30)), "2009-10-12T17:50:30.000Z");
  EXPECT_EQ(FormatS3Time(Nanos(2024, 2, 29, 0, 0, 0, 123'999'999)), "2024-02-29T00:00:00.123Z");
  EXPECT_EQ(FormatS3Time(0), "1970-01-01T00:00:00.000Z");
}

TEST(FormatS3TimeTest, FloorsTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatS3Time(-1), "1969-12-31T23:59:59.999Z");
}

TEST(FormatS3TimeTest, AgreesWithAbseilAcrossCenturies) {
  // absl's civil-time formatting is the oracle for the arithmetic implementation.
  auto oracle = [](int64_t nanos) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixNanos(nanos),
                            absl::UTCTimeZone());
  };
  std::vector<int64_t> samples = {Nanos(2000, 2, 29, 23, 59, 59, 999'999'999),
                                  Nanos(2000, 3, 1, 0, 0, 0),
                                  Nanos(1900, 3, 1, 12, 0, 0),
                                  Nanos(2100, 2, 28, 1, 2, 3),
                                  Nanos(2100, 3, 1, 0, 0, 0),
                                  Nanos(1970, 1, 1, 0, 0, 0, -1'000'000),
                                  INT64_MIN,
                                  INT64_MAX,
                                  Nanos(2262, 4, 11, 23, 47, 16),
                                  Nanos(1677, 9, 21, 0, 12, 44)};
  uint64_t x = 0x9E3779B97F4A7C15u;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    samples.push_back(static_cast<int64_t>(x));  // the whole int64 nanosecond range
  }
  for (int64_t nanos : samples) {
    ASSERT_EQ(FormatS3Time(nanos), oracle(nanos)) << nanos;
  }
}

TEST(S3UrlEncodeTest, KeepsUnreservedAndSlash) {
  EXPECT_EQ(S3UrlEncode("abcXYZ019-_.*/"), "abcXYZ019-_.*/");
  EXPECT_EQ(S3UrlEncode(""), "");
}

TEST(S3UrlEncodeTest, MatchesTheAwsDocumentedExample) {
  EXPECT_EQ(S3UrlEncode("test_file(3).png"), "test_file%283%29.png");
}

TEST(S3UrlEncodeTest, SpaceIsPlusAndPlusIsEscaped) {
  // Clients decode with unquote_plus, so a literal '+' would come back as a space.
  EXPECT_EQ(S3UrlEncode("a b+c"), "a%20b%2Bc");
  EXPECT_EQ(S3UrlEncode("100%"), "100%25");
  EXPECT_EQ(S3UrlEncode("~?&=#:<>\"'"), "%7E%3F%26%3D%23%3A%3C%3E%22%27");
}

TEST(S3UrlEncodeTest, EncodesEveryUtf8ByteAndControlCharacters) {
  EXPECT_EQ(S3UrlEncode("é"), "%C3%A9");
  EXPECT_EQ(S3UrlEncode("🎉"), "%F0%9F%8E%89");
  EXPECT_EQ(S3UrlEncode(std::string_view("\n\x01\0", 3)), "%0A%01%00");
  EXPECT_EQ(MaybeUrlEncode("a b", false), "a b");
  EXPECT_EQ(MaybeUrlEncode("a b", true), "a%20b");
}

TEST(XmlBuilderTest, BuildsElementsOfEveryKind) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("Root");
  b.Element("S", "x&y");
  b.Element("Empty", "");
  b.Element("U", uint64_t{18446744073709551615u});
  b.Element("I", int64_t{-9223372036854775807 - 1});
  b.Element("Zero", 0);
  b.Element("T", true);
  b.Element("F", false);
  b.TimeElement("When", Nanos(2009, 10, 12, 17, 50, 30));
  b.ETagElement("E1", "abc");
  b.ETagElement("E2", "\"abc\"");
  b.KeyElement("K1", "a b", true);
  b.KeyElement("K2", "a b", false);
  b.OwnerElement("Owner", "alice");
  b.Open("Inner");
  b.Close("Inner");
  b.Close("Root");
  EXPECT_EQ(b.Finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Root xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<S>x&amp;y</S><Empty></Empty><U>18446744073709551615</U>"
            "<I>-9223372036854775808</I><Zero>0</Zero><T>true</T><F>false</F>"
            "<When>2009-10-12T17:50:30.000Z</When>"
            "<E1>&quot;abc&quot;</E1><E2>&quot;abc&quot;</E2><K1>a%20b</K1><K2>a b</K2>"
            "<Owner><ID>alice</ID><DisplayName>alice</DisplayName></Owner>"
            "<Inner></Inner></Root>");
}

}  // namespace
}  // namespace sb::gateway::xml
