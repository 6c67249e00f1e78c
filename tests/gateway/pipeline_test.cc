// Pipeline: stages run in order, the first error stops the chain and is rendered exactly
// once as an S3 <Error> document with the request id, and the audit sink always runs.
// The stages here are hand-written collaborators; the runner is the unit under test.
#include "gateway/pipeline.h"

#include <memory>
#include <string>
#include <vector>

#include "common/error_reason.h"
#include "gateway/stages/stages.h"
#include "gtest/gtest.h"
#include "pugixml.hpp"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::RecordingWriter;
using core_testing::StringBody;

// Appends its name to a shared log and returns a fixed status; optionally responds.
class LoggingStage final : public Stage {
 public:
  LoggingStage(std::string name, std::vector<std::string>* log, absl::Status result,
               bool respond = false)
      : name_(std::move(name)), log_(log), result_(std::move(result)), respond_(respond) {}
  absl::Status Run(RequestContext& ctx) override {
    log_->push_back(name_);
    if (respond_) {
      absl::Status st = ctx.Respond(200, {{"ETag", "\"e\""}}, "hello", "text/plain");
      if (!st.ok()) return st;
    }
    return result_;
  }
  std::string_view name() const override { return name_; }

 private:
  std::string name_;
  std::vector<std::string>* log_;
  absl::Status result_;
  bool respond_;
};

// Starts a streamed response, sends part of it, then fails (a mid-body read error).
class FailMidBodyStage final : public Stage {
 public:
  absl::Status Run(RequestContext& ctx) override {
    absl::Status st = ctx.StartResponse(200, {}, 100);
    if (!st.ok()) return st;
    st = ctx.SendBody("partial");
    if (!st.ok()) return st;
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted, "stripe 3 lost");
  }
  std::string_view name() const override { return "fail-mid-body"; }
};

struct AuditEntry {
  std::string request_id;
  std::string op;
  AuditSlice audit;
  bool response_started = false;
};

class RecordingAudit final : public AuditSink {
 public:
  absl::Status Record(const RequestContext& ctx) override {
    entries.push_back({ctx.req.request_id, std::string(OperationName(ctx.req.op)), ctx.audit,
                       ctx.response_started()});
    return result;
  }
  absl::Status Accepting() const override { return accepting; }
  std::vector<AuditEntry> entries;
  absl::Status result;     // what Record returns (an error = record not durable)
  absl::Status accepting;  // what Accepting returns (an error = the log failed)
};

class PipelineTest : public ::testing::Test {
 protected:
  void Run(std::vector<std::unique_ptr<Stage>> stages, const std::string& method = "GET",
           const std::string& target = "/bucket/key") {
    head_.method = method;
    head_.target = target;
    Pipeline pipeline(std::move(stages), &audit_);
    pipeline.Handle(head_, body_, out_);
  }
  std::unique_ptr<Stage> Ok(const std::string& name, bool respond = false) {
    return std::make_unique<LoggingStage>(name, &log_, absl::OkStatus(), respond);
  }
  std::unique_ptr<Stage> Fail(const std::string& name, absl::Status st) {
    return std::make_unique<LoggingStage>(name, &log_, std::move(st));
  }

  // Parses the recorded body as an S3 <Error> document.
  pugi::xml_node ErrorDoc() {
    auto result = doc_.load_string(out_.body.c_str());
    EXPECT_TRUE(result) << out_.body;
    return doc_.child("Error");
  }

  HttpRequestHead head_;
  StringBody body_{""};
  RecordingWriter out_;
  RecordingAudit audit_;
  std::vector<std::string> log_;
  pugi::xml_document doc_;
};

TEST_F(PipelineTest, StagesRunInOrderAndAuditRunsOnce) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Ok("parse"));
  stages.push_back(Ok("authenticate"));
  stages.push_back(Ok("authorize"));
  stages.push_back(Ok("handle", /*respond=*/true));
  Run(std::move(stages));
  EXPECT_EQ(log_, (std::vector<std::string>{"parse", "authenticate", "authorize", "handle"}));
  EXPECT_EQ(out_.heads, 1);
  EXPECT_EQ(out_.status, 200);
  EXPECT_EQ(out_.body, "hello");
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.http_status, 200);
  EXPECT_EQ(audit_.entries[0].audit.error_code, "");
  EXPECT_EQ(audit_.entries[0].audit.bytes_out, 5u);
  // Every response carries the request id (also in the audit record).
  ASSERT_NE(out_.Header("x-amz-request-id"), nullptr);
  EXPECT_FALSE(out_.Header("x-amz-request-id")->empty());
  EXPECT_EQ(*out_.Header("x-amz-request-id"), audit_.entries[0].request_id);
  EXPECT_NE(out_.Header("Date"), nullptr);
}

TEST_F(PipelineTest, ErrorStopsTheChainAndIsRenderedOnce) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ParseStage>());
  stages.push_back(Fail("authenticate", MakeError(absl::StatusCode::kUnauthenticated,
                                                  ErrorReason::kSignatureDoesNotMatch,
                                                  "signature mismatch for AKIA1")));
  stages.push_back(Ok("authorize"));
  stages.push_back(Ok("handle", true));
  Run(std::move(stages));
  EXPECT_EQ(log_, (std::vector<std::string>{"authenticate"}));
  EXPECT_EQ(out_.heads, 1);
  EXPECT_EQ(out_.status, 403);
  ASSERT_NE(out_.Header("Content-Type"), nullptr);
  EXPECT_EQ(*out_.Header("Content-Type"), "application/xml");
  EXPECT_EQ(out_.content_length, out_.body.size());
  pugi::xml_node error = ErrorDoc();
  EXPECT_STREQ(error.child_value("Code"), "SignatureDoesNotMatch");
  EXPECT_STREQ(error.child_value("Message"), "signature mismatch for AKIA1");
  EXPECT_STREQ(error.child_value("Resource"), "/bucket/key");
  ASSERT_NE(out_.Header("x-amz-request-id"), nullptr);
  EXPECT_EQ(error.child_value("RequestId"), *out_.Header("x-amz-request-id"));
  EXPECT_FALSE(std::string(error.child_value("RequestId")).empty());

  ASSERT_EQ(audit_.entries.size(), 1u);
  const AuditEntry& a = audit_.entries[0];
  EXPECT_EQ(a.request_id, *out_.Header("x-amz-request-id"));
  EXPECT_EQ(a.audit.http_status, 403);
  EXPECT_EQ(a.audit.error_code, "SignatureDoesNotMatch");
  EXPECT_EQ(a.audit.error_message, "signature mismatch for AKIA1");
}

TEST_F(PipelineTest, RequestIdsDifferPerRequest) {
  std::string first;
  for (int i = 0; i < 2; ++i) {
    out_ = RecordingWriter();
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(Ok("handle", true));
    Run(std::move(stages));
    ASSERT_NE(out_.Header("x-amz-request-id"), nullptr);
    if (i == 0) first = *out_.Header("x-amz-request-id");
  }
  EXPECT_NE(*out_.Header("x-amz-request-id"), first);
}

TEST_F(PipelineTest, InternalErrorsDoNotLeakButAreAudited) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Fail("handle", absl::InternalError("rocksdb: corruption in /data/db/0001.sst")));
  Run(std::move(stages));
  EXPECT_EQ(out_.status, 500);
  pugi::xml_node error = ErrorDoc();
  EXPECT_STREQ(error.child_value("Code"), "InternalError");
  EXPECT_EQ(out_.body.find("rocksdb"), std::string::npos) << out_.body;
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.error_message, "rocksdb: corruption in /data/db/0001.sst");
  EXPECT_EQ(audit_.entries[0].audit.http_status, 500);
}

TEST_F(PipelineTest, ErrorAfterTheResponseStartedIsNotRenderedAgain) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<FailMidBodyStage>());
  stages.push_back(Ok("never"));
  Run(std::move(stages));
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(out_.heads, 1);
  EXPECT_EQ(out_.status, 200);
  EXPECT_EQ(out_.body, "partial");  // no XML appended to the object bytes
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.http_status, 500);
  EXPECT_EQ(audit_.entries[0].audit.error_code, "InternalError");
}

TEST_F(PipelineTest, NotModifiedHasNoBody) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Fail("handle", MakeError(absl::StatusCode::kFailedPrecondition,
                                            ErrorReason::kNotModified, "Not Modified")));
  Run(std::move(stages));
  EXPECT_EQ(out_.status, 304);
  EXPECT_EQ(out_.content_length, 0u);
  EXPECT_EQ(out_.body, "");
  EXPECT_NE(out_.Header("x-amz-request-id"), nullptr);
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.http_status, 304);
}

TEST_F(PipelineTest, HeadErrorsSendLengthButNoBody) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Fail("handle", MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                                            "The specified key does not exist.")));
  Run(std::move(stages), "HEAD");
  EXPECT_EQ(out_.status, 404);
  EXPECT_GT(out_.content_length, 0u);
  EXPECT_EQ(out_.body, "");
}

TEST_F(PipelineTest, AuditRecordIsTakenBeforeTheResponseCompletes) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Ok("handle", /*respond=*/true));
  Run(std::move(stages));
  // Recorded once, through the writer's completion gate (not again in the finally slot).
  EXPECT_EQ(out_.gate_runs, 1);
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_TRUE(audit_.entries[0].response_started);
  EXPECT_EQ(audit_.entries[0].audit.http_status, 200);
}

TEST_F(PipelineTest, ErrorsAreAuditedThroughTheGateToo) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Fail("handle", MakeError(absl::StatusCode::kPermissionDenied,
                                            ErrorReason::kAccessDenied, "denied")));
  Run(std::move(stages));
  EXPECT_EQ(out_.status, 403);
  EXPECT_EQ(out_.gate_runs, 1);
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.error_code, "AccessDenied");
  EXPECT_EQ(audit_.entries[0].audit.http_status, 403);
}

TEST_F(PipelineTest, AuditFailureStopsTheResponseAndIsNotRetried) {
  audit_.result = absl::UnavailableError("audit log disk full");
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Ok("handle", /*respond=*/true));
  stages.push_back(Ok("never"));
  Run(std::move(stages));
  // The handler saw its response fail (so nothing later ran) and no error document was
  // appended to the already started response.
  EXPECT_EQ(log_, (std::vector<std::string>{"handle"}));
  EXPECT_EQ(out_.heads, 1);
  EXPECT_EQ(out_.body, "hello");
  EXPECT_EQ(out_.gate_runs, 1);
  EXPECT_EQ(audit_.entries.size(), 1u);
}

TEST_F(PipelineTest, FailedAuditLogRefusesRequestsWith503) {
  audit_.accepting = absl::UnavailableError("audit log poisoned");
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Ok("handle", /*respond=*/true));
  Run(std::move(stages));
  EXPECT_TRUE(log_.empty());  // nothing ran
  EXPECT_EQ(out_.status, 503);
  EXPECT_EQ(ErrorDoc().child_value("Code"), std::string("ServiceUnavailable"));
  EXPECT_EQ(out_.gate_runs, 0);  // the refusal is not held for a record that cannot be written
  ASSERT_EQ(audit_.entries.size(), 1u);  // but it is still offered to the log
  EXPECT_EQ(audit_.entries[0].audit.http_status, 503);
}

TEST_F(PipelineTest, RequestsRefusedBeforeParsingAreAudited) {
  Pipeline pipeline({}, &audit_);
  pipeline.Refused("10.1.2.3", 400, "BadRequest");
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].audit.http_status, 400);
  EXPECT_EQ(audit_.entries[0].audit.error_code, "BadRequest");
  EXPECT_FALSE(audit_.entries[0].request_id.empty());
}

TEST_F(PipelineTest, RequestWithoutAResponseIsStillAudited) {
  // A stage that neither responds nor fails: the finally slot records it.
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Ok("silent"));
  Run(std::move(stages));
  EXPECT_EQ(out_.heads, 0);
  EXPECT_EQ(out_.gate_runs, 0);
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_FALSE(audit_.entries[0].response_started);
}

TEST_F(PipelineTest, AuditRunsWithoutAnyStage) {
  Run({});
  EXPECT_EQ(out_.heads, 0);
  EXPECT_EQ(audit_.entries.size(), 1u);
}

TEST_F(PipelineTest, NullAuditSinkIsAllowed) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(Fail("handle", absl::InternalError("x")));
  head_.method = "GET";
  head_.target = "/b/k";
  Pipeline pipeline(std::move(stages), nullptr);
  pipeline.Handle(head_, body_, out_);
  EXPECT_EQ(out_.status, 500);
}

// With the real ParseStage in front: what the stub stages see and how parse errors render.
TEST_F(PipelineTest, ParseStageFeedsLaterStages) {
  std::vector<std::string> seen;
  class Capture final : public Stage {
   public:
    explicit Capture(std::vector<std::string>* seen) : seen_(seen) {}
    absl::Status Run(RequestContext& ctx) override {
      seen_->push_back(std::string(OperationName(ctx.req.op)));
      seen_->push_back(ctx.req.bucket);
      seen_->push_back(ctx.req.key);
      seen_->push_back(ctx.req.request_id);
      return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey, "");
    }
    std::string_view name() const override { return "capture"; }

   private:
    std::vector<std::string>* seen_;
  };
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ParseStage>());
  stages.push_back(std::make_unique<Capture>(&seen));
  Run(std::move(stages), "GET", "/photos/2024/a%20b.jpg");
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "GetObject");
  EXPECT_EQ(seen[1], "photos");
  EXPECT_EQ(seen[2], "2024/a b.jpg");
  EXPECT_FALSE(seen[3].empty());
  EXPECT_EQ(out_.status, 404);
  pugi::xml_node error = ErrorDoc();
  EXPECT_STREQ(error.child_value("Code"), "NoSuchKey");
  EXPECT_STREQ(error.child_value("Key"), "2024/a b.jpg");
  EXPECT_STREQ(error.child_value("RequestId"), seen[3].c_str());
  ASSERT_EQ(audit_.entries.size(), 1u);
  EXPECT_EQ(audit_.entries[0].op, "GetObject");
}

TEST_F(PipelineTest, ParseErrorsRenderWithTheRawPath) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ParseStage>());
  stages.push_back(Ok("never"));
  Run(std::move(stages), "GET", "/bucket/bad%zzkey?x=1");
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(out_.status, 400);
  pugi::xml_node error = ErrorDoc();
  EXPECT_STREQ(error.child_value("Code"), "InvalidArgument");
  EXPECT_STREQ(error.child_value("Resource"), "/bucket/bad%zzkey");
  EXPECT_EQ(error.child_value("RequestId"), *out_.Header("x-amz-request-id"));
  EXPECT_EQ(audit_.entries.size(), 1u);
}

TEST_F(PipelineTest, UnknownMethodIsMethodNotAllowedWithAllow) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ParseStage>());
  stages.push_back(Ok("never"));
  Run(std::move(stages), "PATCH", "/bucket/key");
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(out_.status, 405);
  ASSERT_NE(out_.Header("Allow"), nullptr);
  EXPECT_STREQ(ErrorDoc().child_value("Code"), "MethodNotAllowed");
  EXPECT_EQ(audit_.entries.size(), 1u);
}

TEST_F(PipelineTest, BucketErrorsNameTheBucket) {
  std::vector<std::unique_ptr<Stage>> stages;
  stages.push_back(std::make_unique<ParseStage>());
  stages.push_back(Fail(
      "handle", MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket, "no bucket")));
  Run(std::move(stages), "GET", "/missing-bucket?list-type=2");
  EXPECT_EQ(out_.status, 404);
  pugi::xml_node error = ErrorDoc();
  EXPECT_STREQ(error.child_value("Code"), "NoSuchBucket");
  EXPECT_STREQ(error.child_value("BucketName"), "missing-bucket");
}

}  // namespace
}  // namespace sb::gateway
