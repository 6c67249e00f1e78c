// Test helpers for the metadata store tests: a temporary directory removed at the end, a
// fixture that opens a real RocksDbMetadataStore in it, record builders and status matchers.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/error_reason.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metadata/rocksdb_metadata_store.h"

namespace sb::metadata::testing_util {

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

// A fresh directory under testing::TempDir(), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "sb_metadata_test.XXXXXX";
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

inline BucketRecord MakeBucket(const std::string& name, const std::string& owner = "alice") {
  BucketRecord bucket;
  bucket.set_name(name);
  bucket.set_owner(owner);
  bucket.set_created_unix_nanos(1700000000000000000);
  bucket.set_region("us-east-1");
  return bucket;
}

inline DataPart MakePart(uint32_t number, const std::string& data_ref, uint64_t size = 5) {
  DataPart part;
  part.set_part_number(number);
  part.set_size(size);
  part.set_etag("etag-" + data_ref);
  part.set_data_ref(data_ref);
  return part;
}

inline ObjectRecord MakeObject(const std::string& key, const std::string& data_ref = "ref") {
  ObjectRecord object;
  object.set_key(key);
  object.set_version_id("null");
  object.set_size(5);
  object.set_etag("etag-" + data_ref);
  object.set_content_type("text/plain");
  *object.add_parts() = MakePart(1, data_ref);
  return object;
}

// Opens a real RocksDB store in a temporary directory.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store (if open) and opens it again on the same directory.
  void Reopen() {
    store_.reset();
    auto opened = RocksDbMetadataStore::OpenStore(dir_.path() + "/db");
    ASSERT_THAT(opened, IsOk());
    store_ = std::move(opened).value();
  }

  void CreateBucketOrDie(const std::string& name) {
    ASSERT_THAT(store_->CreateBucket(MakeBucket(name)), IsOk());
  }
  void PutOrDie(const std::string& bucket, const std::string& key) {
    ASSERT_THAT(store_->PutObject(bucket, MakeObject(key)), IsOk());
  }

  TempDir dir_;
  std::unique_ptr<RocksDbMetadataStore> store_;
};

}  // namespace sb::metadata::testing_util
