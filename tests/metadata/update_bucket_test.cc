// MetadataStore::UpdateBucket on a real RocksDbMetadataStore: the change is committed and
// durable, a failing update writes nothing, and concurrent updates never lose each other.
#include <string>
#include <thread>
#include <vector>

#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using testing_util::IsOk;
using testing_util::MakeBucket;
using testing_util::StatusIs;

class UpdateBucketTest : public testing_util::StoreTest {};

TEST_F(UpdateBucketTest, CommitsTheEditedRecordDurably) {
  CreateBucketOrDie("b");
  auto updated = store_->UpdateBucket("b", [](BucketRecord& r) {
    r.mutable_encryption()->set_sse_algorithm("aws:kms");
    r.mutable_encryption()->set_kms_master_key_id("team-key");
    return absl::OkStatus();
  });
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->encryption().kms_master_key_id(), "team-key");
  Reopen();
  auto stored = store_->GetBucket("b");
  ASSERT_THAT(stored, IsOk());
  EXPECT_TRUE(stored->has_encryption());
  EXPECT_EQ(stored->encryption().sse_algorithm(), "aws:kms");
  EXPECT_EQ(stored->encryption().kms_master_key_id(), "team-key");
  // Untouched fields survive the rewrite.
  EXPECT_EQ(stored->owner(), "alice");
  EXPECT_EQ(stored->region(), "us-east-1");

  ASSERT_THAT(store_->UpdateBucket("b",
                                   [](BucketRecord& r) {
                                     r.clear_encryption();
                                     return absl::OkStatus();
                                   }),
              IsOk());
  EXPECT_FALSE(store_->GetBucket("b")->has_encryption());
}

TEST_F(UpdateBucketTest, MissingBucket) {
  bool called = false;
  EXPECT_THAT(store_->UpdateBucket("nope",
                                   [&](BucketRecord&) {
                                     called = true;
                                     return absl::OkStatus();
                                   }),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_FALSE(called);
  EXPECT_THAT(store_->GetBucket("nope"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
}

TEST_F(UpdateBucketTest, FailingUpdateWritesNothing) {
  CreateBucketOrDie("b");
  EXPECT_THAT(store_->UpdateBucket("b",
                                   [](BucketRecord& r) {
                                     r.set_region("elsewhere");
                                     return MakeError(absl::StatusCode::kInvalidArgument,
                                                      ErrorReason::kMalformedXml, "bad");
                                   }),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml));
  EXPECT_EQ(store_->GetBucket("b")->region(), "us-east-1");
  // Renaming through an update is refused, and the record stays where it was.
  EXPECT_THAT(store_->UpdateBucket("b",
                                   [](BucketRecord& r) {
                                     r.set_name("c");
                                     return absl::OkStatus();
                                   }),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
  EXPECT_THAT(store_->GetBucket("b"), IsOk());
  EXPECT_THAT(store_->GetBucket("c"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
}

TEST_F(UpdateBucketTest, ConcurrentUpdatesAreSerialized) {
  CreateBucketOrDie("b");
  constexpr int kThreads = 6;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kEach; ++i) {
        // Each update appends one byte: a lost update would leave the string short.
        EXPECT_THAT(store_->UpdateBucket("b",
                                         [](BucketRecord& r) {
                                           auto* e = r.mutable_encryption();
                                           e->set_kms_master_key_id(e->kms_master_key_id() + "x");
                                           return absl::OkStatus();
                                         }),
                    IsOk());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store_->GetBucket("b")->encryption().kms_master_key_id().size(),
            static_cast<size_t>(kThreads * kEach));
}

TEST_F(UpdateBucketTest, DeletedBucketIsNotResurrected) {
  CreateBucketOrDie("b");
  ASSERT_THAT(store_->DeleteBucket("b"), IsOk());
  EXPECT_THAT(store_->UpdateBucket("b", [](BucketRecord&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_THAT(store_->CreateBucket(MakeBucket("b", "bob")), IsOk());
}

}  // namespace
}  // namespace sb::metadata
