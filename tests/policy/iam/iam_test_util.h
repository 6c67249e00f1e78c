// Test helpers for the IAM store tests: a real RocksDB metadata store in a temporary
// directory, a fake clock, and status matchers.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/error_reason.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metadata/metadata_store.h"
#include "policy/iam/iam_store.h"
#include "policy/sse/key256.h"

namespace sb::policy::iam::testing_util {

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

MATCHER_P2(StatusIs, code, reason, "has the given code and reason") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << status << " reason " << ReasonName(GetReason(status));
  return status.code() == code && GetReason(status) == reason;
}

inline sse::Key256 TestRootKey(char fill = 'k') {
  return *sse::Key256::FromBytes(std::string(sse::Key256::kSize, fill));
}

inline constexpr char kReadOnlyPolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"]}]})";
inline constexpr char kWritePolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::data/*"}]})";

// A metadata store in a fresh temporary directory and an IamStore over it.
class IamStoreTest : public ::testing::Test {
 protected:
  IamStoreTest() : clock_(absl::FromUnixSeconds(1700000000)) {
    std::string pattern = ::testing::TempDir() + "sb_iam_test.XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  ~IamStoreTest() override {
    iam_.reset();
    meta_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void SetUp() override { ASSERT_TRUE(Reopen().ok()); }

  // Closes everything and opens the metadata and IAM stores again (with `root_key`).
  absl::Status Reopen(const sse::Key256& root_key = TestRootKey()) {
    iam_.reset();
    meta_.reset();
    auto meta = metadata::MetadataStore::Open(dir_ + "/db");
    if (!meta.ok()) return meta.status();
    meta_ = *std::move(meta);
    auto iam = IamStore::Open(*meta_, root_key, clock_);
    if (!iam.ok()) return iam.status();
    iam_ = *std::move(iam);
    return absl::OkStatus();
  }

  FakeClock clock_;
  std::string dir_;
  std::unique_ptr<metadata::MetadataStore> meta_;
  std::unique_ptr<IamStore> iam_;
};

}  // namespace sb::policy::iam::testing_util
