// Shared data (PutSharedVersion, point-in-time restore): a version that shares another's
// data keeps it alive, and removing a version reports for freeing only data no other
// version still holds, whichever of the two goes first.
#include <string>

#include "metadata_test_util.h"

namespace sb::metadata {
namespace {

using testing_util::IsOk;
using testing_util::MakeObject;
using testing_util::MakePart;
using testing_util::StatusIs;

class SharedDataTest : public testing_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    CreateBucketOrDie("b");
    ASSERT_THAT(store_->UpdateBucket("b",
                                     [](BucketRecord& r) {
                                       r.set_versioning(VERSIONING_ENABLED);
                                       return absl::OkStatus();
                                     }),
                IsOk());
  }

  std::string Put(const ObjectRecord& object, int64_t micros) {
    ObjectRecord o = object;
    o.set_last_modified_unix_nanos(micros * 1000);
    auto written = store_->PutObjectVersion("b", o);
    EXPECT_THAT(written, IsOk());
    return written.ok() ? written->version.version_id() : "";
  }

  std::string Share(const std::string& key, const std::string& source, int64_t micros) {
    ObjectRecord tmpl;
    tmpl.set_owner("restorer");
    tmpl.set_last_modified_unix_nanos(micros * 1000);
    auto written = store_->PutSharedVersion("b", key, source, tmpl);
    EXPECT_THAT(written, IsOk());
    return written.ok() ? written->version_id() : "";
  }

  // The data refs DeleteObjectVersion reports for freeing.
  std::vector<std::string> Remove(const std::string& key, const std::string& id) {
    auto removed = store_->DeleteObjectVersion("b", key, id);
    EXPECT_THAT(removed, IsOk());
    std::vector<std::string> refs;
    if (removed.ok() && removed->removed.has_value()) {
      for (const auto& p : removed->removed->parts()) refs.push_back(p.data_ref());
    }
    return refs;
  }
};

TEST_F(SharedDataTest, CopyBecomesCurrentWithTheSourcesData) {
  ObjectRecord two_parts = MakeObject("k", "p1");
  *two_parts.add_parts() = MakePart(2, "p2");
  const std::string v1 = Put(two_parts, 100);
  Put(MakeObject("k", "other"), 200);
  const std::string copy = Share("k", v1, 300);
  ASSERT_NE(copy, v1);
  auto current = store_->GetObject("b", "k");
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->version_id(), copy);
  EXPECT_EQ(current->owner(), "restorer");
  ASSERT_EQ(current->parts_size(), 2);
  EXPECT_EQ(current->parts(0).data_ref(), "p1");
  EXPECT_EQ(current->parts(1).data_ref(), "p2");
}

TEST_F(SharedDataTest, DataIsFreedOnlyWithItsLastHolderEitherOrder) {
  const std::string v1 = Put(MakeObject("k", "d"), 100);
  const std::string c1 = Share("k", v1, 200);
  const std::string c2 = Share("k", c1, 300);  // a copy of a copy: three holders
  EXPECT_TRUE(Remove("k", c1).empty());
  EXPECT_TRUE(Remove("k", v1).empty());
  EXPECT_EQ(Remove("k", c2), std::vector<std::string>{"d"});
}

TEST_F(SharedDataTest, UnsharedDataIsFreedAsBefore) {
  const std::string v1 = Put(MakeObject("k", "d1"), 100);
  const std::string v2 = Put(MakeObject("k", "d2"), 200);
  Share("k", v1, 300);
  EXPECT_EQ(Remove("k", v2), std::vector<std::string>{"d2"});
}

TEST_F(SharedDataTest, SuspendedNullVersionReplacementKeepsSharedData) {
  const std::string v1 = Put(MakeObject("k", "d"), 100);
  Share("k", v1, 200);
  ASSERT_THAT(store_->UpdateBucket("b",
                                   [](BucketRecord& r) {
                                     r.set_versioning(VERSIONING_SUSPENDED);
                                     return absl::OkStatus();
                                   }),
              IsOk());
  // Two null writes: the second replaces the first, whose data nobody shares.
  Put(MakeObject("k", "n1"), 300);
  ObjectRecord n2 = MakeObject("k", "n2");
  n2.set_last_modified_unix_nanos(400000);
  auto written = store_->PutObjectVersion("b", n2);
  ASSERT_THAT(written, IsOk());
  ASSERT_TRUE(written->replaced.has_value());
  ASSERT_EQ(written->replaced->parts_size(), 1);
  EXPECT_EQ(written->replaced->parts(0).data_ref(), "n1");
  EXPECT_TRUE(Remove("k", v1).empty());  // the copy still holds "d"
}

TEST_F(SharedDataTest, RefusesMarkersMissingVersionsAndUnversionedBuckets) {
  const std::string v1 = Put(MakeObject("k", "d"), 100);
  ObjectRecord marker;
  marker.set_last_modified_unix_nanos(200000);
  auto deleted = store_->DeleteKey("b", "k", marker);
  ASSERT_THAT(deleted, IsOk());
  ObjectRecord tmpl;
  EXPECT_THAT(store_->PutSharedVersion("b", "k", deleted->marker->version_id(), tmpl),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion));
  EXPECT_THAT(store_->PutSharedVersion("b", "nokey", v1, tmpl),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion));
  EXPECT_THAT(store_->PutSharedVersion("nob", "k", v1, tmpl),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  CreateBucketOrDie("plain");
  EXPECT_THAT(store_->PutSharedVersion("plain", "k", v1, tmpl),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest));
}

TEST_F(SharedDataTest, CountsSurviveReopen) {
  const std::string v1 = Put(MakeObject("k", "d"), 100);
  const std::string c1 = Share("k", v1, 200);
  Reopen();
  EXPECT_TRUE(Remove("k", v1).empty());
  EXPECT_EQ(Remove("k", c1), std::vector<std::string>{"d"});
}

}  // namespace
}  // namespace sb::metadata
