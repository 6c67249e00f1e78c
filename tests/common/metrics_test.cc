#include "common/metrics/metrics.h"

#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics/process_metrics.h"
#include "common/metrics/registry.h"
#include "gtest/gtest.h"

namespace sb::metrics {
namespace {

TEST(MetricsFormat, Values) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(0.0005), "0.0005");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(MetricsFormat, LabelEscaping) { EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd"); }

TEST(MetricsRegistry, RendersCountersAndGauges) {
  Registry r;
  auto& requests =
      r.AddCounter("strongbox_requests_total", "Requests.\nSecond line", {"operation", "code"});
  requests.Get({"PutObject", "200"}).Inc(3);
  requests.Get({"GetObject", "404"}).Inc();
  requests.Get({"PutObject", "200"}).Inc();
  r.AddGauge("strongbox_open_connections", "Open connections.").Get({}).Set(7);
  r.AddCallback("strongbox_drive_online", "Drive state.", MetricType::kGauge,
                [](std::vector<Sample>& out) {
                  out.push_back({{{"drive", "/d\"1"}}, 1});
                  out.push_back({{{"drive", "/d2"}}, 0});
                });
  EXPECT_EQ(r.Render(),
            "# HELP strongbox_requests_total Requests.\\nSecond line\n"
            "# TYPE strongbox_requests_total counter\n"
            "strongbox_requests_total{operation=\"PutObject\",code=\"200\"} 4\n"
            "strongbox_requests_total{operation=\"GetObject\",code=\"404\"} 1\n"
            "# HELP strongbox_open_connections Open connections.\n"
            "# TYPE strongbox_open_connections gauge\n"
            "strongbox_open_connections 7\n"
            "# HELP strongbox_drive_online Drive state.\n"
            "# TYPE strongbox_drive_online gauge\n"
            "strongbox_drive_online{drive=\"/d\\\"1\"} 1\n"
            "strongbox_drive_online{drive=\"/d2\"} 0\n");
}

TEST(MetricsRegistry, RendersHistogramsCumulatively) {
  Registry r;
  auto& h =
      r.AddHistogram("strongbox_request_duration_seconds", "Latency.", {"operation"}, {0.1, 1});
  Histogram& put = h.Get({"PutObject"});
  put.Observe(0.05);
  put.Observe(0.1);  // "le" is inclusive
  put.Observe(0.5);
  put.Observe(3);
  EXPECT_EQ(r.Render(),
            "# HELP strongbox_request_duration_seconds Latency.\n"
            "# TYPE strongbox_request_duration_seconds histogram\n"
            "strongbox_request_duration_seconds_bucket{operation=\"PutObject\",le=\"0.1\"} 2\n"
            "strongbox_request_duration_seconds_bucket{operation=\"PutObject\",le=\"1\"} 3\n"
            "strongbox_request_duration_seconds_bucket{operation=\"PutObject\",le=\"+Inf\"} 4\n"
            "strongbox_request_duration_seconds_sum{operation=\"PutObject\"} 3.65\n"
            "strongbox_request_duration_seconds_count{operation=\"PutObject\"} 4\n");
}

TEST(MetricsRegistry, UnlabelledHistogram) {
  Registry r;
  r.AddHistogram("x_seconds", "X.", {}, {1}).Get({}).Observe(2);
  EXPECT_EQ(r.Render(),
            "# HELP x_seconds X.\n# TYPE x_seconds histogram\n"
            "x_seconds_bucket{le=\"1\"} 0\nx_seconds_bucket{le=\"+Inf\"} 1\n"
            "x_seconds_sum 2\nx_seconds_count 1\n");
}

TEST(MetricsRegistry, SameLabelsSameChild) {
  Registry r;
  auto& f = r.AddCounter("c_total", "C.", {"a"});
  EXPECT_EQ(&f.Get({"x"}), &f.Get({"x"}));
  EXPECT_NE(&f.Get({"x"}), &f.Get({"y"}));
}

TEST(MetricsConcurrency, CountersAndHistogramsLoseNothing) {
  Registry r;
  Counter& c = r.AddCounter("c_total", "C.").Get({});
  Gauge& g = r.AddGauge("g", "G.").Get({});
  Histogram& h = r.AddHistogram("h_seconds", "H.", {}, {0.5}).Get({});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        c.Inc();
        g.Add(1);
        h.Observe((i + t) % 2 == 0 ? 0.25 : 1.0);
      }
    });
  }
  // Scrapes may run while the writers do.
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(r.Render().empty());
  for (auto& th : threads) th.join();
  EXPECT_EQ(c.Value(), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(g.Value(), double{kThreads} * kPerThread);
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.count, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.counts[0] + s.counts[1], s.count);
  EXPECT_DOUBLE_EQ(s.sum, 0.25 * static_cast<double>(s.counts[0]) + 1.0 * s.counts[1]);
}

TEST(ProcessMetrics, ReadsProcSelf) {
  auto s = ReadProcessStats();
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->resident_bytes, 0u);
  EXPECT_GT(s->open_fds, 0u);
  EXPECT_GE(s->max_fds, s->open_fds);
  EXPECT_GT(s->start_time_seconds, 1.0e9);
  Registry r;
  RegisterProcessMetrics(r);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("\nprocess_resident_memory_bytes "), std::string::npos);
  EXPECT_NE(text.find("\nprocess_open_fds "), std::string::npos);
}

}  // namespace
}  // namespace sb::metrics
