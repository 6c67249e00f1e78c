// MetadataStore IAM records on a real RocksDbMetadataStore: opaque bytes round-trip and
// survive a reopen, kinds are separate namespaces (even for names that share a prefix or hold
// NUL bytes), listings are sorted, and WriteIamRecords is all-or-nothing.
#include <string>
#include <utility>
#include <vector>

#include "metadata/keys.h"
#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing_util::IsOk;

class IamRecordsTest : public testing_util::StoreTest {};

TEST_F(IamRecordsTest, PutGetDeleteRoundTripAndSurviveReopen) {
  const std::string binary("\0\xff\x01 bytes", 9);
  ASSERT_THAT(store_->PutIamRecord("user", "alice", "{\"enabled\":true}"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("accesskey", "AK1", binary), IsOk());
  Reopen();
  auto alice = store_->GetIamRecord("user", "alice");
  ASSERT_THAT(alice, IsOk());
  EXPECT_EQ(*alice, "{\"enabled\":true}");
  auto key = store_->GetIamRecord("accesskey", "AK1");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(*key, binary);

  ASSERT_THAT(store_->PutIamRecord("user", "alice", "v2"), IsOk());  // overwrite
  EXPECT_EQ(*store_->GetIamRecord("user", "alice"), "v2");
  ASSERT_THAT(store_->DeleteIamRecord("user", "alice"), IsOk());
  EXPECT_EQ(store_->GetIamRecord("user", "alice").status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store_->DeleteIamRecord("user", "alice"), IsOk());  // absent: not an error
  Reopen();
  EXPECT_EQ(store_->GetIamRecord("user", "alice").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(IamRecordsTest, KindsAreSeparateNamespacesAndListingsAreSorted) {
  ASSERT_THAT(store_->PutIamRecord("user", "bob", "b"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("user", "alice", "a"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("user", std::string("al\0x", 4), "nul"), IsOk());
  // "users" and "use" share a byte prefix with "user" but are other kinds.
  ASSERT_THAT(store_->PutIamRecord("users", "carol", "c"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("use", "rdave", "d"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("group", "alice", "g"), IsOk());

  auto users = store_->ListIamRecords("user");
  ASSERT_THAT(users, IsOk());
  EXPECT_THAT(*users, ElementsAre(Pair(std::string("al\0x", 4), "nul"), Pair("alice", "a"),
                                  Pair("bob", "b")));
  EXPECT_THAT(*store_->ListIamRecords("users"), ElementsAre(Pair("carol", "c")));
  EXPECT_THAT(*store_->ListIamRecords("use"), ElementsAre(Pair("rdave", "d")));
  EXPECT_THAT(*store_->ListIamRecords("group"), ElementsAre(Pair("alice", "g")));
  EXPECT_TRUE(store_->ListIamRecords("policy")->empty());
  EXPECT_EQ(*store_->GetIamRecord("group", "alice"), "g");
}

TEST_F(IamRecordsTest, IamRecordsDoNotTouchBuckets) {
  CreateBucketOrDie("alice");
  ASSERT_THAT(store_->PutIamRecord("user", "alice", "x"), IsOk());
  ASSERT_THAT(store_->DeleteIamRecord("user", "alice"), IsOk());
  EXPECT_THAT(store_->GetBucket("alice"), IsOk());
  auto buckets = store_->ListBuckets();
  ASSERT_THAT(buckets, IsOk());
  EXPECT_EQ(buckets->size(), 1u);
}

TEST_F(IamRecordsTest, BatchIsAtomicAndOrdered) {
  ASSERT_THAT(store_->PutIamRecord("user", "alice", "old"), IsOk());
  ASSERT_THAT(store_->PutIamRecord("accesskey", "AK1", "k1"), IsOk());
  // Delete the user and its key, add another: one commit.
  ASSERT_THAT(store_->WriteIamRecords({{"user", "alice", std::nullopt},
                                       {"accesskey", "AK1", std::nullopt},
                                       {"user", "bob", "new"},
                                       {"user", "bob", "newer"}}),
              IsOk());
  Reopen();
  EXPECT_THAT(*store_->ListIamRecords("user"), ElementsAre(Pair("bob", "newer")));
  EXPECT_TRUE(store_->ListIamRecords("accesskey")->empty());

  // One invalid write (empty name) refuses the whole batch.
  auto bad = store_->WriteIamRecords({{"user", "carol", "c"}, {"user", "", "x"}});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetIamRecord("user", "carol").status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store_->WriteIamRecords({}), IsOk());
}

TEST_F(IamRecordsTest, EmptyKindOrNameIsInvalid) {
  EXPECT_EQ(store_->PutIamRecord("", "a", "x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutIamRecord("user", "", "x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetIamRecord("user", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListIamRecords("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IamRecordsTest, BucketPolicyFieldIsStored) {
  CreateBucketOrDie("b");
  const std::string doc = R"({"Version":"2012-10-17","Statement":[]})";
  ASSERT_THAT(store_->UpdateBucket("b",
                                   [&](BucketRecord& r) {
                                     r.set_policy(doc);
                                     return absl::OkStatus();
                                   }),
              IsOk());
  Reopen();
  EXPECT_EQ(store_->GetBucket("b")->policy(), doc);
}

}  // namespace
}  // namespace sb::metadata
