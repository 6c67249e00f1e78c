// Durability across reopen, on-disk format checks, and concurrent read-modify-write.
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "metadata/keys.h"
#include "rocksdb/db.h"
#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using ::testing::ElementsAre;
using testing_util::IsOk;
using testing_util::MakeBucket;
using testing_util::MakeObject;
using testing_util::MakePart;
using testing_util::StatusIs;

class PersistenceTest : public testing_util::StoreTest {};

TEST_F(PersistenceTest, DataSurvivesReopen) {
  CreateBucketOrDie("b");
  PutOrDie("b", "dir/obj");
  UploadRecord upload;
  upload.set_bucket("b");
  upload.set_key("big");
  upload.set_upload_id("u1");
  ASSERT_THAT(store_->CreateUpload(upload), IsOk());
  ASSERT_THAT(store_->PutPart("b", "big", "u1", MakePart(1, "p1")), IsOk());

  Reopen();
  ASSERT_THAT(store_->GetBucket("b"), IsOk());
  auto object = store_->GetObject("b", "dir/obj");
  ASSERT_THAT(object, IsOk());
  EXPECT_EQ(object->parts(0).data_ref(), "ref");
  auto parts = store_->ListParts("b", "big", "u1", 0, 10);
  ASSERT_THAT(parts, IsOk());
  ASSERT_EQ(parts->parts.size(), 1u);
  EXPECT_EQ(parts->parts[0].data_ref(), "p1");
  auto listed = store_->ListObjects("b", {.delimiter = "/"});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->common_prefixes, ElementsAre("dir/"));

  // Mutations after reopen are durable too.
  ASSERT_THAT(store_->DeleteObject("b", "dir/obj"), IsOk());
  Reopen();
  EXPECT_THAT(store_->GetObject("b", "dir/obj"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
}

TEST_F(PersistenceTest, OpenViaInterfaceFactory) {
  store_.reset();
  auto store = MetadataStore::Open(dir_.path() + "/other");
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->CreateBucket(MakeBucket("x")), IsOk());
}

TEST_F(PersistenceTest, KeepsUnknownColumnFamiliesAndRejectsNewerFormat) {
  CreateBucketOrDie("b");
  store_.reset();
  const std::string path = dir_.path() + "/db";
  {
    // A newer server added a CF: we must still open (RocksDB needs every CF named).
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (std::string_view name : {"default", "buckets", "objects", "uploads", "parts", "iam",
                                  "versions", "null_versions", "shared_data"}) {
      cfs.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* future = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "future", &future).ok());
    handles.push_back(future);
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  Reopen();
  EXPECT_THAT(store_->GetBucket("b"), IsOk());
  store_.reset();
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (std::string_view name : {"default", "buckets", "objects", "uploads", "parts", "iam",
                                  "versions", "null_versions", "shared_data", "future"}) {
      cfs.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), std::string(kFormatVersionKey), "3").ok());
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  EXPECT_EQ(RocksDbMetadataStore::OpenStore(path).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersistenceTest, ConcurrentPutsOnOneKeyReplaceEachRecordExactlyOnce) {
  CreateBucketOrDie("b");
  constexpr int kThreads = 6;
  constexpr int kPutsPerThread = 40;
  std::vector<std::vector<std::string>> replaced(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &replaced] {
      for (int i = 0; i < kPutsPerThread; ++i) {
        std::string ref = std::to_string(t) + ":" + std::to_string(i);
        auto old = store_->PutObject("b", MakeObject("hot", ref));
        ASSERT_THAT(old, IsOk());
        if (old->has_value()) replaced[t].push_back((*old)->parts(0).data_ref());
      }
    });
  }
  for (auto& thread : threads) thread.join();

  // Every record ever written is either current or was handed back exactly once as
  // replaced: nothing leaked, nothing would be freed twice.
  std::multiset<std::string> seen;
  for (const auto& refs : replaced) seen.insert(refs.begin(), refs.end());
  auto current = store_->GetObject("b", "hot");
  ASSERT_THAT(current, IsOk());
  seen.insert(current->parts(0).data_ref());
  ASSERT_EQ(seen.size(), static_cast<size_t>(kThreads * kPutsPerThread));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPutsPerThread; ++i) {
      EXPECT_EQ(seen.count(std::to_string(t) + ":" + std::to_string(i)), 1u);
    }
  }
}

TEST_F(PersistenceTest, ConcurrentCreateBucketHasOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> created{0}, owned_by_you{0}, exists{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      absl::Status s = store_->CreateBucket(MakeBucket("race", t % 2 == 0 ? "alice" : "bob"));
      if (s.ok()) {
        ++created;
      } else if (GetReason(s) == ErrorReason::kBucketAlreadyOwnedByYou) {
        ++owned_by_you;
      } else if (GetReason(s) == ErrorReason::kBucketAlreadyExists) {
        ++exists;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(owned_by_you.load() + exists.load(), kThreads - 1);
  EXPECT_EQ(owned_by_you.load(), kThreads / 2 - 1);  // the winner's other-owner peers
}

// A put racing DeleteBucket either lands first (and the delete fails) or fails with
// NoSuchBucket; it can never leave an object behind in a deleted bucket.
TEST_F(PersistenceTest, DeleteBucketNeverOrphansAConcurrentPut) {
  constexpr int kPutters = 3;
  for (int round = 0; round < 10; ++round) {
    const std::string bucket = "r" + std::to_string(round);
    CreateBucketOrDie(bucket);
    std::atomic<bool> go{false};
    std::atomic<bool> deleted{false};
    std::vector<std::thread> threads;
    for (int p = 0; p < kPutters; ++p) {
      threads.emplace_back([&, p] {
        while (!go.load()) std::this_thread::yield();
        for (int i = 0; i < 50 && !deleted.load(); ++i) {
          const std::string key = "k" + std::to_string(p) + "-" + std::to_string(i);
          auto put = store_->PutObject(bucket, MakeObject(key));
          if (put.ok()) {
            // Delete it again so the bucket can become empty and the race can recur.
            EXPECT_THAT(store_->DeleteObject(bucket, key), IsOk());
          } else {
            EXPECT_THAT(put, StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
          }
        }
      });
    }
    threads.emplace_back([&] {
      go = true;
      std::this_thread::yield();  // let the putters get going before the first attempt
      while (!deleted.load()) {
        absl::Status s = store_->DeleteBucket(bucket);
        if (s.ok()) {
          deleted = true;
        } else {
          EXPECT_EQ(GetReason(s), ErrorReason::kBucketNotEmpty) << s;
        }
      }
    });
    for (auto& thread : threads) thread.join();
    // Recreate the name: any orphan from a put that slipped past the delete would show up.
    CreateBucketOrDie(bucket);
    auto listed = store_->ListObjects(bucket, {});
    ASSERT_THAT(listed, IsOk());
    EXPECT_TRUE(listed->objects.empty()) << "orphan " << listed->objects[0].key();
  }
}

}  // namespace
}  // namespace sb::metadata
