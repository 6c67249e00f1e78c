// Versioning in the metadata store: version ordering, delete markers, the null version,
// ListObjectVersions paging, and that ListObjects shows only live latest versions.
#include <string>
#include <thread>
#include <vector>

#include "metadata/keys.h"
#include "metadata/version_id.h"
#include "metadata_test_util.h"
#include "rocksdb/db.h"

namespace sb::metadata {
namespace {

using testing_util::IsOk;
using testing_util::MakeObject;
using testing_util::StatusIs;

class VersioningTest : public testing_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    CreateBucketOrDie("b");
  }

  void SetState(VersioningState state) {
    ASSERT_THAT(store_->UpdateBucket("b",
                                     [state](BucketRecord& r) {
                                       r.set_versioning(state);
                                       return absl::OkStatus();
                                     }),
                IsOk());
  }

  // Puts a version of `key` at time `micros` and returns its version id.
  std::string Put(const std::string& key, const std::string& ref, int64_t micros) {
    ObjectRecord object = MakeObject(key, ref);
    object.set_last_modified_unix_nanos(micros * 1000);
    auto written = store_->PutObjectVersion("b", object);
    EXPECT_THAT(written, IsOk());
    return written.ok() ? written->version.version_id() : "";
  }

  ObjectRecord MarkerAt(int64_t micros) {
    ObjectRecord marker;
    marker.set_owner("alice");
    marker.set_last_modified_unix_nanos(micros * 1000);
    return marker;
  }

  ListVersionsResult ListAll(ListVersionsOptions options = {}) {
    auto listed = store_->ListObjectVersions("b", options);
    EXPECT_THAT(listed, IsOk());
    return listed.ok() ? *listed : ListVersionsResult();
  }

  std::vector<std::string> Ids(const ListVersionsResult& result) {
    std::vector<std::string> ids;
    for (const auto& v : result.versions) ids.push_back(v.record.version_id());
    return ids;
  }
};

TEST(VersionIdTest, SortsByTimeAndRoundTrips) {
  std::string a = MakeVersionId(1000);
  std::string b = MakeVersionId(1001);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_LT(a, b);
  EXPECT_EQ(VersionIdSeq(a), 1000u);
  EXPECT_NE(MakeVersionId(1000), a);  // random half
  EXPECT_TRUE(IsValidVersionId("null"));
  EXPECT_FALSE(IsValidVersionId("abc"));
  EXPECT_FALSE(IsValidVersionId(std::string(32, 'G')));
}

TEST_F(VersioningTest, UnversionedBucketKeepsOneNullVersion) {
  Put("k", "r1", 10);
  auto second = store_->PutObjectVersion("b", MakeObject("k", "r2"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->version.version_id(), "null");
  ASSERT_TRUE(second->replaced.has_value());
  EXPECT_EQ(second->replaced->parts(0).data_ref(), "r1");
  ListVersionsResult all = ListAll();
  ASSERT_EQ(all.versions.size(), 1u);
  EXPECT_TRUE(all.versions[0].is_latest);
  EXPECT_EQ(all.versions[0].record.parts(0).data_ref(), "r2");
}

TEST_F(VersioningTest, EnabledKeepsEveryVersionNewestFirst) {
  SetState(VERSIONING_ENABLED);
  std::string v1 = Put("k", "r1", 10);
  std::string v2 = Put("k", "r2", 5);  // clock went back: still newer than v1
  std::string v3 = Put("k", "r3", 30);
  EXPECT_NE(v1, "null");
  ListVersionsResult all = ListAll();
  EXPECT_EQ(Ids(all), (std::vector<std::string>{v3, v2, v1}));
  EXPECT_TRUE(all.versions[0].is_latest);
  EXPECT_FALSE(all.versions[1].is_latest);
  EXPECT_EQ(store_->GetObject("b", "k")->version_id(), v3);
  EXPECT_EQ(store_->GetObjectVersion("b", "k", v1)->parts(0).data_ref(), "r1");
  // Same time, other random half: no such version.
  std::string forged = v1.substr(0, 16) + std::string(16, '0');
  EXPECT_THAT(store_->GetObjectVersion("b", "k", forged),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion));
  EXPECT_THAT(store_->GetObjectVersion("b", "k", "bogus"),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(VersioningTest, DeleteMarkerHidesKeyAndDeletingItRestores) {
  SetState(VERSIONING_ENABLED);
  std::string v1 = Put("k", "r1", 10);
  Put("other", "r", 10);
  auto deleted = store_->DeleteKey("b", "k", MarkerAt(20));
  ASSERT_THAT(deleted, IsOk());
  ASSERT_TRUE(deleted->marker.has_value());
  EXPECT_FALSE(deleted->removed.has_value());
  const std::string marker_id = deleted->marker->version_id();
  EXPECT_THAT(store_->GetObject("b", "k"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
  EXPECT_TRUE(store_->GetLatestVersion("b", "k")->delete_marker());
  // ListObjects skips the key; ListObjectVersions shows the marker as latest.
  auto listed = store_->ListObjects("b", {});
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->objects.size(), 1u);
  EXPECT_EQ(listed->objects[0].key(), "other");
  ListVersionsResult all = ListAll();
  ASSERT_EQ(all.versions.size(), 3u);
  EXPECT_TRUE(all.versions[0].record.delete_marker());
  EXPECT_TRUE(all.versions[0].is_latest);
  EXPECT_FALSE(all.versions[1].is_latest);
  // Removing the marker makes v1 current again.
  auto undo = store_->DeleteObjectVersion("b", "k", marker_id);
  ASSERT_THAT(undo, IsOk());
  ASSERT_TRUE(undo->removed.has_value());
  EXPECT_TRUE(undo->removed->delete_marker());
  EXPECT_EQ(store_->GetObject("b", "k")->version_id(), v1);
  // The bucket is not empty while only a delete marker is left.
  ASSERT_THAT(store_->DeleteKey("b", "other", MarkerAt(40)), IsOk());
  ASSERT_THAT(store_->DeleteObjectVersion("b", "k", v1), IsOk());
  EXPECT_THAT(store_->DeleteBucket("b"),
              StatusIs(absl::StatusCode::kFailedPrecondition, ErrorReason::kBucketNotEmpty));
}

TEST_F(VersioningTest, DeletingLatestVersionPromotesThePrevious) {
  SetState(VERSIONING_ENABLED);
  std::string v1 = Put("k", "r1", 10);
  std::string v2 = Put("k", "r2", 20);
  auto removed = store_->DeleteObjectVersion("b", "k", v2);
  ASSERT_THAT(removed, IsOk());
  EXPECT_EQ(removed->removed->parts(0).data_ref(), "r2");
  EXPECT_EQ(store_->GetObject("b", "k")->version_id(), v1);
  // Deleting a version that is gone is not an error.
  auto again = store_->DeleteObjectVersion("b", "k", v2);
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->removed.has_value());
  ASSERT_THAT(store_->DeleteObjectVersion("b", "k", v1), IsOk());
  EXPECT_THAT(store_->GetObject("b", "k"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
  EXPECT_THAT(store_->DeleteBucket("b"), IsOk());
}

TEST_F(VersioningTest, SuspendedReplacesTheNullVersionOnly) {
  Put("k", "null1", 10);  // written while unversioned
  SetState(VERSIONING_ENABLED);
  std::string v2 = Put("k", "r2", 20);
  SetState(VERSIONING_SUSPENDED);
  auto put = store_->PutObjectVersion("b", [] {
    ObjectRecord o = MakeObject("k", "null2");
    o.set_last_modified_unix_nanos(30000);
    return o;
  }());
  ASSERT_THAT(put, IsOk());
  EXPECT_EQ(put->version.version_id(), "null");
  ASSERT_TRUE(put->replaced.has_value());
  EXPECT_EQ(put->replaced->parts(0).data_ref(), "null1");
  // The null version moved to the newest position.
  EXPECT_EQ(Ids(ListAll()), (std::vector<std::string>{"null", v2}));
  // A delete in a suspended bucket replaces the null version by a null delete marker.
  auto deleted = store_->DeleteKey("b", "k", MarkerAt(40));
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->marker->version_id(), "null");
  EXPECT_EQ(deleted->removed->parts(0).data_ref(), "null2");
  ListVersionsResult all = ListAll();
  ASSERT_EQ(all.versions.size(), 2u);
  EXPECT_TRUE(all.versions[0].record.delete_marker());
  EXPECT_EQ(all.versions[1].record.version_id(), v2);
  EXPECT_EQ(store_->GetObjectVersion("b", "k", "null")->delete_marker(), true);
}

TEST_F(VersioningTest, ListVersionsPagesWithMarkersAndPrefixes) {
  SetState(VERSIONING_ENABLED);
  std::vector<std::string> a_ids;
  for (int i = 0; i < 3; ++i) a_ids.insert(a_ids.begin(), Put("a", "ra", 10 + i));
  Put("d/x", "r", 10);
  Put("d/y", "r", 10);
  std::string z1 = Put("z", "rz", 10);
  ASSERT_THAT(store_->DeleteKey("b", "z", MarkerAt(20)), IsOk());

  // Pages of two, with a delimiter: a(3), d/ (one prefix), z(2) = 6 entries.
  ListVersionsOptions options;
  options.delimiter = "/";
  options.max_keys = 2;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    ListVersionsResult page = ListAll(options);
    ++pages;
    for (const auto& v : page.versions) {
      seen.push_back(v.record.key() + "@" + (v.is_latest ? "L" : "-") +
                     (v.record.delete_marker() ? "M" : ""));
    }
    for (const auto& p : page.common_prefixes) seen.push_back(p);
    if (!page.is_truncated) break;
    options.key_marker = page.next_key_marker;
    options.version_id_marker = page.next_version_id_marker;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"a@L", "a@-", "a@-", "d/", "z@LM", "z@-"}));

  ListVersionsOptions prefixed;
  prefixed.prefix = "d/";
  EXPECT_EQ(ListAll(prefixed).versions.size(), 2u);

  ListVersionsOptions after_a;
  after_a.key_marker = "a";
  after_a.version_id_marker = a_ids[0];
  ListVersionsResult rest = ListAll(after_a);
  ASSERT_GE(rest.versions.size(), 2u);
  EXPECT_EQ(rest.versions[0].record.version_id(), a_ids[1]);
  EXPECT_FALSE(rest.versions[0].is_latest);

  ListVersionsOptions bad;
  bad.version_id_marker = z1;
  EXPECT_THAT(store_->ListObjectVersions("b", bad),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(VersioningTest, VersionsSurviveReopen) {
  SetState(VERSIONING_ENABLED);
  std::string v1 = Put("k", "r1", 10);
  std::string v2 = Put("k", "r2", 20);
  Reopen();
  EXPECT_EQ(Ids(ListAll()), (std::vector<std::string>{v2, v1}));
  EXPECT_EQ(store_->GetBucket("b")->versioning(), VERSIONING_ENABLED);
}

TEST_F(VersioningTest, UpdateObjectVersionEditsOneVersion) {
  SetState(VERSIONING_ENABLED);
  std::string v1 = Put("k", "r1", 10);
  std::string v2 = Put("k", "r2", 20);
  auto tag = [](const std::string& value) {
    return [value](ObjectRecord& r) {
      (*r.mutable_tags())["t"] = value;
      return absl::OkStatus();
    };
  };
  ASSERT_THAT(store_->UpdateObjectVersion("b", "k", v1, tag("old")), IsOk());
  EXPECT_EQ(store_->GetObjectVersion("b", "k", v1)->tags().at("t"), "old");
  EXPECT_TRUE(store_->GetObject("b", "k")->tags().empty());
  // Empty id: the newest version, and the current copy ListObjects reads.
  ASSERT_THAT(store_->UpdateObjectVersion("b", "k", "", tag("new")), IsOk());
  EXPECT_EQ(store_->GetObject("b", "k")->tags().at("t"), "new");
  EXPECT_EQ(store_->ListObjects("b", {})->objects[0].tags().at("t"), "new");
  EXPECT_EQ(store_->GetObjectVersion("b", "k", v2)->tags().at("t"), "new");
  // Identity is not editable; errors from the callback write nothing.
  EXPECT_THAT(store_->UpdateObjectVersion("b", "k", v1,
                                          [](ObjectRecord& r) {
                                            r.set_version_id("null");
                                            return absl::OkStatus();
                                          }),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  ASSERT_THAT(store_->DeleteKey("b", "k", MarkerAt(30)), IsOk());
  EXPECT_THAT(store_->UpdateObjectVersion("b", "k", "", tag("x")),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
  EXPECT_THAT(
      store_->UpdateObjectVersion("b", "k", v1.substr(0, 16) + std::string(16, '0'), tag("x")),
      StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion));
}

// Concurrent writers of one key in a versioned bucket: every write becomes its own version,
// ordered newest first with strictly decreasing sequences, whatever the record times say.
TEST_F(VersioningTest, ConcurrentVersionWritesAreAllKeptInOrder) {
  SetState(VERSIONING_ENABLED);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        ObjectRecord object = MakeObject("hot", "r" + std::to_string(t * 100 + i));
        object.set_last_modified_unix_nanos(1000);  // same time for every write
        EXPECT_THAT(store_->PutObjectVersion("b", object), IsOk());
        if (i % 5 == 0) {
          EXPECT_THAT(store_->DeleteKey("b", "hot", MarkerAt(1)), IsOk());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ListVersionsResult all = ListAll();
  ASSERT_EQ(all.versions.size(), static_cast<size_t>(kThreads * (kPerThread + 5)));
  for (size_t i = 1; i < all.versions.size(); ++i) {
    EXPECT_GT(all.versions[i - 1].record.version_seq(), all.versions[i].record.version_seq());
    EXPECT_FALSE(all.versions[i].is_latest);
  }
  // The current copy is exactly the newest version (or absent behind a marker).
  const ObjectRecord& newest = all.versions[0].record;
  auto current = store_->GetObject("b", "hot");
  if (newest.delete_marker()) {
    EXPECT_THAT(current, StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
  } else {
    ASSERT_THAT(current, IsOk());
    EXPECT_EQ(current->version_id(), newest.version_id());
  }
}

// A store written before versioning (format 1: objects CF only) is migrated on open: each
// object becomes its key's null version.
TEST_F(VersioningTest, MigratesFormatOneStore) {
  Put("k", "old", 10);
  store_.reset();
  const std::string path = dir_.path() + "/db";
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (std::string_view name : {"default", "buckets", "objects", "uploads", "parts", "iam",
                                  "versions", "null_versions", "shared_data"}) {
      cfs.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    // Back to format 1: no version entries at all.
    ASSERT_TRUE(db->DropColumnFamily(handles[6]).ok());
    ASSERT_TRUE(db->DropColumnFamily(handles[7]).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), std::string(kFormatVersionKey), "1").ok());
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  Reopen();
  EXPECT_EQ(store_->GetObject("b", "k")->parts(0).data_ref(), "old");
  ListVersionsResult all = ListAll();
  ASSERT_EQ(all.versions.size(), 1u);
  EXPECT_EQ(all.versions[0].record.version_id(), "null");
  EXPECT_TRUE(all.versions[0].is_latest);
  // The null version behaves as if written by this code: replaced by the next put.
  auto put = store_->PutObjectVersion("b", MakeObject("k", "new"));
  ASSERT_THAT(put, IsOk());
  ASSERT_TRUE(put->replaced.has_value());
  EXPECT_EQ(put->replaced->parts(0).data_ref(), "old");
}

}  // namespace
}  // namespace sb::metadata
