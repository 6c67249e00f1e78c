#include "common/clock.h"

#include "gtest/gtest.h"

namespace sb {
namespace {

TEST(ParseInstantNanosTest, Rfc3339AndUnixSeconds) {
  EXPECT_EQ(ParseInstantNanos("2026-11-22T06:40:00Z"),
            absl::ToUnixNanos(
                absl::FromCivil(absl::CivilSecond(2026, 11, 22, 6, 40, 0), absl::UTCTimeZone())));
  EXPECT_EQ(ParseInstantNanos("2026-11-22T07:40:00+01:00"),
            ParseInstantNanos("2026-11-22T06:40:00Z"));
  EXPECT_EQ(ParseInstantNanos("1700000000"), 1700000000LL * 1000000000LL);
  EXPECT_EQ(ParseInstantNanos("1.5"), 1500000000LL);
  EXPECT_FALSE(ParseInstantNanos("").has_value());
  EXPECT_FALSE(ParseInstantNanos("yesterday").has_value());
  EXPECT_FALSE(ParseInstantNanos("-5").has_value());
  EXPECT_FALSE(ParseInstantNanos("1.2.3").has_value());
}

}  // namespace
}  // namespace sb
