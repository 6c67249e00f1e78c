// MapStatus: every ErrorReason has an S3 code (none is forgotten and silently turned into
// a 500), exact code/status pairs from the S3 "Error responses" reference, and 5xx
// replies never carry internal detail.
#include "gateway/s3_errors.h"

#include <set>
#include <string>

#include "common/error_reason.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

// Reasons that are server-side conditions by design.
bool MeantToBe5xx(ErrorReason r) {
  return r == ErrorReason::kSlowDown || r == ErrorReason::kQuorumLost ||
         r == ErrorReason::kDataCorrupted || r == ErrorReason::kNotImplemented;
}

// The last enumerator: walks until ReasonName reports "Unknown" (with a generous bound so a
// broken ReasonName cannot loop forever).
int ReasonCount() {
  int n = 1;
  while (n < 10000 && ReasonName(static_cast<ErrorReason>(n)) != "Unknown") ++n;
  return n;
}

TEST(S3ErrorsTest, EveryReasonHasAMapping) {
  const int count = ReasonCount();
  ASSERT_GT(count, static_cast<int>(ErrorReason::kAuthorizationQueryParametersError));
  for (int i = 1; i < count; ++i) {
    auto reason = static_cast<ErrorReason>(i);
    SCOPED_TRACE(std::string(ReasonName(reason)));
    // kUnknown as the canonical code: only the reason can produce a non-500 answer.
    S3Error e = MapStatus(MakeError(absl::StatusCode::kUnknown, reason, "detail"));
    EXPECT_FALSE(e.code.empty());
    EXPECT_FALSE(e.message.empty());
    if (MeantToBe5xx(reason)) {
      EXPECT_GE(e.http_status, 500);
      EXPECT_LT(e.http_status, 600);
      EXPECT_EQ(e.message.find("detail"), std::string::npos) << "5xx leaks internal detail";
    } else {
      EXPECT_GE(e.http_status, 300);
      EXPECT_LT(e.http_status, 500);
      EXPECT_NE(e.code, "InternalError");
    }
  }
}

TEST(S3ErrorsTest, FiveHundredsAreExactlyTheIntendedOnes) {
  auto map = [](ErrorReason r) { return MapStatus(MakeError(absl::StatusCode::kUnknown, r, "x")); };
  EXPECT_EQ(map(ErrorReason::kSlowDown).http_status, 503);
  EXPECT_EQ(map(ErrorReason::kSlowDown).code, "SlowDown");
  EXPECT_EQ(map(ErrorReason::kQuorumLost).http_status, 503);
  EXPECT_EQ(map(ErrorReason::kDataCorrupted).http_status, 500);
  EXPECT_EQ(map(ErrorReason::kDataCorrupted).code, "InternalError");
  EXPECT_EQ(map(ErrorReason::kNotImplemented).http_status, 501);
  EXPECT_EQ(map(ErrorReason::kNotImplemented).code, "NotImplemented");
}

TEST(S3ErrorsTest, ExactCodesAndStatuses) {
  struct Case {
    ErrorReason reason;
    absl::StatusCode code;
    int status;
    const char* s3_code;
  };
  const Case cases[] = {
      {ErrorReason::kNoSuchKey, absl::StatusCode::kNotFound, 404, "NoSuchKey"},
      {ErrorReason::kNoSuchBucket, absl::StatusCode::kNotFound, 404, "NoSuchBucket"},
      {ErrorReason::kNoSuchUpload, absl::StatusCode::kNotFound, 404, "NoSuchUpload"},
      {ErrorReason::kBucketNotEmpty, absl::StatusCode::kFailedPrecondition, 409, "BucketNotEmpty"},
      {ErrorReason::kBucketAlreadyOwnedByYou, absl::StatusCode::kAlreadyExists, 409,
       "BucketAlreadyOwnedByYou"},
      {ErrorReason::kInvalidRange, absl::StatusCode::kOutOfRange, 416, "InvalidRange"},
      {ErrorReason::kPreconditionFailed, absl::StatusCode::kFailedPrecondition, 412,
       "PreconditionFailed"},
      {ErrorReason::kNotModified, absl::StatusCode::kFailedPrecondition, 304, "NotModified"},
      {ErrorReason::kSignatureDoesNotMatch, absl::StatusCode::kUnauthenticated, 403,
       "SignatureDoesNotMatch"},
      {ErrorReason::kAccessDenied, absl::StatusCode::kPermissionDenied, 403, "AccessDenied"},
      {ErrorReason::kMalformedXml, absl::StatusCode::kInvalidArgument, 400, "MalformedXML"},
      {ErrorReason::kEntityTooSmall, absl::StatusCode::kInvalidArgument, 400, "EntityTooSmall"},
      {ErrorReason::kEntityTooLarge, absl::StatusCode::kInvalidArgument, 400, "EntityTooLarge"},
      {ErrorReason::kInvalidPart, absl::StatusCode::kInvalidArgument, 400, "InvalidPart"},
      {ErrorReason::kInvalidPartOrder, absl::StatusCode::kInvalidArgument, 400, "InvalidPartOrder"},
      {ErrorReason::kBadDigest, absl::StatusCode::kInvalidArgument, 400, "BadDigest"},
      {ErrorReason::kIncompleteBody, absl::StatusCode::kInvalidArgument, 400, "IncompleteBody"},
      {ErrorReason::kMissingContentLength, absl::StatusCode::kInvalidArgument, 411,
       "MissingContentLength"},
      {ErrorReason::kMethodNotAllowed, absl::StatusCode::kInvalidArgument, 405, "MethodNotAllowed"},
      {ErrorReason::kKeyTooLong, absl::StatusCode::kInvalidArgument, 400, "KeyTooLongError"},
  };
  for (const auto& c : cases) {
    S3Error e = MapStatus(MakeError(c.code, c.reason, "client-visible detail"));
    EXPECT_EQ(e.http_status, c.status) << c.s3_code;
    EXPECT_EQ(e.code, c.s3_code);
    // 4xx messages are the caller's specific text.
    EXPECT_EQ(e.message, "client-visible detail") << c.s3_code;
  }
}

TEST(S3ErrorsTest, EmptyMessageFallsBackToTheDocumentedOne) {
  S3Error e = MapStatus(MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey, ""));
  EXPECT_EQ(e.message, "The specified key does not exist.");
}

TEST(S3ErrorsTest, CanonicalCodesWithoutReason) {
  EXPECT_EQ(MapStatus(absl::InvalidArgumentError("x")).http_status, 400);
  EXPECT_EQ(MapStatus(absl::InvalidArgumentError("x")).code, "InvalidArgument");
  EXPECT_EQ(MapStatus(absl::PermissionDeniedError("x")).code, "AccessDenied");
  EXPECT_EQ(MapStatus(absl::PermissionDeniedError("x")).http_status, 403);
  EXPECT_EQ(MapStatus(absl::UnimplementedError("x")).http_status, 501);
  EXPECT_EQ(MapStatus(absl::UnavailableError("x")).http_status, 503);
}

TEST(S3ErrorsTest, UnknownStatusesAreInternalErrorWithoutDetail) {
  const absl::Status internals[] = {
      absl::InternalError("rocksdb: IO error /var/lib/strongbox/db/000012.sst"),
      absl::DataLossError("shard 3 checksum mismatch at /drives/d3/ab/cd.shard"),
      absl::AbortedError("secret"),
      absl::UnknownError("secret"),
      absl::DeadlineExceededError("secret"),
      MakeError(absl::StatusCode::kInternal, static_cast<ErrorReason>(99999), "secret"),
  };
  for (const auto& st : internals) {
    S3Error e = MapStatus(st);
    EXPECT_EQ(e.http_status, 500) << st;
    EXPECT_EQ(e.code, "InternalError") << st;
    EXPECT_EQ(e.message, "We encountered an internal error. Please try again.") << st;
  }
  // 503s do not leak either.
  S3Error busy = MapStatus(absl::UnavailableError("drive /dev/sdb offline"));
  EXPECT_EQ(busy.message.find("sdb"), std::string::npos);
  S3Error quorum = MapStatus(
      MakeError(absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost, "drives d1,d2 down"));
  EXPECT_EQ(quorum.message.find("d1"), std::string::npos);
}

TEST(S3ErrorsTest, CodesAreWellFormedIdentifiers) {
  std::set<std::string> seen;
  for (int i = 1; i < ReasonCount(); ++i) {
    S3Error e = MapStatus(MakeError(absl::StatusCode::kUnknown, static_cast<ErrorReason>(i), ""));
    for (char c : e.code) {
      // Letters and digits; '.' separates a service prefix ("KMS.DisabledException").
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.')
          << e.code;
    }
    seen.insert(std::string(e.code));
  }
  EXPECT_GT(seen.size(), 30u);
}

}  // namespace
}  // namespace sb::gateway
