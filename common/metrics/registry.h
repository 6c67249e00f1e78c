// Registry: the process's metric families, rendered in the Prometheus text exposition
// format 0.0.4 (# HELP / # TYPE lines, histograms as _bucket{le=..}, _sum and _count).
//
// Two kinds of family. Owned families (AddCounter/AddGauge/AddHistogram) hold lock-free
// cells; Family::Get creates a labelled child once under the family's mutex, so hot paths
// resolve their children at setup (or cache them) and then only do atomic updates.
// Callback families (AddCallback) are read at scrape time: drive state, RocksDB properties,
// /proc. Registration happens at startup; Render may run concurrently with updates.
// Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"

namespace sb::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

// One counter or gauge sample of a callback family.
struct Sample {
  Labels labels;
  double value = 0;
};
using CollectFn = std::function<void(std::vector<Sample>& out)>;

namespace internal {
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names);
  virtual ~FamilyBase() = default;
  virtual void Render(std::string& out) const = 0;

 protected:
  void RenderHeader(std::string& out) const;
  // name{l1="v1",...[,extra_name="extra_value"]} value\n
  void RenderLine(std::string& out, std::string_view suffix, const std::vector<std::string>& values,
                  std::string_view extra_name, std::string_view extra_value, double value) const;

  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
};
}  // namespace internal

// Children of one metric, one per distinct label-value tuple. References stay valid for the
// family's lifetime.
template <class Cell>
class Family final : public internal::FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Cell>()>;
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
         Factory factory)
      : FamilyBase(std::move(name), std::move(help), type, std::move(label_names)),
        factory_(std::move(factory)) {}

  // The child for `values` (one per label name, in order), created on first use. Locks the
  // family: resolve children once, outside per-request code.
  Cell& Get(const std::vector<std::string>& values);
  void Render(std::string& out) const override;

 private:
  struct Child {
    std::vector<std::string> values;
    std::unique_ptr<Cell> cell;
  };
  const Factory factory_;
  mutable absl::Mutex mu_;
  std::deque<Child> children_ ABSL_GUARDED_BY(mu_);
};

template <>
void Family<Counter>::Render(std::string& out) const;
template <>
void Family<Gauge>::Render(std::string& out) const;
template <>
void Family<Histogram>::Render(std::string& out) const;
extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Names must be unique and valid Prometheus names (a duplicate is a CHECK failure).
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names, std::vector<double> bounds);
  // A counter or gauge family whose samples `fn` produces at every scrape (on the scraping
  // thread; it must be thread-safe and must not call back into the registry).
  void AddCallback(std::string name, std::string help, MetricType type, CollectFn fn);

  // Every family in registration order, in text format 0.0.4.
  std::string Render() const;

 private:
  void Add(std::unique_ptr<internal::FamilyBase> family, const std::string& name);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<internal::FamilyBase>> families_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> names_ ABSL_GUARDED_BY(mu_);
};

// The text format's value syntax: integers without exponent, "+Inf", "-Inf", "NaN", and
// otherwise the shortest representation that reads back exactly.
std::string FormatValue(double v);
// Label value escaping: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view v);
// The content type of Render()'s output.
inline constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace sb::metrics
