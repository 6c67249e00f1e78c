// Buckets and simple objects on a real RocksDbMetadataStore.
#include <string>

#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using ::testing::ElementsAre;
using testing_util::IsOk;
using testing_util::MakeBucket;
using testing_util::MakeObject;
using testing_util::StatusIs;

class BucketObjectTest : public testing_util::StoreTest {};

TEST_F(BucketObjectTest, CreateAndGetBucket) {
  ASSERT_THAT(store_->CreateBucket(MakeBucket("photos", "alice")), IsOk());
  auto bucket = store_->GetBucket("photos");
  ASSERT_THAT(bucket, IsOk());
  EXPECT_EQ(bucket->name(), "photos");
  EXPECT_EQ(bucket->owner(), "alice");
  EXPECT_EQ(bucket->region(), "us-east-1");
  EXPECT_THAT(store_->GetBucket("nope"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
}

TEST_F(BucketObjectTest, DuplicateBucketReasonDependsOnOwner) {
  ASSERT_THAT(store_->CreateBucket(MakeBucket("b1", "alice")), IsOk());
  EXPECT_THAT(store_->CreateBucket(MakeBucket("b1", "alice")),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kBucketAlreadyOwnedByYou));
  EXPECT_THAT(store_->CreateBucket(MakeBucket("b1", "bob")),
              StatusIs(absl::StatusCode::kAlreadyExists, ErrorReason::kBucketAlreadyExists));
  // The original record is untouched.
  EXPECT_EQ(store_->GetBucket("b1")->owner(), "alice");
}

TEST_F(BucketObjectTest, EmptyBucketNameRejected) {
  EXPECT_THAT(store_->CreateBucket(MakeBucket("")),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidBucketName));
}

TEST_F(BucketObjectTest, ListBucketsSortedByName) {
  for (const char* name : {"zeta", "alpha", "alpha-2", "mid"}) CreateBucketOrDie(name);
  auto buckets = store_->ListBuckets();
  ASSERT_THAT(buckets, IsOk());
  std::vector<std::string> names;
  for (const BucketRecord& b : *buckets) names.push_back(b.name());
  EXPECT_THAT(names, ElementsAre("alpha", "alpha-2", "mid", "zeta"));
}

TEST_F(BucketObjectTest, DeleteBucket) {
  EXPECT_THAT(store_->DeleteBucket("missing"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  CreateBucketOrDie("b");
  ASSERT_THAT(store_->DeleteBucket("b"), IsOk());
  EXPECT_THAT(store_->GetBucket("b"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  // The name is free again, for anyone.
  EXPECT_THAT(store_->CreateBucket(MakeBucket("b", "bob")), IsOk());
}

TEST_F(BucketObjectTest, DeleteBucketNotEmptyWithObject) {
  CreateBucketOrDie("b");
  CreateBucketOrDie("b2");  // a neighbour's objects must not count
  PutOrDie("b2", "x");
  PutOrDie("b", "k");
  EXPECT_THAT(store_->DeleteBucket("b"),
              StatusIs(absl::StatusCode::kFailedPrecondition, ErrorReason::kBucketNotEmpty));
  ASSERT_THAT(store_->DeleteObject("b", "k"), IsOk());
  EXPECT_THAT(store_->DeleteBucket("b"), IsOk());
  EXPECT_THAT(store_->GetObject("b2", "x"), IsOk());
}

TEST_F(BucketObjectTest, DeleteBucketNotEmptyWithUpload) {
  CreateBucketOrDie("b");
  UploadRecord upload;
  upload.set_bucket("b");
  upload.set_key("k");
  upload.set_upload_id("u1");
  ASSERT_THAT(store_->CreateUpload(upload), IsOk());
  EXPECT_THAT(store_->DeleteBucket("b"),
              StatusIs(absl::StatusCode::kFailedPrecondition, ErrorReason::kBucketNotEmpty));
  ASSERT_THAT(store_->AbortUpload("b", "k", "u1"), IsOk());
  EXPECT_THAT(store_->DeleteBucket("b"), IsOk());
}

TEST_F(BucketObjectTest, PutGetReplaceDelete) {
  CreateBucketOrDie("b");
  ObjectRecord first = MakeObject("dir/file.txt", "ref1");
  (*first.mutable_user_metadata())["color"] = "blue";
  auto replaced = store_->PutObject("b", first);
  ASSERT_THAT(replaced, IsOk());
  EXPECT_FALSE(replaced->has_value());

  auto got = store_->GetObject("b", "dir/file.txt");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->etag(), "etag-ref1");
  EXPECT_EQ(got->user_metadata().at("color"), "blue");
  ASSERT_EQ(got->parts_size(), 1);
  EXPECT_EQ(got->parts(0).data_ref(), "ref1");

  replaced = store_->PutObject("b", MakeObject("dir/file.txt", "ref2"));
  ASSERT_THAT(replaced, IsOk());
  ASSERT_TRUE(replaced->has_value());
  EXPECT_EQ((*replaced)->parts(0).data_ref(), "ref1");
  EXPECT_EQ(store_->GetObject("b", "dir/file.txt")->parts(0).data_ref(), "ref2");

  auto deleted = store_->DeleteObject("b", "dir/file.txt");
  ASSERT_THAT(deleted, IsOk());
  ASSERT_TRUE(deleted->has_value());
  EXPECT_EQ((*deleted)->parts(0).data_ref(), "ref2");
  EXPECT_THAT(store_->GetObject("b", "dir/file.txt"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
  // Deleting again is not an error and returns nothing.
  deleted = store_->DeleteObject("b", "dir/file.txt");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_FALSE(deleted->has_value());
}

TEST_F(BucketObjectTest, ObjectsNeedTheirBucket) {
  EXPECT_THAT(store_->PutObject("nb", MakeObject("k")),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_THAT(store_->GetObject("nb", "k"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_THAT(store_->DeleteObject("nb", "k"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_THAT(store_->ListObjects("nb", {}),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
}

TEST_F(BucketObjectTest, EmptyKeyRejected) {
  CreateBucketOrDie("b");
  EXPECT_THAT(store_->PutObject("b", MakeObject("")),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(BucketObjectTest, SameKeyInTwoBucketsIsIndependent) {
  CreateBucketOrDie("a");
  CreateBucketOrDie("ab");
  ASSERT_THAT(store_->PutObject("a", MakeObject("k", "in-a")), IsOk());
  ASSERT_THAT(store_->PutObject("ab", MakeObject("k", "in-ab")), IsOk());
  EXPECT_EQ(store_->GetObject("a", "k")->parts(0).data_ref(), "in-a");
  EXPECT_EQ(store_->GetObject("ab", "k")->parts(0).data_ref(), "in-ab");
  auto listed = store_->ListObjects("a", {});
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->objects.size(), 1u);
  EXPECT_EQ(listed->objects[0].parts(0).data_ref(), "in-a");
}

TEST_F(BucketObjectTest, KeysWithUnusualBytes) {
  CreateBucketOrDie("b");
  const std::string keys[] = {"caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac", std::string("nul\0in", 6),
                              "\xf0\x9f\x98\x80", "trailing/"};
  for (const std::string& key : keys) PutOrDie("b", key);
  for (const std::string& key : keys) {
    auto got = store_->GetObject("b", key);
    ASSERT_THAT(got, IsOk()) << key;
    EXPECT_EQ(got->key(), key);
  }
  EXPECT_THAT(store_->GetObject("b", "nul"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
}

}  // namespace
}  // namespace sb::metadata
