// Helpers for the gateway core tests: status matchers, an in-memory BodySource, a
// ResponseWriter that records what the unit under test wrote, and a temporary directory.
// Not thread-safe (one test at a time owns each object).
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/error_reason.h"
#include "gateway/body_source.h"
#include "gateway/http_types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sb::gateway::core_testing {

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

// Matches a status by its ErrorReason (the thing s3_errors maps), printing both.
MATCHER_P(HasReason, reason, "has reason " + std::string(ReasonName(reason))) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << status << " reason " << ReasonName(GetReason(status));
  return !status.ok() && GetReason(status) == reason;
}

// A body served from a string in reads of at most `chunk` bytes (to exercise short reads).
class StringBody final : public BodySource {
 public:
  explicit StringBody(std::string data, size_t chunk = 1 << 20)
      : data_(std::move(data)), chunk_(chunk) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    size_t n = std::min({max, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, n, buf);
    pos_ += n;
    return n;
  }
  size_t consumed() const { return pos_; }

 private:
  std::string data_;
  size_t chunk_;
  size_t pos_ = 0;
};

// Records one response as the pipeline/handlers wrote it.
class RecordingWriter final : public ResponseWriter {
 public:
  absl::Status WriteHead(int code, const HeaderList& head, uint64_t length) override {
    ++heads;
    status = code;
    headers = head;
    content_length = length;
    return length == 0 ? RunGate() : absl::OkStatus();
  }
  absl::Status WriteBody(std::string_view data) override {
    body.append(data);
    return body.size() == content_length ? RunGate() : absl::OkStatus();
  }
  bool head_written() const override { return heads > 0; }
  void SetCompletionGate(std::function<absl::Status()> g) override { gate = std::move(g); }
  absl::Status RunGate() {
    if (!gate) return absl::OkStatus();
    ++gate_runs;
    return std::exchange(gate, nullptr)();
  }
  std::function<absl::Status()> gate;
  int gate_runs = 0;

  const std::string* Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return &v;
    }
    return nullptr;
  }

  int heads = 0;
  int status = 0;
  HeaderList headers;
  uint64_t content_length = 0;
  std::string body;
};

// A fresh directory under testing::TempDir(), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "sb_gateway_core.XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace sb::gateway::core_testing
