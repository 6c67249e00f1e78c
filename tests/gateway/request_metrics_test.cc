// RequestMetrics: counts per (operation, status), latency per operation and bytes, as the
// pipeline observes finished requests; concurrent observers lose nothing, also past the
// per-operation cache of status codes.
#include "gateway/request_metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "common/error_reason.h"
#include "common/metrics/registry.h"
#include "gateway/pipeline.h"
#include "gateway/stages/stages.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using core_testing::RecordingWriter;
using core_testing::StringBody;

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

class RespondStage final : public Stage {
 public:
  explicit RespondStage(absl::Status result) : result_(std::move(result)) {}
  absl::Status Run(RequestContext& ctx) override {
    if (!result_.ok()) return result_;
    return ctx.Respond(200, {}, "hello", "text/plain");
  }
  std::string_view name() const override { return "handle"; }

 private:
  absl::Status result_;
};

void RunOne(Pipeline& pipeline, const std::string& method, const std::string& target) {
  HttpRequestHead head;
  head.method = method;
  head.target = target;
  StringBody body("");
  RecordingWriter out;
  pipeline.Handle(head, body, out);
}

TEST(RequestMetricsTest, PipelineObservesEveryFinishedRequest) {
  metrics::Registry registry;
  RequestMetrics m(registry);
  std::vector<std::unique_ptr<Stage>> ok;
  ok.push_back(std::make_unique<ParseStage>());
  ok.push_back(std::make_unique<RespondStage>(absl::OkStatus()));
  Pipeline ok_pipeline(std::move(ok), nullptr, &m);
  std::vector<std::unique_ptr<Stage>> missing;
  missing.push_back(std::make_unique<ParseStage>());
  missing.push_back(std::make_unique<RespondStage>(
      MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey, "no such key")));
  Pipeline missing_pipeline(std::move(missing), nullptr, &m);

  RunOne(ok_pipeline, "GET", "/bucket/key");
  RunOne(ok_pipeline, "GET", "/bucket/key");
  RunOne(missing_pipeline, "GET", "/bucket/other");
  RunOne(ok_pipeline, "DELETE", "/bucket/key");
  const std::string text = registry.Render();
  EXPECT_TRUE(Contains(text, "strongbox_requests_total{operation=\"GetObject\",code=\"200\"} 2\n"))
      << text;
  EXPECT_TRUE(Contains(text, "strongbox_requests_total{operation=\"GetObject\",code=\"404\"} 1\n"));
  EXPECT_TRUE(
      Contains(text, "strongbox_requests_total{operation=\"DeleteObject\",code=\"200\"} 1\n"));
  EXPECT_TRUE(
      Contains(text, "strongbox_request_duration_seconds_count{operation=\"GetObject\"} 3\n"));
  EXPECT_TRUE(Contains(
      text, "strongbox_request_duration_seconds_bucket{operation=\"GetObject\",le=\"+Inf\"} 3\n"));
  EXPECT_FALSE(Contains(text, "PutObject"));  // only operations that happened
  EXPECT_TRUE(Contains(text, "# TYPE strongbox_sent_bytes_total counter\n"));
}

TEST(RequestMetricsTest, ConcurrentObserversLoseNothing) {
  metrics::Registry registry;
  RequestMetrics m(registry);
  constexpr int kThreads = 6;
  constexpr int kPerThread = 4800;  // a multiple of kCodes
  constexpr int kCodes = 24;        // more than the per-operation cache holds
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < kPerThread; ++i) {
        m.Observe(Operation::kPutObject, 200 + (i % kCodes), absl::Milliseconds(3), 10, 1);
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::string text = registry.Render();
  const int per_code = kThreads * kPerThread / kCodes;
  for (int c = 0; c < kCodes; ++c) {
    EXPECT_TRUE(Contains(text, "strongbox_requests_total{operation=\"PutObject\",code=\"" +
                                   std::to_string(200 + c) + "\"} " + std::to_string(per_code) +
                                   "\n"))
        << c;
  }
  EXPECT_TRUE(Contains(
      text, "strongbox_received_bytes_total " + std::to_string(10 * kThreads * kPerThread) + "\n"));
  EXPECT_TRUE(Contains(text, "strongbox_request_duration_seconds_count{operation=\"PutObject\"} " +
                                 std::to_string(kThreads * kPerThread) + "\n"));
}

}  // namespace
}  // namespace sb::gateway
