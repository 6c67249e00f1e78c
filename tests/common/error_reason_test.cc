#include "common/error_reason.h"

#include "gtest/gtest.h"

namespace sb {
namespace {

TEST(ErrorReasonTest, RoundTripsThroughStatus) {
  absl::Status s = MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey, "missing");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetReason(s), ErrorReason::kNoSuchKey);
  EXPECT_EQ(ReasonName(GetReason(s)), "NoSuchKey");
}

TEST(ErrorReasonTest, PlainStatusHasNoReason) {
  EXPECT_EQ(GetReason(absl::InternalError("x")), ErrorReason::kNone);
  EXPECT_TRUE(WithReason(absl::OkStatus(), ErrorReason::kNoSuchKey).ok());
}

}  // namespace
}  // namespace sb
