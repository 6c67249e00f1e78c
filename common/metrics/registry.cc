#include "common/metrics/registry.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/check.h"

namespace sb::metrics {
namespace {

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::trunc(v) && std::fabs(v) < 9.007199254740992e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace internal {

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {
  SB_CHECK(ValidName(name_));
  for (const std::string& l : label_names_) SB_CHECK(ValidName(l) && l != "le");
}

void FamilyBase::RenderHeader(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", name_, " ", EscapeHelp(help_), "\n# TYPE ", name_, " ",
                  AsAbsl(TypeName(type_)), "\n");
}

void FamilyBase::RenderLine(std::string& out, std::string_view suffix,
                            const std::vector<std::string>& values, std::string_view extra_name,
                            std::string_view extra_value, double value) const {
  absl::StrAppend(&out, name_, AsAbsl(suffix));
  const bool any = !values.empty() || !extra_name.empty();
  if (any) out += '{';
  for (size_t i = 0; i < values.size() && i < label_names_.size(); ++i) {
    if (i > 0) out += ',';
    absl::StrAppend(&out, label_names_[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  if (!extra_name.empty()) {
    if (!values.empty()) out += ',';
    absl::StrAppend(&out, AsAbsl(extra_name), "=\"", EscapeLabelValue(extra_value), "\"");
  }
  if (any) out += '}';
  absl::StrAppend(&out, " ", FormatValue(value), "\n");
}

}  // namespace internal

namespace {

// Renders the callback families: labels come with each sample.
class CallbackFamily final : public internal::FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, MetricType type, CollectFn fn)
      : FamilyBase(std::move(name), std::move(help), type, {}), fn_(std::move(fn)) {}

  void Render(std::string& out) const override {
    std::vector<Sample> samples;
    fn_(samples);
    RenderHeader(out);
    for (const Sample& s : samples) {
      absl::StrAppend(&out, name_);
      if (!s.labels.empty()) {
        out += '{';
        for (size_t i = 0; i < s.labels.size(); ++i) {
          if (i > 0) out += ',';
          absl::StrAppend(&out, s.labels[i].first, "=\"", EscapeLabelValue(s.labels[i].second),
                          "\"");
        }
        out += '}';
      }
      absl::StrAppend(&out, " ", FormatValue(s.value), "\n");
    }
  }

 private:
  const CollectFn fn_;
};

}  // namespace

template <class Cell>
Cell& Family<Cell>::Get(const std::vector<std::string>& values) {
  SB_CHECK(values.size() == label_names_.size());
  absl::MutexLock lock(&mu_);
  for (Child& c : children_) {
    if (c.values == values) return *c.cell;
  }
  children_.push_back(Child{values, factory_()});
  return *children_.back().cell;
}

template <>
void Family<Counter>::Render(std::string& out) const {
  RenderHeader(out);
  absl::MutexLock lock(&mu_);
  for (const Child& c : children_) {
    RenderLine(out, "", c.values, "", "", static_cast<double>(c.cell->Value()));
  }
}

template <>
void Family<Gauge>::Render(std::string& out) const {
  RenderHeader(out);
  absl::MutexLock lock(&mu_);
  for (const Child& c : children_) RenderLine(out, "", c.values, "", "", c.cell->Value());
}

template <>
void Family<Histogram>::Render(std::string& out) const {
  RenderHeader(out);
  absl::MutexLock lock(&mu_);
  for (const Child& c : children_) {
    const HistogramSnapshot s = c.cell->Snapshot();
    uint64_t cumulative = 0;
    for (size_t i = 0; i < s.bounds.size(); ++i) {
      cumulative += s.counts[i];
      RenderLine(out, "_bucket", c.values, "le", FormatValue(s.bounds[i]),
                 static_cast<double>(cumulative));
    }
    cumulative += s.counts.back();
    RenderLine(out, "_bucket", c.values, "le", "+Inf", static_cast<double>(cumulative));
    RenderLine(out, "_sum", c.values, "", "", s.sum);
    RenderLine(out, "_count", c.values, "", "", static_cast<double>(cumulative));
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

void Registry::Add(std::unique_ptr<internal::FamilyBase> family, const std::string& name) {
  absl::MutexLock lock(&mu_);
  for (const std::string& n : names_) SB_CHECK(n != name);
  names_.push_back(name);
  families_.push_back(std::move(family));
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  auto f = std::make_unique<Family<Counter>>(name, std::move(help), MetricType::kCounter,
                                             std::move(label_names),
                                             [] { return std::make_unique<Counter>(); });
  Family<Counter>& ref = *f;
  Add(std::move(f), name);
  return ref;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  auto f = std::make_unique<Family<Gauge>>(name, std::move(help), MetricType::kGauge,
                                           std::move(label_names),
                                           [] { return std::make_unique<Gauge>(); });
  Family<Gauge>& ref = *f;
  Add(std::move(f), name);
  return ref;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  auto f = std::make_unique<Family<Histogram>>(
      name, std::move(help), MetricType::kHistogram, std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  Family<Histogram>& ref = *f;
  Add(std::move(f), name);
  return ref;
}

void Registry::AddCallback(std::string name, std::string help, MetricType type, CollectFn fn) {
  SB_CHECK(type != MetricType::kHistogram);
  auto f = std::make_unique<CallbackFamily>(name, std::move(help), type, std::move(fn));
  Add(std::move(f), name);
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) f->Render(out);
  return out;
}

}  // namespace sb::metrics
