#include "common/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sb::metrics {
namespace {

std::optional<double> BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = 0;
      if (in >> v) return v;
      return std::nullopt;
    }
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

uint64_t CountOpenFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  uint64_t n = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n > 0 ? n - 1 : 0;  // the directory stream's own descriptor
}

}  // namespace

std::optional<ProcessStats> ReadProcessStats() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name (field 2) may hold spaces; fields resume after its closing ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> f;  // f[0] is field 3 (state)
  std::string tok;
  while (rest >> tok) f.push_back(tok);
  if (f.size() < 22) return std::nullopt;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  ProcessStats s;
  try {
    s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;      // utime, stime
    const double start_ticks = std::stod(f[19]);                        // starttime
    s.virtual_bytes = std::stoull(f[20]);                               // vsize
    s.resident_bytes = static_cast<uint64_t>(std::stod(f[21]) * page);  // rss pages
    if (auto boot = BootTimeSeconds()) s.start_time_seconds = *boot + start_ticks / ticks;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  s.open_fds = CountOpenFds();
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0) s.max_fds = lim.rlim_cur;
  return s;
}

void RegisterProcessMetrics(Registry& registry) {
  auto one = [](double (*get)(const ProcessStats&)) {
    return [get](std::vector<Sample>& out) {
      if (auto s = ReadProcessStats()) out.push_back({{}, get(*s)});
    };
  };
  registry.AddCallback("process_cpu_seconds_total", "Total user and system CPU time spent.",
                       MetricType::kCounter,
                       one([](const ProcessStats& s) { return s.cpu_seconds; }));
  registry.AddCallback(
      "process_resident_memory_bytes", "Resident memory size.", MetricType::kGauge,
      one([](const ProcessStats& s) { return static_cast<double>(s.resident_bytes); }));
  registry.AddCallback(
      "process_virtual_memory_bytes", "Virtual memory size.", MetricType::kGauge,
      one([](const ProcessStats& s) { return static_cast<double>(s.virtual_bytes); }));
  registry.AddCallback("process_open_fds", "Open file descriptors.", MetricType::kGauge,
                       one([](const ProcessStats& s) { return static_cast<double>(s.open_fds); }));
  registry.AddCallback("process_max_fds", "Maximum number of open file descriptors.",
                       MetricType::kGauge,
                       one([](const ProcessStats& s) { return static_cast<double>(s.max_fds); }));
  registry.AddCallback(
      "process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
      MetricType::kGauge, one([](const ProcessStats& s) { return s.start_time_seconds; }));
}

}  // namespace sb::metrics
