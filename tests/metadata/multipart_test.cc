// Multipart uploads: create, parts, listing with markers, complete and abort.
#include <string>
#include <vector>

#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_util::IsOk;
using testing_util::MakeObject;
using testing_util::MakePart;
using testing_util::StatusIs;

class MultipartTest : public testing_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    CreateBucketOrDie("b");
  }
  UploadRecord Upload(const std::string& key, const std::string& id) {
    UploadRecord upload;
    upload.set_bucket("b");
    upload.set_key(key);
    upload.set_upload_id(id);
    upload.set_initiated_unix_nanos(1);
    upload.set_owner("alice");
    *upload.mutable_object_template() = MakeObject(key);
    upload.mutable_object_template()->clear_parts();
    return upload;
  }
  void CreateOrDie(const std::string& key, const std::string& id) {
    ASSERT_THAT(store_->CreateUpload(Upload(key, id)), IsOk());
  }
  void PutPartOrDie(const std::string& key, const std::string& id, uint32_t number,
                    const std::string& ref) {
    ASSERT_THAT(store_->PutPart("b", key, id, MakePart(number, ref)), IsOk());
  }
  static std::vector<uint32_t> Numbers(const std::vector<DataPart>& parts) {
    std::vector<uint32_t> numbers;
    for (const DataPart& part : parts) numbers.push_back(part.part_number());
    return numbers;
  }
  static std::vector<std::string> Ids(const ListUploadsResult& result) {
    std::vector<std::string> ids;
    for (const UploadRecord& upload : result.uploads)
      ids.push_back(upload.key() + "#" + upload.upload_id());
    return ids;
  }
  ListUploadsResult ListUploads(const ListUploadsOptions& options) {
    auto result = store_->ListUploads("b", options);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *std::move(result) : ListUploadsResult{};
  }
};

TEST_F(MultipartTest, CreateGetAndErrors) {
  CreateOrDie("k", "u1");
  auto upload = store_->GetUpload("b", "k", "u1");
  ASSERT_THAT(upload, IsOk());
  EXPECT_EQ(upload->owner(), "alice");
  EXPECT_EQ(upload->object_template().content_type(), "text/plain");
  EXPECT_THAT(store_->GetUpload("b", "k", "u2"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->GetUpload("b", "other", "u1"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->GetUpload("nb", "k", "u1"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_EQ(store_->CreateUpload(Upload("k", "u1")).code(), absl::StatusCode::kAlreadyExists);
  UploadRecord orphan = Upload("k", "u3");
  orphan.set_bucket("nb");
  EXPECT_THAT(store_->CreateUpload(orphan),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchBucket));
  EXPECT_THAT(store_->PutPart("b", "k", "nope", MakePart(1, "r")),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->ListParts("b", "k", "nope", 0, 10),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->AbortUpload("b", "k", "nope"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->PutPart("b", "k", "u1", MakePart(0, "r")),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(MultipartTest, PutPartReplacesAndReturnsOld) {
  CreateOrDie("k", "u1");
  auto first = store_->PutPart("b", "k", "u1", MakePart(3, "r3a"));
  ASSERT_THAT(first, IsOk());
  EXPECT_FALSE(first->has_value());
  auto second = store_->PutPart("b", "k", "u1", MakePart(3, "r3b"));
  ASSERT_THAT(second, IsOk());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->data_ref(), "r3a");
  auto parts = store_->ListParts("b", "k", "u1", 0, 100);
  ASSERT_THAT(parts, IsOk());
  ASSERT_EQ(parts->parts.size(), 1u);
  EXPECT_EQ(parts->parts[0].data_ref(), "r3b");
}

TEST_F(MultipartTest, UpdatePartKeepsTheDataReference) {
  CreateOrDie("k", "u1");
  PutPartOrDie("k", "u1", 1, "ref-1");
  ASSERT_THAT(store_->UpdatePart("b", "k", "u1", 1,
                                 [](DataPart& part) {
                                   part.set_sse("resealed");
                                   return absl::OkStatus();
                                 }),
              IsOk());
  auto parts = store_->ListParts("b", "k", "u1", 0, 10);
  ASSERT_THAT(parts, IsOk());
  ASSERT_EQ(parts->parts.size(), 1u);
  EXPECT_EQ(parts->parts[0].sse(), "resealed");
  EXPECT_EQ(parts->parts[0].data_ref(), "ref-1");
  // Changing the data is refused, and nothing is written.
  EXPECT_FALSE(store_
                   ->UpdatePart("b", "k", "u1", 1,
                                [](DataPart& part) {
                                  part.set_data_ref("other");
                                  part.set_sse("x");
                                  return absl::OkStatus();
                                })
                   .ok());
  EXPECT_EQ(store_->ListParts("b", "k", "u1", 0, 10)->parts[0].sse(), "resealed");
  EXPECT_EQ(
      GetReason(store_->UpdatePart("b", "k", "u1", 2, [](DataPart&) { return absl::OkStatus(); })),
      ErrorReason::kInvalidPart);
  EXPECT_EQ(GetReason(store_->UpdatePart("b", "k", "gone", 1,
                                         [](DataPart&) { return absl::OkStatus(); })),
            ErrorReason::kNoSuchUpload);
}

TEST_F(MultipartTest, ListPartsPaginates) {
  CreateOrDie("k", "u1");
  CreateOrDie("k", "u2");  // parts of another upload of the same key must not leak in
  for (uint32_t n : {10u, 2u, 256u, 1u, 3u}) PutPartOrDie("k", "u1", n, "r" + std::to_string(n));
  PutPartOrDie("k", "u2", 5, "other");

  auto page = store_->ListParts("b", "k", "u1", 0, 2);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Numbers(page->parts), ElementsAre(1u, 2u));
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_part_number_marker, 2u);

  page = store_->ListParts("b", "k", "u1", 2, 2);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Numbers(page->parts), ElementsAre(3u, 10u));
  EXPECT_TRUE(page->is_truncated);

  page = store_->ListParts("b", "k", "u1", 10, 2);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Numbers(page->parts), ElementsAre(256u));
  EXPECT_FALSE(page->is_truncated);
  EXPECT_EQ(page->next_part_number_marker, 256u);

  page = store_->ListParts("b", "k", "u1", 256, 2);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->parts, IsEmpty());
  EXPECT_FALSE(page->is_truncated);

  page = store_->ListParts("b", "k", "u1", 0, 0);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->parts, IsEmpty());
  EXPECT_TRUE(page->is_truncated);

  page = store_->ListParts("b", "k", "u1", 0xffffffffu, 10);
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->parts, IsEmpty());
}

TEST_F(MultipartTest, CompleteRemovesUploadAndPartsAtomically) {
  PutOrDie("b", "k");  // an older simple object that completion replaces
  CreateOrDie("k", "u1");
  for (uint32_t n : {1u, 2u, 3u}) PutPartOrDie("k", "u1", n, "r" + std::to_string(n));

  ObjectRecord object = MakeObject("k");
  object.clear_parts();
  *object.add_parts() = MakePart(1, "r1");
  *object.add_parts() = MakePart(3, "r3");
  object.set_multipart(true);
  std::vector<DataPart> unused = {MakePart(99, "stale")};
  auto replaced = store_->CompleteUpload("b", "u1", object, &unused);
  ASSERT_THAT(replaced, IsOk());
  ASSERT_TRUE(replaced->has_value());
  EXPECT_EQ((*replaced)->parts(0).data_ref(), "ref");
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].data_ref(), "r2");

  auto got = store_->GetObject("b", "k");
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(got->multipart());
  EXPECT_EQ(got->parts_size(), 2);
  EXPECT_THAT(store_->GetUpload("b", "k", "u1"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(ListUploads({}).uploads, IsEmpty());
  // The parts are gone: a new upload with the same id starts empty.
  CreateOrDie("k", "u1");
  auto parts = store_->ListParts("b", "k", "u1", 0, 100);
  ASSERT_THAT(parts, IsOk());
  EXPECT_THAT(parts->parts, IsEmpty());
  // Completing twice fails.
  EXPECT_THAT(store_->CompleteUpload("b", "u9", object, nullptr),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
}

TEST_F(MultipartTest, CompleteRejectsPartsThatAreNotTheStoredOnes) {
  CreateOrDie("k", "u1");
  PutPartOrDie("k", "u1", 1, "r1");
  PutPartOrDie("k", "u1", 2, "r2-new");  // replaced the data the caller saw as "r2"

  ObjectRecord stale = MakeObject("k");
  stale.clear_parts();
  *stale.add_parts() = MakePart(1, "r1");
  *stale.add_parts() = MakePart(2, "r2");
  EXPECT_THAT(store_->CompleteUpload("b", "u1", stale, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart));

  ObjectRecord missing = MakeObject("k");
  missing.clear_parts();
  *missing.add_parts() = MakePart(7, "r7");
  EXPECT_THAT(store_->CompleteUpload("b", "u1", missing, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart));

  ObjectRecord unordered = MakeObject("k");
  unordered.clear_parts();
  *unordered.add_parts() = MakePart(2, "r2-new");
  *unordered.add_parts() = MakePart(1, "r1");
  EXPECT_THAT(store_->CompleteUpload("b", "u1", unordered, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPartOrder));

  // Nothing changed: the upload and both parts are still there, no object was created.
  EXPECT_THAT(store_->GetUpload("b", "k", "u1"), IsOk());
  EXPECT_EQ(store_->ListParts("b", "k", "u1", 0, 10)->parts.size(), 2u);
  EXPECT_THAT(store_->GetObject("b", "k"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey));
}

TEST_F(MultipartTest, AbortReturnsPartsAndRemovesEverything) {
  CreateOrDie("k", "u1");
  PutPartOrDie("k", "u1", 2, "r2");
  PutPartOrDie("k", "u1", 1, "r1");
  auto parts = store_->AbortUpload("b", "k", "u1");
  ASSERT_THAT(parts, IsOk());
  EXPECT_THAT(Numbers(*parts), ElementsAre(1u, 2u));
  EXPECT_THAT(store_->GetUpload("b", "k", "u1"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->AbortUpload("b", "k", "u1"),
              StatusIs(absl::StatusCode::kNotFound, ErrorReason::kNoSuchUpload));
  EXPECT_THAT(store_->DeleteBucket("b"), IsOk());
}

TEST_F(MultipartTest, ListUploadsWithMarkers) {
  CreateOrDie("a", "2");
  CreateOrDie("a", "1");
  CreateOrDie("a/x", "1");
  CreateOrDie("a/y", "1");
  CreateOrDie("b", "1");
  CreateOrDie("b", "3");
  CreateOrDie("c", "1");

  EXPECT_THAT(Ids(ListUploads({})),
              ElementsAre("a#1", "a#2", "a/x#1", "a/y#1", "b#1", "b#3", "c#1"));
  // No upload id marker: uploads with key > key_marker.
  EXPECT_THAT(Ids(ListUploads({.key_marker = "a"})),
              ElementsAre("a/x#1", "a/y#1", "b#1", "b#3", "c#1"));
  // With an upload id marker: the marker key's later uploads, then later keys.
  EXPECT_THAT(Ids(ListUploads({.key_marker = "b", .upload_id_marker = "1"})),
              ElementsAre("b#3", "c#1"));
  EXPECT_THAT(Ids(ListUploads({.key_marker = "a", .upload_id_marker = "0"})),
              ElementsAre("a#1", "a#2", "a/x#1", "a/y#1", "b#1", "b#3", "c#1"));
  // upload_id_marker without key_marker is ignored (S3).
  EXPECT_EQ(Ids(ListUploads({.upload_id_marker = "5"})).size(), 7u);

  ListUploadsResult page = ListUploads({.max_uploads = 3});
  EXPECT_THAT(Ids(page), ElementsAre("a#1", "a#2", "a/x#1"));
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_key_marker, "a/x");
  EXPECT_EQ(page.next_upload_id_marker, "1");
  page = ListUploads({.key_marker = page.next_key_marker,
                      .upload_id_marker = page.next_upload_id_marker,
                      .max_uploads = 3});
  EXPECT_THAT(Ids(page), ElementsAre("a/y#1", "b#1", "b#3"));
  EXPECT_TRUE(page.is_truncated);
  page = ListUploads({.key_marker = page.next_key_marker,
                      .upload_id_marker = page.next_upload_id_marker,
                      .max_uploads = 3});
  EXPECT_THAT(Ids(page), ElementsAre("c#1"));
  EXPECT_FALSE(page.is_truncated);

  page = ListUploads({.max_uploads = 0});
  EXPECT_THAT(page.uploads, IsEmpty());
  EXPECT_TRUE(page.is_truncated);
}

TEST_F(MultipartTest, ListUploadsPrefixAndDelimiter) {
  CreateOrDie("a", "1");
  CreateOrDie("a/x", "1");
  CreateOrDie("a/x", "2");
  CreateOrDie("a/y/z", "1");
  CreateOrDie(std::string("a\0z", 3), "1");
  CreateOrDie("b/c", "1");

  ListUploadsResult grouped = ListUploads({.delimiter = "/"});
  EXPECT_THAT(Ids(grouped), ElementsAre("a#1", std::string("a\0z#1", 5)));
  EXPECT_THAT(grouped.common_prefixes, ElementsAre("a/", "b/"));

  ListUploadsResult inside = ListUploads({.prefix = "a/", .delimiter = "/"});
  EXPECT_THAT(Ids(inside), ElementsAre("a/x#1", "a/x#2"));
  EXPECT_THAT(inside.common_prefixes, ElementsAre("a/y/"));

  EXPECT_THAT(Ids(ListUploads({.prefix = "a/x"})), ElementsAre("a/x#1", "a/x#2"));

  // Paging with a common prefix as the marker skips everything beneath it.
  ListUploadsResult page = ListUploads({.delimiter = "/", .max_uploads = 3});
  EXPECT_THAT(Ids(page), ElementsAre("a#1", std::string("a\0z#1", 5)));
  EXPECT_THAT(page.common_prefixes, ElementsAre("a/"));
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_key_marker, "a/");
  EXPECT_EQ(page.next_upload_id_marker, "");
  page = ListUploads({.delimiter = "/", .key_marker = "a/", .max_uploads = 3});
  EXPECT_THAT(page.uploads, IsEmpty());
  EXPECT_THAT(page.common_prefixes, ElementsAre("b/"));
  EXPECT_FALSE(page.is_truncated);
  EXPECT_EQ(page.next_key_marker, "b/");
}

}  // namespace
}  // namespace sb::metadata
