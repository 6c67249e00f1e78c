// Shared helpers for the audit log tests: a temporary directory, status matchers, record
// builders, and raw line access to the log files (the tests tamper with real files).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/audit/audit_log.h"
#include "policy/audit/audit_record.h"

namespace sb::audit::testing_util {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << status;
  return status.ok();
}

MATCHER_P(StatusIs, code, "has the given code") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << status;
  return status.code() == code;
}

// A fresh directory under testing::TempDir(), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "sb_audit_test.XXXXXX";
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline AuditRecord MakeRecord(int i, const std::string& bucket = "photos",
                              const std::string& access_key = "AKIAALICE") {
  AuditRecord r;
  r.time_unix_nanos = 1700000000000000000 + static_cast<int64_t>(i) * 1000;
  r.request_id = absl::StrCat("req-", i);
  r.principal.access_key = access_key;
  r.principal.user = access_key == "AKIAALICE" ? "alice" : "bob";
  r.principal.groups = {"staff", "photographers"};
  r.principal.source_ip = "10.0.0.7";
  r.principal.tls = true;
  r.operation = i % 2 == 0 ? "PutObject" : "GetObject";
  r.bucket = bucket;
  r.key = absl::StrCat("2024/img-", i, ".jpg");
  r.version_id = absl::StrCat("v", i);
  r.decision.allowed = true;
  r.decision.decided_by = "bucket-policy";
  r.decision.policy_id = "photos-policy";
  r.decision.statement_id = "AllowStaff";
  r.http_status = 200;
  r.bytes_in = i % 2 == 0 ? 1024 : 0;
  r.bytes_out = i % 2 == 0 ? 0 : 1024;
  r.latency_micros = 1500;
  r.etag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
  return r;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Lines of a file without their '\n' (a final line without '\n' is kept as is).
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::string data = ReadFile(path);
  std::vector<std::string> lines = absl::StrSplit(data, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

inline void WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  std::string data;
  for (const std::string& line : lines) absl::StrAppend(&data, line, "\n");
  WriteFile(path, data);
}

inline std::string SegmentPath(const std::string& dir, int number) {
  char name[32];
  snprintf(name, sizeof(name), "seg-%08d.log", number);
  return absl::StrCat(dir, "/", name);
}

inline std::string CheckpointPath(const std::string& dir) {
  return absl::StrCat(dir, "/checkpoints.log");
}

// Options for a log in `dir` driven by `clock`; checkpoints only by count unless changed.
inline AuditOptions MakeOptions(const std::string& dir, const Clock* clock) {
  AuditOptions options;
  options.dir = dir;
  options.clock = clock;
  options.checkpoint_every_records = 10;
  options.checkpoint_every = absl::Hours(24);
  return options;
}

inline absl::Time StartTime() { return absl::FromUnixSeconds(1700000000); }

}  // namespace sb::audit::testing_util
