// CheckConditions: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since with
// the precedence the S3 GetObject and CopyObject references document, plus HTTP dates.
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/handlers/handler_util.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::HasReason;
using core_testing::IsOk;

constexpr char kEtag[] = "9b2cf535f27731c974343645a3985328";
// The object was last modified at 2024-03-10 12:00:00.700 UTC.
constexpr char kAtModified[] = "Sun, 10 Mar 2024 12:00:00 GMT";
constexpr char kBefore[] = "Sun, 10 Mar 2024 11:59:59 GMT";
constexpr char kAfter[] = "Sun, 10 Mar 2024 12:00:01 GMT";

absl::Time Modified() {
  return absl::FromCivil(absl::CivilSecond(2024, 3, 10, 12, 0, 0), absl::UTCTimeZone()) +
         absl::Milliseconds(700);
}

class ConditionsTest : public ::testing::Test {
 protected:
  ConditionsTest() {
    object_.set_key("k");
    object_.set_etag(kEtag);
    object_.set_last_modified_unix_nanos(absl::ToUnixNanos(Modified()));
  }

  absl::Status Check(std::vector<std::pair<std::string, std::string>> headers,
                     std::string_view prefix = "") {
    HttpRequestHead head;
    head.method = "GET";
    head.target = "/b/k";
    for (auto& [k, v] : headers) head.headers.emplace_back(k, v);
    core_testing::StringBody body("");
    core_testing::RecordingWriter out;
    RequestContext ctx(head, body, out, absl::UnixEpoch());
    absl::Status st = CheckConditions(ctx, object_, prefix);
    EXPECT_EQ(out.heads, 0) << "CheckConditions must not respond itself";
    return st;
  }

  metadata::ObjectRecord object_;
};

std::string Q(std::string_view s) { return "\"" + std::string(s) + "\""; }

TEST_F(ConditionsTest, NoConditions) { EXPECT_THAT(Check({}), IsOk()); }

TEST_F(ConditionsTest, IfMatch) {
  EXPECT_THAT(Check({{"if-match", Q(kEtag)}}), IsOk());
  EXPECT_THAT(Check({{"if-match", kEtag}}), IsOk());  // unquoted, as some clients send
  EXPECT_THAT(Check({{"if-match", " " + Q(kEtag) + " "}}), IsOk());
  EXPECT_THAT(Check({{"if-match", "*"}}), IsOk());
  EXPECT_THAT(Check({{"if-match", "\"other\", " + Q(kEtag)}}), IsOk());
  EXPECT_THAT(Check({{"if-match", "\"other\""}}), HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"if-match", "\"a\",\"b\""}}), HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"if-match", ""}}), HasReason(ErrorReason::kPreconditionFailed));
}

TEST_F(ConditionsTest, IfNoneMatch) {
  EXPECT_THAT(Check({{"if-none-match", Q(kEtag)}}), HasReason(ErrorReason::kNotModified));
  EXPECT_THAT(Check({{"if-none-match", kEtag}}), HasReason(ErrorReason::kNotModified));
  EXPECT_THAT(Check({{"if-none-match", "\"x\", " + Q(kEtag)}}),
              HasReason(ErrorReason::kNotModified));
  EXPECT_THAT(Check({{"if-none-match", "*"}}), HasReason(ErrorReason::kNotModified));
  EXPECT_THAT(Check({{"if-none-match", "\"other\""}}), IsOk());
  EXPECT_THAT(Check({{"if-none-match", "\"x\",\"y\""}}), IsOk());
}

TEST_F(ConditionsTest, IfModifiedSince) {
  EXPECT_THAT(Check({{"if-modified-since", kBefore}}), IsOk());
  // Second precision: the sub-second part of Last-Modified does not count as "modified".
  EXPECT_THAT(Check({{"if-modified-since", kAtModified}}), HasReason(ErrorReason::kNotModified));
  EXPECT_THAT(Check({{"if-modified-since", kAfter}}), HasReason(ErrorReason::kNotModified));
  // An unparseable date is ignored (RFC 9110 13.1.3).
  EXPECT_THAT(Check({{"if-modified-since", "yesterday"}}), IsOk());
}

TEST_F(ConditionsTest, IfUnmodifiedSince) {
  EXPECT_THAT(Check({{"if-unmodified-since", kAfter}}), IsOk());
  EXPECT_THAT(Check({{"if-unmodified-since", kAtModified}}), IsOk());
  EXPECT_THAT(Check({{"if-unmodified-since", kBefore}}),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"if-unmodified-since", "not a date"}}), IsOk());
}

TEST_F(ConditionsTest, ErrorCodes) {
  absl::Status failed = Check({{"if-match", "\"other\""}});
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  absl::Status not_modified = Check({{"if-none-match", Q(kEtag)}});
  EXPECT_EQ(not_modified.code(), absl::StatusCode::kFailedPrecondition);
}

// S3 GetObject: "If-Match evaluates to true, and If-Unmodified-Since evaluates to false,
// then S3 returns 200 OK and the data requested."
TEST_F(ConditionsTest, IfMatchTrueOverridesIfUnmodifiedSinceFalse) {
  EXPECT_THAT(Check({{"if-match", Q(kEtag)}, {"if-unmodified-since", kBefore}}), IsOk());
  // And If-Match false fails regardless of the date.
  EXPECT_THAT(Check({{"if-match", "\"x\""}, {"if-unmodified-since", kAfter}}),
              HasReason(ErrorReason::kPreconditionFailed));
}

// S3 GetObject: "If-None-Match evaluates to false, and If-Modified-Since evaluates to true,
// then S3 returns 304 Not Modified."
TEST_F(ConditionsTest, IfNoneMatchFalseWithIfModifiedSinceTrueIsNotModified) {
  EXPECT_THAT(Check({{"if-none-match", Q(kEtag)}, {"if-modified-since", kBefore}}),
              HasReason(ErrorReason::kNotModified));
  // If-None-Match true: If-Modified-Since is not evaluated (RFC 9110 13.1.3).
  EXPECT_THAT(Check({{"if-none-match", "\"x\""}, {"if-modified-since", kAfter}}), IsOk());
}

TEST_F(ConditionsTest, PreconditionFailureWinsOverNotModified) {
  EXPECT_THAT(Check({{"if-match", "\"x\""}, {"if-none-match", Q(kEtag)}}),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"if-unmodified-since", kBefore}, {"if-modified-since", kAfter}}),
              HasReason(ErrorReason::kPreconditionFailed));
}

constexpr char kCopy[] = "x-amz-copy-source-";

TEST_F(ConditionsTest, CopySourceConditionsOnlyEverFailWith412) {
  EXPECT_THAT(Check({{"x-amz-copy-source-if-match", Q(kEtag)}}, kCopy), IsOk());
  EXPECT_THAT(Check({{"x-amz-copy-source-if-match", "\"x\""}}, kCopy),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"x-amz-copy-source-if-none-match", Q(kEtag)}}, kCopy),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"x-amz-copy-source-if-none-match", "\"x\""}}, kCopy), IsOk());
  EXPECT_THAT(Check({{"x-amz-copy-source-if-modified-since", kAfter}}, kCopy),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"x-amz-copy-source-if-modified-since", kBefore}}, kCopy), IsOk());
  EXPECT_THAT(Check({{"x-amz-copy-source-if-unmodified-since", kBefore}}, kCopy),
              HasReason(ErrorReason::kPreconditionFailed));
  EXPECT_THAT(Check({{"x-amz-copy-source-if-unmodified-since", kAfter}}, kCopy), IsOk());
}

// S3 CopyObject documents the same two combinations for the copy-source headers.
TEST_F(ConditionsTest, CopySourcePrecedence) {
  EXPECT_THAT(Check({{"x-amz-copy-source-if-match", Q(kEtag)},
                     {"x-amz-copy-source-if-unmodified-since", kBefore}},
                    kCopy),
              IsOk());
  EXPECT_THAT(Check({{"x-amz-copy-source-if-none-match", Q(kEtag)},
                     {"x-amz-copy-source-if-modified-since", kBefore}},
                    kCopy),
              HasReason(ErrorReason::kPreconditionFailed));
}

TEST_F(ConditionsTest, PrefixSelectsWhichHeadersApply) {
  // Plain conditions on a copy request are about the destination, not the source.
  EXPECT_THAT(Check({{"if-match", "\"x\""}}, kCopy), IsOk());
  EXPECT_THAT(Check({{"x-amz-copy-source-if-match", "\"x\""}}), IsOk());
}

TEST(HttpDateTest, ParsesTheThreeHttpDateForms) {
  const absl::Time want =
      absl::FromCivil(absl::CivilSecond(1994, 11, 6, 8, 49, 37), absl::UTCTimeZone());
  for (const char* s : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                        "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT  ",
                        "Sun, 06 Nov 1994 08:49:37 -0000", "Sun, 06 Nov 1994 09:49:37 +0100"}) {
    auto t = ParseHttpDate(s);
    ASSERT_TRUE(t.has_value()) << s;
    EXPECT_EQ(*t, want) << s;
  }
}

TEST(HttpDateTest, RejectsOtherForms) {
  for (const char* s : {"", "1994-11-06T08:49:37Z", "Sun, 06 Nov 1994", "yesterday",
                        "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT"}) {
    EXPECT_FALSE(ParseHttpDate(s).has_value()) << s;
  }
}

TEST(HttpDateTest, FormatRoundTrips) {
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2024, 3, 10, 12, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatHttpDate(t), "Sun, 10 Mar 2024 12:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(t + absl::Milliseconds(999)), "Sun, 10 Mar 2024 12:00:00 GMT");
  auto back = ParseHttpDate(FormatHttpDate(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, t);
}

}  // namespace
}  // namespace sb::gateway
