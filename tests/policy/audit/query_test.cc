// Query: "who touched this object, and which policy let them".
#include "policy/audit/query.h"

#include <string>
#include <vector>

#include "policy/audit/audit_log.h"
#include "tests/policy/audit/audit_test_util.h"

namespace sb::audit {
namespace {

using testing_util::IsOk;
using testing_util::MakeOptions;
using testing_util::MakeRecord;
using testing_util::ReadLines;
using testing_util::SegmentPath;
using testing_util::StartTime;
using testing_util::StatusIs;
using testing_util::WriteLines;

std::vector<std::string> RequestIds(const QueryResult& result) {
  std::vector<std::string> out;
  for (const LoggedRecord& r : result.records) out.push_back(r.record.request_id);
  return out;
}

class QueryTest : public ::testing::Test {
 protected:
  // 30 records over 3 small segments: i in 1..30, bucket "photos" for odd i and "docs" for
  // even i, alice for i <= 20 and bob after, PutObject for even i, time = base + i us.
  void SetUp() override {
    AuditOptions options = MakeOptions(dir_.path(), &clock_);
    options.segment_bytes = 8000;
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(options);
    ASSERT_THAT(log, IsOk());
    for (int i = 1; i <= 30; ++i) {
      AuditRecord r =
          MakeRecord(i, i % 2 == 1 ? "photos" : "docs", i <= 20 ? "AKIAALICE" : "AKIABOB");
      if (i == 7) r.key = "2024/img-17.jpg";  // a second record touching the same object
      if (i == 27) {
        r.decision = {false, "bucket-policy", "photos-policy", "DenyBob"};
        r.http_status = 403;
        r.error_code = "AccessDenied";
      }
      ASSERT_THAT((*log)->Append(r), IsOk());
    }
    ASSERT_TRUE(std::filesystem::exists(SegmentPath(dir_.path(), 2)));
  }

  QueryResult Run(const AuditFilter& filter) {
    absl::StatusOr<QueryResult> result = Query(dir_.path(), filter);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *result : QueryResult{};
  }

  testing_util::TempDir dir_;
  FakeClock clock_{StartTime()};
};

TEST_F(QueryTest, WhoTouchedThisObjectAndWhichPolicyLetThem) {
  AuditFilter filter;
  filter.bucket = "photos";
  filter.key = "2024/img-17.jpg";
  QueryResult result = Run(filter);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].seq, 7u);
  EXPECT_EQ(result.records[1].seq, 17u);
  const AuditRecord& r = result.records[1].record;
  EXPECT_EQ(r.principal.user, "alice");
  EXPECT_EQ(r.principal.access_key, "AKIAALICE");
  EXPECT_TRUE(r.decision.allowed);
  EXPECT_EQ(r.decision.policy_id, "photos-policy");
  EXPECT_EQ(r.decision.statement_id, "AllowStaff");
  EXPECT_EQ(r, MakeRecord(17, "photos", "AKIAALICE"));
  EXPECT_FALSE(result.truncated);
}

TEST_F(QueryTest, KeyPrefix) {
  AuditFilter filter;
  filter.key = "2024/img-2";
  filter.key_is_prefix = true;
  // img-2 and img-20..29
  EXPECT_EQ(Run(filter).records.size(), 11u);
  filter.key_is_prefix = false;
  EXPECT_TRUE(Run(filter).records.empty());
}

TEST_F(QueryTest, PrincipalAndOperation) {
  AuditFilter filter;
  filter.access_key = "AKIABOB";
  filter.operation = "GetObject";
  EXPECT_EQ(RequestIds(Run(filter)),
            (std::vector<std::string>{"req-21", "req-23", "req-25", "req-27", "req-29"}));
  AuditFilter by_user;
  by_user.user = "alice";
  EXPECT_EQ(Run(by_user).records.size(), 20u);
}

TEST_F(QueryTest, DeniedRequestsAreFoundWithTheirDecision) {
  AuditFilter filter;
  filter.bucket = "photos";
  filter.access_key = "AKIABOB";
  QueryResult result = Run(filter);
  ASSERT_EQ(result.records.size(), 5u);
  const AuditRecord& denied = result.records[3].record;
  EXPECT_EQ(denied.request_id, "req-27");
  EXPECT_FALSE(denied.decision.allowed);
  EXPECT_EQ(denied.decision.statement_id, "DenyBob");
  EXPECT_EQ(denied.error_code, "AccessDenied");
}

TEST_F(QueryTest, TimeRangeIsHalfOpen) {
  AuditFilter filter;
  filter.from_unix_nanos = MakeRecord(5).time_unix_nanos;
  filter.to_unix_nanos = MakeRecord(9).time_unix_nanos;
  EXPECT_EQ(RequestIds(Run(filter)),
            (std::vector<std::string>{"req-5", "req-6", "req-7", "req-8"}));
}

TEST_F(QueryTest, LimitTruncatesInSeqOrder) {
  AuditFilter filter;
  filter.bucket = "docs";
  filter.limit = 4;
  QueryResult result = Run(filter);
  EXPECT_EQ(RequestIds(result), (std::vector<std::string>{"req-2", "req-4", "req-6", "req-8"}));
  EXPECT_TRUE(result.truncated);
  filter.limit = 15;
  result = Run(filter);
  EXPECT_EQ(result.records.size(), 15u);
  EXPECT_FALSE(result.truncated);
}

TEST_F(QueryTest, UnreadableLinesAreSkippedAndCounted) {
  std::vector<std::string> lines = ReadLines(SegmentPath(dir_.path(), 1));
  lines[0] = "garbage";
  WriteLines(SegmentPath(dir_.path(), 1), lines);
  QueryResult result = Run(AuditFilter{});
  EXPECT_EQ(result.records.size(), 29u);
  EXPECT_EQ(result.unreadable_lines, 1u);
}

TEST_F(QueryTest, MissingDirectoryIsNotFound) {
  EXPECT_THAT(Query(dir_.path() + "/nope", AuditFilter{}), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace sb::audit
