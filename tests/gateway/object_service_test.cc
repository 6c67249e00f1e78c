// ObjectService over the real RocksDB metadata store and the real erasure DataPlane (four
// temporary drive folders): object bytes, ETags, what gets committed on failures, and that
// replaced, deleted and aborted data is removed from the drives.
#include "gateway/object_service.h"

#include <openssl/evp.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "erasure/data_plane.h"
#include "gtest/gtest.h"
#include "metadata/metadata_store.h"
#include "policy/sse/keyring.h"
#include "policy/sse/keyring_store.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

namespace fs = std::filesystem;
using core_testing::HasReason;
using core_testing::IsOk;
using core_testing::StringBody;

constexpr uint64_t kMiB = 1 << 20;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Independent of gateway/internal/md5: OpenSSL's one-shot digest.
std::string Md5Raw(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}
std::string Md5Hex(std::string_view data) { return Hex(Md5Raw(data)); }

class ObjectServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = metadata::MetadataStore::Open(dir_.path() + "/meta");
    ASSERT_THAT(meta, IsOk());
    meta_ = std::move(meta).value();
    erasure::DataPlaneOptions options;
    for (int i = 0; i < 4; ++i) drives_.push_back(dir_.path() + "/drive" + std::to_string(i));
    options.drive_paths = drives_;
    options.block_size = 256 * 1024;  // several stripes per MiB
    options.clock = &clock_;
    auto data = erasure::DataPlane::Open(options);
    ASSERT_THAT(data, IsOk());
    data_ = std::move(data).value();
    auto root = sse::Key256::Random();
    ASSERT_THAT(root, IsOk());
    auto keyring = sse::Keyring::Open(*root, std::make_unique<sse::MemoryKeyringStore>());
    ASSERT_THAT(keyring, IsOk());
    keyring_ = std::move(keyring).value();
    service_ = std::make_unique<ObjectService>(*meta_, *data_, clock_, *keyring_);
    metadata::BucketRecord bucket;
    bucket.set_name("b");
    bucket.set_owner("alice");
    ASSERT_THAT(meta_->CreateBucket(bucket), IsOk());
  }

  // Every object data file (committed or temporary) on every drive.
  std::vector<std::string> DataFiles() const {
    std::vector<std::string> out;
    for (const auto& drive : drives_) {
      std::error_code ec;
      for (auto it = fs::recursive_directory_iterator(drive, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == ".strongbox") {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) out.push_back(it->path().string());
      }
    }
    return out;
  }
  // Shard files holding `part`'s data.
  size_t ShardsOf(const metadata::DataPart& part) const {
    auto ref = erasure::DataRef::Parse(part.data_ref());
    EXPECT_THAT(ref, IsOk());
    if (!ref.ok()) return 0;
    size_t n = 0;
    for (const auto& f : DataFiles()) n += fs::path(f).filename() == ref->data_id + ".shard";
    return n;
  }

  absl::StatusOr<metadata::ObjectRecord> Put(const std::string& key, const std::string& data,
                                             WriteChecks checks = {}) {
    metadata::ObjectRecord tmpl;
    tmpl.set_key(key);
    tmpl.set_content_type("application/test");
    StringBody body(data, 100000);
    return service_->PutObject("b", tmpl, body, checks);
  }

  absl::StatusOr<std::string> Read(const metadata::ObjectRecord& o, uint64_t offset,
                                   uint64_t length) {
    std::string out;
    absl::Status st = service_->ReadRange("b", o, offset, length, [&](std::string_view chunk) {
      out.append(chunk);
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    return out;
  }

  std::string NewUpload(const std::string& key) {
    metadata::UploadRecord upload;
    upload.set_bucket("b");
    upload.set_key(key);
    upload.set_upload_id("upload-" + std::to_string(++uploads_));
    upload.set_owner("alice");
    upload.mutable_object_template()->set_key(key);
    upload.mutable_object_template()->set_content_type("video/mp4");
    (*upload.mutable_object_template()->mutable_user_metadata())["m"] = "v";
    EXPECT_THAT(meta_->CreateUpload(upload), IsOk());
    return upload.upload_id();
  }

  absl::StatusOr<metadata::DataPart> Part(const std::string& key, const std::string& upload,
                                          uint32_t number, const std::string& data) {
    StringBody body(data);
    WriteChecks checks;
    checks.expected_size = data.size();
    return service_->UploadPart("b", key, upload, number, body, checks);
  }

  core_testing::TempDir dir_;
  std::vector<std::string> drives_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2024, 1, 2, 3, 4, 5), absl::UTCTimeZone())};
  std::unique_ptr<metadata::MetadataStore> meta_;
  std::unique_ptr<erasure::DataPlane> data_;
  std::unique_ptr<sse::Keyring> keyring_;
  std::unique_ptr<ObjectService> service_;
  int uploads_ = 0;
};

TEST_F(ObjectServiceTest, PutThenReadBack) {
  const std::string data = RandomBytes(3 * kMiB + 123, 1);
  WriteChecks checks;
  checks.expected_size = data.size();
  checks.content_md5 = Md5Raw(data);
  auto rec = Put("dir/obj", data, checks);
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->key(), "dir/obj");
  EXPECT_EQ(rec->size(), data.size());
  EXPECT_EQ(rec->etag(), Md5Hex(data));
  EXPECT_EQ(rec->version_id(), "null");
  EXPECT_EQ(rec->content_type(), "application/test");
  EXPECT_EQ(rec->last_modified_unix_nanos(), absl::ToUnixNanos(clock_.Now()));
  EXPECT_FALSE(rec->multipart());
  ASSERT_EQ(rec->parts_size(), 1);
  EXPECT_EQ(rec->parts(0).etag(), rec->etag());
  EXPECT_EQ(ShardsOf(rec->parts(0)), 4u);

  auto stored = meta_->GetObject("b", "dir/obj");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->SerializeAsString(), rec->SerializeAsString());
  auto all = Read(*stored, 0, data.size());
  ASSERT_THAT(all, IsOk());
  EXPECT_TRUE(*all == data);
  auto mid = Read(*stored, kMiB - 7, 2 * kMiB + 11);
  ASSERT_THAT(mid, IsOk());
  EXPECT_TRUE(*mid == data.substr(kMiB - 7, 2 * kMiB + 11));
}

TEST_F(ObjectServiceTest, EmptyObject) {
  auto rec = Put("empty", "");
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->size(), 0u);
  EXPECT_EQ(rec->etag(), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_TRUE(DataFiles().empty());  // size-0 objects use no shard files, even encrypted
  auto got = Read(*rec, 0, 0);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(*got, "");
  EXPECT_THAT(service_->DeleteObject("b", "empty"), IsOk());
}

TEST_F(ObjectServiceTest, ReadPastTheEndIsInvalidRange) {
  auto rec = Put("k", "0123456789");
  ASSERT_THAT(rec, IsOk());
  EXPECT_THAT(Read(*rec, 5, 6), HasReason(ErrorReason::kInvalidRange));
  EXPECT_THAT(Read(*rec, 11, 0), HasReason(ErrorReason::kInvalidRange));
  auto tail = Read(*rec, 9, 1);
  ASSERT_THAT(tail, IsOk());
  EXPECT_EQ(*tail, "9");
}

TEST_F(ObjectServiceTest, ReplaceFreesOldData) {
  auto v1 = Put("k", RandomBytes(700000, 2));
  ASSERT_THAT(v1, IsOk());
  ASSERT_EQ(ShardsOf(v1->parts(0)), 4u);
  clock_.Advance(absl::Seconds(1));
  const std::string data2 = RandomBytes(300000, 3);
  auto v2 = Put("k", data2);
  ASSERT_THAT(v2, IsOk());
  EXPECT_EQ(ShardsOf(v1->parts(0)), 0u);
  EXPECT_EQ(ShardsOf(v2->parts(0)), 4u);
  EXPECT_EQ(DataFiles().size(), 4u);
  auto stored = meta_->GetObject("b", "k");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->etag(), Md5Hex(data2));
  auto got = Read(*stored, 0, stored->size());
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(*got == data2);
}

TEST_F(ObjectServiceTest, DeleteFreesData) {
  auto rec = Put("k", RandomBytes(1000, 4));
  ASSERT_THAT(rec, IsOk());
  ASSERT_THAT(service_->DeleteObject("b", "k"), IsOk());
  EXPECT_TRUE(DataFiles().empty());
  EXPECT_THAT(meta_->GetObject("b", "k"), HasReason(ErrorReason::kNoSuchKey));
  // Deleting a missing key is not an error (S3 DeleteObject is idempotent).
  EXPECT_THAT(service_->DeleteObject("b", "k"), IsOk());
  EXPECT_THAT(service_->DeleteObject("nope", "k"), HasReason(ErrorReason::kNoSuchBucket));
}

TEST_F(ObjectServiceTest, ContentMd5MismatchCommitsNothing) {
  auto old = Put("k", "old contents");
  ASSERT_THAT(old, IsOk());
  WriteChecks checks;
  checks.content_md5 = Md5Raw("something else");
  EXPECT_THAT(Put("k", RandomBytes(600000, 5), checks), HasReason(ErrorReason::kBadDigest));
  EXPECT_THAT(Put("new", RandomBytes(600000, 5), checks), HasReason(ErrorReason::kBadDigest));
  // The old version is untouched and no shard of the rejected bodies remains.
  auto stored = meta_->GetObject("b", "k");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->etag(), Md5Hex("old contents"));
  EXPECT_THAT(meta_->GetObject("b", "new"), HasReason(ErrorReason::kNoSuchKey));
  EXPECT_EQ(DataFiles().size(), 4u);
  EXPECT_EQ(ShardsOf(stored->parts(0)), 4u);
}

TEST_F(ObjectServiceTest, BodyLengthMustMatchContentLength) {
  WriteChecks checks;
  checks.expected_size = 10;
  EXPECT_THAT(Put("short", "12345", checks), HasReason(ErrorReason::kIncompleteBody));
  EXPECT_THAT(Put("long", "123456789012345", checks), HasReason(ErrorReason::kIncompleteBody));
  EXPECT_THAT(meta_->GetObject("b", "short"), HasReason(ErrorReason::kNoSuchKey));
  EXPECT_THAT(meta_->GetObject("b", "long"), HasReason(ErrorReason::kNoSuchKey));
  EXPECT_TRUE(DataFiles().empty());
  EXPECT_THAT(Put("exact", "1234567890", checks), IsOk());
}

TEST_F(ObjectServiceTest, EntityTooLarge) {
  WriteChecks checks;
  checks.max_size = 100;
  // Declared too large: refused before reading the body.
  checks.expected_size = 101;
  metadata::ObjectRecord tmpl;
  tmpl.set_key("k");
  StringBody body(std::string(101, 'x'));
  EXPECT_THAT(service_->PutObject("b", tmpl, body, checks),
              HasReason(ErrorReason::kEntityTooLarge));
  EXPECT_EQ(body.consumed(), 0u);
  // Undeclared (streaming) and too large: refused once the limit is crossed.
  checks.expected_size.reset();
  EXPECT_THAT(Put("k", std::string(101, 'x'), checks), HasReason(ErrorReason::kEntityTooLarge));
  EXPECT_TRUE(DataFiles().empty());
  EXPECT_THAT(Put("k", std::string(100, 'x'), checks), IsOk());
}

TEST_F(ObjectServiceTest, MissingBucketIsRefusedBeforeReadingTheBody) {
  metadata::ObjectRecord tmpl;
  tmpl.set_key("k");
  StringBody body("data");
  EXPECT_THAT(service_->PutObject("nope", tmpl, body, {}), HasReason(ErrorReason::kNoSuchBucket));
  EXPECT_EQ(body.consumed(), 0u);
  EXPECT_TRUE(DataFiles().empty());
}

TEST_F(ObjectServiceTest, MultipartCompleteAndReadAcrossParts) {
  const std::string key = "movie.mp4";
  const std::string upload = NewUpload(key);
  const std::string p1 = RandomBytes(5 * kMiB, 11);
  const std::string p2 = RandomBytes(5 * kMiB + 17, 12);
  const std::string p3 = RandomBytes(1000, 13);
  auto r1 = Part(key, upload, 1, p1);
  auto r2 = Part(key, upload, 2, p2);
  auto r3 = Part(key, upload, 3, p3);
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  ASSERT_THAT(r3, IsOk());
  EXPECT_EQ(r1->etag(), Md5Hex(p1));
  EXPECT_EQ(r2->part_number(), 2u);
  EXPECT_EQ(r3->size(), 1000u);

  clock_.Advance(absl::Minutes(1));
  auto rec = service_->CompleteUpload("b", key, upload,
                                      {{1, r1->etag()}, {2, r2->etag()}, {3, r3->etag()}});
  ASSERT_THAT(rec, IsOk());
  // S3 multipart ETag: md5 of the concatenated binary part md5s, "-" part count.
  EXPECT_EQ(rec->etag(), Md5Hex(Md5Raw(p1) + Md5Raw(p2) + Md5Raw(p3)) + "-3");
  EXPECT_EQ(rec->size(), p1.size() + p2.size() + p3.size());
  EXPECT_TRUE(rec->multipart());
  EXPECT_EQ(rec->parts_size(), 3);
  EXPECT_EQ(rec->content_type(), "video/mp4");  // from the upload's template
  EXPECT_EQ(rec->user_metadata().at("m"), "v");
  EXPECT_EQ(rec->last_modified_unix_nanos(), absl::ToUnixNanos(clock_.Now()));
  EXPECT_THAT(meta_->GetUpload("b", key, upload), HasReason(ErrorReason::kNoSuchUpload));

  auto stored = meta_->GetObject("b", key);
  ASSERT_THAT(stored, IsOk());
  const std::string all = p1 + p2 + p3;
  auto whole = Read(*stored, 0, stored->size());
  ASSERT_THAT(whole, IsOk());
  EXPECT_TRUE(*whole == all);
  // Ranges inside one part, across a boundary, across all three, and at the very end.
  for (auto [off, len] :
       std::vector<std::pair<uint64_t, uint64_t>>{{0, 1},
                                                  {5 * kMiB - 1, 2},
                                                  {5 * kMiB - 100, 5 * kMiB + 17 + 200},
                                                  {10, all.size() - 20},
                                                  {all.size() - 1000, 1000},
                                                  {10 * kMiB + 17, 1}}) {
    auto got = Read(*stored, off, len);
    ASSERT_THAT(got, IsOk()) << off << "+" << len;
    EXPECT_TRUE(*got == all.substr(off, len)) << off << "+" << len;
  }
}

TEST_F(ObjectServiceTest, CompleteWithASubsetFreesUnusedParts) {
  const std::string key = "k";
  const std::string upload = NewUpload(key);
  auto r1 = Part(key, upload, 1, RandomBytes(5 * kMiB, 21));
  auto r2 = Part(key, upload, 2, "unused");
  auto r3 = Part(key, upload, 3, "tail");
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  ASSERT_THAT(r3, IsOk());
  auto rec = service_->CompleteUpload("b", key, upload, {{1, r1->etag()}, {3, r3->etag()}});
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->etag().substr(rec->etag().size() - 2), "-2");
  EXPECT_EQ(ShardsOf(*r2), 0u);
  EXPECT_EQ(ShardsOf(*r1), 4u);
  EXPECT_EQ(ShardsOf(*r3), 4u);
  EXPECT_EQ(DataFiles().size(), 8u);
}

TEST_F(ObjectServiceTest, ReuploadingAPartFreesThePreviousOne) {
  const std::string upload = NewUpload("k");
  auto first = Part("k", upload, 1, "first");
  ASSERT_THAT(first, IsOk());
  auto second = Part("k", upload, 1, "second");
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(ShardsOf(*first), 0u);
  EXPECT_EQ(ShardsOf(*second), 4u);
  auto rec = service_->CompleteUpload("b", "k", upload, {{1, second->etag()}});
  ASSERT_THAT(rec, IsOk());
  auto got = Read(*rec, 0, rec->size());
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(*got, "second");
}

TEST_F(ObjectServiceTest, EntityTooSmallLeavesTheUploadIntact) {
  const std::string upload = NewUpload("k");
  auto r1 = Part("k", upload, 1, RandomBytes(5 * kMiB - 1, 31));
  auto r2 = Part("k", upload, 2, "last part may be small");
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{1, r1->etag()}, {2, r2->etag()}}),
              HasReason(ErrorReason::kEntityTooSmall));
  EXPECT_THAT(meta_->GetUpload("b", "k", upload), IsOk());
  EXPECT_THAT(meta_->GetObject("b", "k"), HasReason(ErrorReason::kNoSuchKey));
  EXPECT_EQ(ShardsOf(*r1), 4u);
  // The last part alone may be smaller than 5 MiB.
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{2, r2->etag()}}), IsOk());
}

TEST_F(ObjectServiceTest, InvalidPart) {
  const std::string upload = NewUpload("k");
  auto r1 = Part("k", upload, 1, "one");
  ASSERT_THAT(r1, IsOk());
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{1, Md5Hex("two")}}),
              HasReason(ErrorReason::kInvalidPart));
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{2, r1->etag()}}),
              HasReason(ErrorReason::kInvalidPart));
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {}),
              HasReason(ErrorReason::kMalformedXml));
  EXPECT_THAT(meta_->GetUpload("b", "k", upload), IsOk());
  EXPECT_EQ(ShardsOf(*r1), 4u);
}

TEST_F(ObjectServiceTest, InvalidPartOrder) {
  const std::string upload = NewUpload("k");
  auto r1 = Part("k", upload, 1, RandomBytes(5 * kMiB, 41));
  auto r2 = Part("k", upload, 2, "two");
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{2, r2->etag()}, {1, r1->etag()}}),
              HasReason(ErrorReason::kInvalidPartOrder));
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{1, r1->etag()}, {1, r1->etag()}}),
              HasReason(ErrorReason::kInvalidPartOrder));
  // The order is checked before the parts themselves (missing, small or not).
  EXPECT_THAT(service_->CompleteUpload("b", "k", upload, {{3, "x"}, {2, "y"}}),
              HasReason(ErrorReason::kInvalidPartOrder));
  EXPECT_THAT(meta_->GetUpload("b", "k", upload), IsOk());
}

TEST_F(ObjectServiceTest, UnknownUpload) {
  StringBody body("data");
  EXPECT_THAT(service_->UploadPart("b", "k", "nope", 1, body, {}),
              HasReason(ErrorReason::kNoSuchUpload));
  EXPECT_EQ(body.consumed(), 0u);
  EXPECT_THAT(service_->CompleteUpload("b", "k", "nope", {{1, "x"}}),
              HasReason(ErrorReason::kNoSuchUpload));
  EXPECT_THAT(service_->AbortUpload("b", "k", "nope"), HasReason(ErrorReason::kNoSuchUpload));
  // An upload id is bound to its key.
  const std::string upload = NewUpload("k");
  StringBody body2("data");
  EXPECT_THAT(service_->UploadPart("b", "other", upload, 1, body2, {}),
              HasReason(ErrorReason::kNoSuchUpload));
}

TEST_F(ObjectServiceTest, AbortFreesParts) {
  const std::string upload = NewUpload("k");
  ASSERT_THAT(Part("k", upload, 1, RandomBytes(300000, 51)), IsOk());
  ASSERT_THAT(Part("k", upload, 2, RandomBytes(1000, 52)), IsOk());
  EXPECT_EQ(DataFiles().size(), 8u);
  ASSERT_THAT(service_->AbortUpload("b", "k", upload), IsOk());
  EXPECT_TRUE(DataFiles().empty());
  EXPECT_THAT(meta_->GetUpload("b", "k", upload), HasReason(ErrorReason::kNoSuchUpload));
  EXPECT_THAT(service_->AbortUpload("b", "k", upload), HasReason(ErrorReason::kNoSuchUpload));
}

TEST_F(ObjectServiceTest, FailedPartUploadCommitsNothing) {
  const std::string upload = NewUpload("k");
  StringBody body("abc");
  WriteChecks checks;
  checks.content_md5 = Md5Raw("xyz");
  EXPECT_THAT(service_->UploadPart("b", "k", upload, 1, body, checks),
              HasReason(ErrorReason::kBadDigest));
  auto parts = meta_->ListParts("b", "k", upload, 0, 1000);
  ASSERT_THAT(parts, IsOk());
  EXPECT_TRUE(parts->parts.empty());
  EXPECT_TRUE(DataFiles().empty());
}

TEST_F(ObjectServiceTest, CopyObjectMakesAnIndependentCopy) {
  const std::string data = RandomBytes(1 * kMiB + 5, 61);
  auto src = Put("src", data);
  ASSERT_THAT(src, IsOk());
  metadata::BucketRecord other;
  other.set_name("b2");
  other.set_owner("alice");
  ASSERT_THAT(meta_->CreateBucket(other), IsOk());
  metadata::ObjectRecord tmpl;
  tmpl.set_key("dst");
  tmpl.set_content_type("text/copied");
  clock_.Advance(absl::Seconds(5));
  auto copy = service_->CopyObject({"b", *src, std::nullopt}, "b2", tmpl);
  ASSERT_THAT(copy, IsOk());
  EXPECT_EQ(copy->etag(), Md5Hex(data));
  EXPECT_EQ(copy->size(), data.size());
  EXPECT_EQ(copy->content_type(), "text/copied");
  EXPECT_EQ(copy->last_modified_unix_nanos(), absl::ToUnixNanos(clock_.Now()));
  EXPECT_NE(copy->parts(0).data_ref(), src->parts(0).data_ref());
  // Deleting the source does not affect the copy.
  ASSERT_THAT(service_->DeleteObject("b", "src"), IsOk());
  auto stored = meta_->GetObject("b2", "dst");
  ASSERT_THAT(stored, IsOk());
  std::string got;
  ASSERT_THAT(service_->ReadRange("b2", *stored, 0, stored->size(),
                                  [&](std::string_view chunk) {
                                    got.append(chunk);
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_TRUE(got == data);
  EXPECT_EQ(DataFiles().size(), 4u);
  EXPECT_THAT(service_->CopyObject({"b2", *stored, std::nullopt}, "nope", tmpl),
              HasReason(ErrorReason::kNoSuchBucket));
}

TEST_F(ObjectServiceTest, CopyOfAMultipartObjectIsASinglePart) {
  const std::string upload = NewUpload("mp");
  const std::string p1 = RandomBytes(5 * kMiB, 71);
  auto r1 = Part("mp", upload, 1, p1);
  auto r2 = Part("mp", upload, 2, "end");
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  auto mp = service_->CompleteUpload("b", "mp", upload, {{1, r1->etag()}, {2, r2->etag()}});
  ASSERT_THAT(mp, IsOk());
  metadata::ObjectRecord tmpl;
  tmpl.set_key("copy");
  auto copy = service_->CopyObject({"b", *mp, std::nullopt}, "b", tmpl);
  ASSERT_THAT(copy, IsOk());
  EXPECT_FALSE(copy->multipart());
  EXPECT_EQ(copy->parts_size(), 1);
  EXPECT_EQ(copy->etag(), Md5Hex(p1 + "end"));
}

TEST_F(ObjectServiceTest, CopyPartTakesARangeOfTheSource) {
  const std::string data = RandomBytes(6 * kMiB, 81);
  auto src = Put("src", data);
  ASSERT_THAT(src, IsOk());
  const std::string upload = NewUpload("dst");
  auto part = service_->CopyPart({"b", *src, std::nullopt}, 1000, 5 * kMiB, "b", "dst", upload, 1);
  ASSERT_THAT(part, IsOk());
  EXPECT_EQ(part->size(), 5 * kMiB);
  EXPECT_EQ(part->etag(), Md5Hex(data.substr(1000, 5 * kMiB)));
  auto tail = Part("dst", upload, 2, "tail");
  ASSERT_THAT(tail, IsOk());
  auto rec = service_->CompleteUpload("b", "dst", upload, {{1, part->etag()}, {2, tail->etag()}});
  ASSERT_THAT(rec, IsOk());
  auto got = Read(*rec, 0, rec->size());
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(*got == data.substr(1000, 5 * kMiB) + "tail");
  EXPECT_THAT(service_->CopyPart({"b", *src, std::nullopt}, 0, 1, "b", "dst", "nope", 1),
              HasReason(ErrorReason::kNoSuchUpload));
}

// A body that runs `during` once, in the middle of the upload: another writer's commit
// landing while this one streams.
class RacingBody final : public BodySource {
 public:
  RacingBody(std::string data, std::function<void()> during)
      : inner_(std::move(data), 1000), during_(std::move(during)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    if (during_ && inner_.consumed() > 0) std::exchange(during_, nullptr)();
    return inner_.Read(buf, max);
  }

 private:
  StringBody inner_;
  std::function<void()> during_;
};

TEST_F(ObjectServiceTest, ConditionalPutChecksBeforeWritingAndAtCommit) {
  WriteCondition none;
  none.if_none_match = "*";
  metadata::ObjectRecord tmpl;
  tmpl.set_key("cond");
  StringBody first("one");
  ASSERT_THAT(service_->PutObject("b", tmpl, first, {}, {}, none), IsOk());
  const size_t files = DataFiles().size();
  // The key exists: 412, and no data was written for the refused body.
  StringBody second("two");
  auto refused = service_->PutObject("b", tmpl, second, {}, {}, none);
  EXPECT_EQ(GetReason(refused.status()), ErrorReason::kPreconditionFailed);
  EXPECT_EQ(second.consumed(), 0u);
  EXPECT_EQ(DataFiles().size(), files);
  // If-Match: the current ETag wins, another is 412, a missing key is 404.
  WriteCondition match;
  match.if_match = Md5Hex("one");
  StringBody third("three");
  ASSERT_THAT(service_->PutObject("b", tmpl, third, {}, {}, match), IsOk());
  StringBody fourth("four");
  EXPECT_EQ(GetReason(service_->PutObject("b", tmpl, fourth, {}, {}, match).status()),
            ErrorReason::kPreconditionFailed);
  metadata::ObjectRecord missing;
  missing.set_key("missing");
  StringBody fifth("five");
  EXPECT_EQ(GetReason(service_->PutObject("b", missing, fifth, {}, {}, match).status()),
            ErrorReason::kNoSuchKey);
}

TEST_F(ObjectServiceTest, ConditionalPutLosingARaceIsAConflictAndLeavesNothing) {
  WriteCondition none;
  none.if_none_match = "*";
  metadata::ObjectRecord tmpl;
  tmpl.set_key("race");
  RacingBody body(RandomBytes(10000, 3), [&] { ASSERT_THAT(Put("race", "winner"), IsOk()); });
  auto lost = service_->PutObject("b", tmpl, body, {}, {}, none);
  EXPECT_EQ(GetReason(lost.status()), ErrorReason::kConditionalRequestConflict);
  auto current = meta_->GetObject("b", "race");
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->etag(), Md5Hex("winner"));
  // Only the winner's shards remain.
  EXPECT_EQ(DataFiles().size(), ShardsOf(current->parts(0)));
}

TEST_F(ObjectServiceTest, ConditionalCompleteUpload) {
  ASSERT_THAT(Put("mpu", "exists"), IsOk());
  const std::string upload = NewUpload("mpu");
  auto part = Part("mpu", upload, 1, "data");
  ASSERT_THAT(part, IsOk());
  WriteCondition none;
  none.if_none_match = "*";
  EXPECT_EQ(
      GetReason(service_->CompleteUpload("b", "mpu", upload, {{1, part->etag()}}, none).status()),
      ErrorReason::kPreconditionFailed);
  WriteCondition match;
  match.if_match = Md5Hex("exists");
  ASSERT_THAT(service_->CompleteUpload("b", "mpu", upload, {{1, part->etag()}}, match), IsOk());
}

}  // namespace
}  // namespace sb::gateway
