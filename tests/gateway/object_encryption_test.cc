// Encryption at rest through the ObjectService, over real RocksDB, real erasure drives and a
// real keyring: shard files never hold plaintext, range reads fetch only the covering SSE
// packages, SSE-C keys are checked, KMS key state gates reads, and sealed keys are bound to
// their object.
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "erasure/data_plane.h"
#include "gateway/object_service.h"
#include "gtest/gtest.h"
#include "metadata/metadata_store.h"
#include "policy/sse/keyring.h"
#include "policy/sse/keyring_store.h"
#include "policy/sse/package_format.h"
#include "policy/sse/sse_metadata.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

namespace fs = std::filesystem;
using core_testing::HasReason;
using core_testing::IsOk;
using core_testing::StringBody;

constexpr uint64_t kP = sse::kPackageSize;
constexpr uint64_t kMiB = 1 << 20;
const std::string kMarker = "STRONGBOX-PLAINTEXT-MARKER-0123456789";

std::string Marked(size_t n) {
  std::string s;
  while (s.size() < n) s += kMarker;
  s.resize(n);
  return s;
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

sse::SseCKey CustomerKey(char fill) {
  auto key = sse::Key256::FromBytes(std::string(32, fill));
  EXPECT_THAT(key, IsOk());
  auto c = sse::SseCKey::FromKey(*key);
  EXPECT_THAT(c, IsOk());
  return *c;
}

// Forwards to a real DataPlane and records every Read, to check which ciphertext bytes a
// range read fetched.
class RecordingPlane final : public erasure::DataPlane {
 public:
  explicit RecordingPlane(std::unique_ptr<erasure::DataPlane> real) : real_(std::move(real)) {}
  absl::StatusOr<std::unique_ptr<erasure::ObjectWriter>> NewWriter() override {
    return real_->NewWriter();
  }
  absl::Status Read(const erasure::DataRef& ref, uint64_t offset, uint64_t length,
                    const erasure::ByteSink& sink) override {
    reads.emplace_back(offset, length);
    return real_->Read(ref, offset, length, sink);
  }
  absl::Status Delete(const erasure::DataRef& ref) override { return real_->Delete(ref); }
  uint32_t DataShards() const override { return real_->DataShards(); }
  uint32_t ParityShards() const override { return real_->ParityShards(); }
  uint32_t DriveCount() const override { return real_->DriveCount(); }

  std::vector<std::pair<uint64_t, uint64_t>> reads;

 private:
  std::unique_ptr<erasure::DataPlane> real_;
};

class ObjectEncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = metadata::MetadataStore::Open(dir_.path() + "/meta");
    ASSERT_THAT(meta, IsOk());
    meta_ = std::move(meta).value();
    erasure::DataPlaneOptions options;
    for (int i = 0; i < 4; ++i) drives_.push_back(dir_.path() + "/drive" + std::to_string(i));
    options.drive_paths = drives_;
    options.block_size = 256 * 1024;
    options.clock = &clock_;
    auto data = erasure::DataPlane::Open(options);
    ASSERT_THAT(data, IsOk());
    data_ = std::make_unique<RecordingPlane>(std::move(data).value());
    auto root = sse::Key256::Random();
    ASSERT_THAT(root, IsOk());
    auto keyring = sse::Keyring::Open(*root, std::make_unique<sse::MemoryKeyringStore>());
    ASSERT_THAT(keyring, IsOk());
    keyring_ = std::move(keyring).value();
    service_ = std::make_unique<ObjectService>(*meta_, *data_, clock_, *keyring_);
    for (const char* name : {"b", "b2"}) {
      metadata::BucketRecord bucket;
      bucket.set_name(name);
      bucket.set_owner("alice");
      ASSERT_THAT(meta_->CreateBucket(bucket), IsOk());
    }
  }

  // The concatenated bytes of every file on every drive (shards, metadata, anything).
  std::string EverythingOnTheDrives() const {
    std::string all;
    for (const auto& drive : drives_) {
      for (const auto& entry : fs::recursive_directory_iterator(drive)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        all += ss.str();
      }
    }
    return all;
  }

  absl::StatusOr<metadata::ObjectRecord> Put(const std::string& bucket, const std::string& key,
                                             const std::string& data,
                                             const EncryptionSpec& spec = {}) {
    metadata::ObjectRecord tmpl;
    tmpl.set_key(key);
    StringBody body(data, 70000);
    return service_->PutObject(bucket, tmpl, body, {}, spec);
  }

  absl::StatusOr<std::string> Read(const std::string& bucket, const metadata::ObjectRecord& o,
                                   uint64_t offset, uint64_t length,
                                   const sse::SseCKey* key = nullptr) {
    std::string out;
    absl::Status st = service_->ReadRange(
        bucket, o, offset, length,
        [&](std::string_view chunk) {
          out.append(chunk);
          return absl::OkStatus();
        },
        key);
    if (!st.ok()) return st;
    return out;
  }

  static EncryptionSpec Kms(const std::string& key_id) {
    EncryptionSpec spec;
    spec.mode = sse::SseMode::kKms;
    spec.kms_key_id = key_id;
    return spec;
  }
  static EncryptionSpec Customer(const sse::SseCKey& key) {
    EncryptionSpec spec;
    spec.mode = sse::SseMode::kCustomer;
    spec.customer_key = key;
    return spec;
  }

  core_testing::TempDir dir_;
  std::vector<std::string> drives_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2024, 1, 2, 3, 4, 5), absl::UTCTimeZone())};
  std::unique_ptr<metadata::MetadataStore> meta_;
  std::unique_ptr<RecordingPlane> data_;
  std::unique_ptr<sse::Keyring> keyring_;
  std::unique_ptr<ObjectService> service_;
};

TEST_F(ObjectEncryptionTest, ShardFilesNeverHoldThePlaintext) {
  ASSERT_THAT(keyring_->CreateKey("team"), IsOk());
  const std::string data = Marked(3 * kP + 1234);
  const sse::SseCKey ckey = CustomerKey('c');
  auto s3 = Put("b", "s3", data);
  auto kms = Put("b", "kms", data, Kms("team"));
  auto c = Put("b", "c", data, Customer(ckey));
  ASSERT_THAT(s3, IsOk());
  ASSERT_THAT(kms, IsOk());
  ASSERT_THAT(c, IsOk());
  const std::string disk = EverythingOnTheDrives();
  // The drives hold at least the ciphertext of all three objects...
  EXPECT_GE(disk.size(), 3 * sse::CiphertextSize(data.size()));
  // ...and not even a fragment of the plaintext.
  EXPECT_EQ(disk.find(kMarker.substr(0, 16)), std::string::npos);

  for (const auto* rec : {&*s3, &*kms, &*c}) {
    ASSERT_EQ(rec->parts_size(), 1);
    EXPECT_EQ(rec->size(), data.size());
    EXPECT_EQ(rec->parts(0).size(), data.size());  // DataPart.size is the plaintext size
    auto meta = sse::SseMetadata::Parse(rec->parts(0).sse());
    ASSERT_THAT(meta, IsOk());
    EXPECT_EQ(meta->plaintext_size, data.size());
    auto ref = erasure::DataRef::Parse(rec->parts(0).data_ref());
    ASSERT_THAT(ref, IsOk());
    EXPECT_EQ(ref->size, meta->ciphertext_size());
  }
  EXPECT_EQ(s3->sse_algorithm(), "AES256");
  EXPECT_EQ(kms->sse_algorithm(), "aws:kms");
  EXPECT_EQ(kms->sse_kms_key_id(), "team");
  EXPECT_EQ(c->sse_algorithm(), "");
  EXPECT_EQ(c->sse_customer_algorithm(), "AES256");
  EXPECT_EQ(c->sse_customer_key_md5(), ckey.key_md5_b64());
  // S3 and KMS keep the plaintext MD5 as ETag; SSE-C does not reveal a digest of it.
  EXPECT_EQ(s3->etag(), kms->etag());
  EXPECT_NE(c->etag(), s3->etag());

  auto back = Read("b", *s3, 0, data.size());
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(*back == data);
  back = Read("b", *kms, 0, data.size());
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(*back == data);
  back = Read("b", *c, 0, data.size(), &ckey);
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(*back == data);
}

TEST_F(ObjectEncryptionTest, RangeReadsFetchOnlyTheCoveringPackages) {
  const std::string data = RandomBytes(5 * kP + 77, 7);
  auto rec = Put("b", "k", data);
  ASSERT_THAT(rec, IsOk());
  const uint64_t cp = kP + sse::kPackageTagSize;  // ciphertext bytes per full package
  struct Case {
    uint64_t offset, length;
    uint64_t want_cipher_offset, want_cipher_end;
  };
  const uint64_t total_cipher = sse::CiphertextSize(data.size());
  for (const Case& c : std::vector<Case>{{0, 1, 0, cp},
                                         {kP - 1, 2, 0, 2 * cp},
                                         {kP, kP, cp, 2 * cp},
                                         {2 * kP + 5, 2 * kP, 2 * cp, 5 * cp},
                                         {5 * kP, 77, 5 * cp, total_cipher},
                                         {data.size() - 1, 1, 5 * cp, total_cipher},
                                         {3, data.size() - 3, 0, total_cipher}}) {
    data_->reads.clear();
    auto got = Read("b", *rec, c.offset, c.length);
    ASSERT_THAT(got, IsOk()) << c.offset << "+" << c.length;
    EXPECT_TRUE(*got == data.substr(c.offset, c.length)) << c.offset << "+" << c.length;
    ASSERT_FALSE(data_->reads.empty());
    uint64_t lo = UINT64_MAX, hi = 0, fetched = 0;
    for (auto [off, len] : data_->reads) {
      lo = std::min(lo, off);
      hi = std::max(hi, off + len);
      fetched += len;
    }
    EXPECT_EQ(lo, c.want_cipher_offset) << c.offset << "+" << c.length;
    EXPECT_EQ(hi, c.want_cipher_end) << c.offset << "+" << c.length;
    EXPECT_EQ(fetched, hi - lo) << "each ciphertext byte is fetched once";
  }
}

TEST_F(ObjectEncryptionTest, MultipartRangesAcrossPartAndPackageBoundaries) {
  metadata::UploadRecord upload;
  upload.set_bucket("b");
  upload.set_key("mp");
  upload.set_upload_id("u1");
  upload.mutable_object_template()->set_key("mp");
  upload.mutable_object_template()->set_sse_algorithm("AES256");
  ASSERT_THAT(meta_->CreateUpload(upload), IsOk());
  const std::string p1 = RandomBytes(5 * kMiB + 3, 21);
  const std::string p2 = RandomBytes(kP + 9, 22);
  std::vector<CompletedPart> done;
  uint32_t n = 0;
  for (const std::string* p : {&p1, &p2}) {
    StringBody body(*p);
    auto part = service_->UploadPart("b", "mp", "u1", ++n, body, {});
    ASSERT_THAT(part, IsOk());
    done.push_back({n, part->etag(), "", ""});
  }
  auto rec = service_->CompleteUpload("b", "mp", "u1", done);
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->sse_algorithm(), "AES256");
  const std::string all = p1 + p2;
  for (auto [off, len] : std::vector<std::pair<uint64_t, uint64_t>>{{0, all.size()},
                                                                    {p1.size() - kP - 1, kP + 3},
                                                                    {p1.size() - 1, kP + 2},
                                                                    {p1.size() + kP, 9}}) {
    auto got = Read("b", *rec, off, len);
    ASSERT_THAT(got, IsOk()) << off << "+" << len;
    EXPECT_TRUE(*got == all.substr(off, len)) << off << "+" << len;
  }
  // Each part has its own data key and nonce.
  auto m1 = sse::SseMetadata::Parse(rec->parts(0).sse());
  auto m2 = sse::SseMetadata::Parse(rec->parts(1).sse());
  ASSERT_THAT(m1, IsOk());
  ASSERT_THAT(m2, IsOk());
  EXPECT_NE(m1->sealed_data_key, m2->sealed_data_key);
  EXPECT_NE(m1->base_nonce, m2->base_nonce);
}

TEST_F(ObjectEncryptionTest, CustomerKeyIsRequiredAndChecked) {
  const sse::SseCKey right = CustomerKey('r');
  const sse::SseCKey wrong = CustomerKey('w');
  const std::string data = Marked(100000);
  auto rec = Put("b", "c", data, Customer(right));
  ASSERT_THAT(rec, IsOk());
  EXPECT_THAT(Read("b", *rec, 0, 10), HasReason(ErrorReason::kInvalidRequest));
  EXPECT_THAT(Read("b", *rec, 0, 10, &wrong), HasReason(ErrorReason::kAccessDenied));
  EXPECT_THAT(service_->CheckReadable("b", *rec, nullptr), HasReason(ErrorReason::kInvalidRequest));
  EXPECT_THAT(service_->CheckReadable("b", *rec, &wrong), HasReason(ErrorReason::kAccessDenied));
  EXPECT_THAT(service_->CheckReadable("b", *rec, &right), IsOk());
  auto got = Read("b", *rec, 99990, 10, &right);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(*got, data.substr(99990, 10));
  // A wrong key whose MD5 is forged to match still fails the stored key check.
  metadata::ObjectRecord forged = *rec;
  forged.set_sse_customer_key_md5(wrong.key_md5_b64());
  EXPECT_THAT(Read("b", forged, 0, 10, &wrong), HasReason(ErrorReason::kAccessDenied));
  // A key sent for an object that does not use one is refused.
  auto plain = Put("b", "plain", "abc");
  ASSERT_THAT(plain, IsOk());
  EXPECT_THAT(Read("b", *plain, 0, 3, &right), HasReason(ErrorReason::kInvalidRequest));
}

TEST_F(ObjectEncryptionTest, DisabledKmsKeyBlocksReadsUntilEnabled) {
  ASSERT_THAT(keyring_->CreateKey("app"), IsOk());
  auto rec = Put("b", "k", "kms protected", Kms("app"));
  ASSERT_THAT(rec, IsOk());
  ASSERT_THAT(keyring_->SetKeyState("app", sse::KeyState::kDisabled), IsOk());
  EXPECT_THAT(Read("b", *rec, 0, 3), HasReason(ErrorReason::kKmsKeyDisabled));
  EXPECT_THAT(service_->CheckReadable("b", *rec, nullptr), HasReason(ErrorReason::kKmsKeyDisabled));
  EXPECT_THAT(Put("b", "k2", "x", Kms("app")), HasReason(ErrorReason::kKmsKeyDisabled));
  ASSERT_THAT(keyring_->SetKeyState("app", sse::KeyState::kEnabled), IsOk());
  auto got = Read("b", *rec, 0, rec->size());
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(*got, "kms protected");
  // Rotation: old objects still open, new ones use the new version.
  auto rotated = keyring_->RotateKey("app");
  ASSERT_THAT(rotated, IsOk());
  auto newer = Put("b", "k3", "after rotation", Kms("app"));
  ASSERT_THAT(newer, IsOk());
  EXPECT_THAT(Read("b", *rec, 0, rec->size()), IsOk());
  auto got3 = Read("b", *newer, 0, newer->size());
  ASSERT_THAT(got3, IsOk());
  EXPECT_EQ(*got3, "after rotation");
  // Unknown keys are refused before any data is written.
  EXPECT_FALSE(Put("b", "k4", "x", Kms("no-such-key")).ok());
  // aws:kms without a key id uses the default key, created on first use.
  auto def = Put("b", "k5", "default key", Kms(""));
  ASSERT_THAT(def, IsOk());
  EXPECT_EQ(def->sse_kms_key_id(), kDefaultKmsKeyId);
  EXPECT_THAT(keyring_->DescribeKey(kDefaultKmsKeyId), IsOk());
}

TEST_F(ObjectEncryptionTest, SealedKeysDoNotOpenForAnotherObject) {
  auto rec = Put("b", "original", "bound to its name");
  ASSERT_THAT(rec, IsOk());
  // Same record (same sealed key and data) presented as another key, or another bucket.
  metadata::ObjectRecord moved = *rec;
  moved.set_key("moved");
  EXPECT_THAT(Read("b", moved, 0, 5), HasReason(ErrorReason::kAccessDenied));
  EXPECT_THAT(Read("b2", *rec, 0, 5), HasReason(ErrorReason::kAccessDenied));
  EXPECT_THAT(Read("b", *rec, 0, 5), IsOk());
}

TEST_F(ObjectEncryptionTest, BucketDefaultAppliesWhenTheRequestNamesNone) {
  ASSERT_THAT(keyring_->CreateKey("bucket-key"), IsOk());
  ASSERT_THAT(meta_->UpdateBucket("b2",
                                  [](metadata::BucketRecord& r) {
                                    r.mutable_encryption()->set_sse_algorithm("aws:kms");
                                    r.mutable_encryption()->set_kms_master_key_id("bucket-key");
                                    return absl::OkStatus();
                                  }),
              IsOk());
  auto rec = Put("b2", "k", "defaulted");
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->sse_algorithm(), "aws:kms");
  EXPECT_EQ(rec->sse_kms_key_id(), "bucket-key");
  EncryptionSpec s3;
  s3.mode = sse::SseMode::kS3;
  auto explicit_s3 = Put("b2", "k2", "explicit", s3);
  ASSERT_THAT(explicit_s3, IsOk());
  EXPECT_EQ(explicit_s3->sse_algorithm(), "AES256");
  auto other = Put("b", "k", "no default");
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ(other->sse_algorithm(), "AES256");
}

TEST_F(ObjectEncryptionTest, CopiesReEncryptUnderTheDestinationKey) {
  const sse::SseCKey src_key = CustomerKey('s');
  const sse::SseCKey dst_key = CustomerKey('d');
  const std::string data = Marked(2 * kP + 10);
  auto src = Put("b", "src", data, Customer(src_key));
  ASSERT_THAT(src, IsOk());
  metadata::ObjectRecord tmpl;
  tmpl.set_key("dst");
  // Without the source key the copy is refused.
  EXPECT_THAT(service_->CopyObject({"b", *src, std::nullopt}, "b2", tmpl),
              HasReason(ErrorReason::kInvalidRequest));
  EXPECT_THAT(service_->CopyObject({"b", *src, CustomerKey('x')}, "b2", tmpl),
              HasReason(ErrorReason::kAccessDenied));
  // SSE-C source to SSE-S3 destination.
  auto plain_copy = service_->CopyObject({"b", *src, src_key}, "b2", tmpl);
  ASSERT_THAT(plain_copy, IsOk());
  EXPECT_EQ(plain_copy->sse_algorithm(), "AES256");
  EXPECT_EQ(plain_copy->sse_customer_algorithm(), "");
  auto got = Read("b2", *plain_copy, 0, data.size());
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(*got == data);
  // SSE-C source to SSE-C destination with another key.
  tmpl.set_key("dst2");
  auto c_copy = service_->CopyObject({"b", *src, src_key}, "b", tmpl, Customer(dst_key));
  ASSERT_THAT(c_copy, IsOk());
  EXPECT_THAT(Read("b", *c_copy, 0, 1, &src_key), HasReason(ErrorReason::kAccessDenied));
  auto got2 = Read("b", *c_copy, kP - 3, 10, &dst_key);
  ASSERT_THAT(got2, IsOk());
  EXPECT_EQ(*got2, data.substr(kP - 3, 10));
  EXPECT_EQ(EverythingOnTheDrives().find(kMarker.substr(0, 16)), std::string::npos);
}

TEST_F(ObjectEncryptionTest, MultipartSseCNeedsTheUploadsKeyOnEveryPart) {
  const sse::SseCKey key = CustomerKey('m');
  metadata::UploadRecord upload;
  upload.set_bucket("b");
  upload.set_key("mp");
  upload.set_upload_id("u");
  upload.mutable_object_template()->set_key("mp");
  SetEncryptionFields(Customer(key), upload.mutable_object_template());
  ASSERT_THAT(meta_->CreateUpload(upload), IsOk());
  StringBody missing("part");
  EXPECT_THAT(service_->UploadPart("b", "mp", "u", 1, missing, {}),
              HasReason(ErrorReason::kInvalidRequest));
  const sse::SseCKey other = CustomerKey('o');
  StringBody wrong("part");
  EXPECT_THAT(service_->UploadPart("b", "mp", "u", 1, wrong, {}, &other),
              HasReason(ErrorReason::kInvalidArgument));
  const std::string one = RandomBytes(5 * kMiB, 9);  // non-last parts need 5 MiB
  StringBody right(one);
  auto p1 = service_->UploadPart("b", "mp", "u", 1, right, {}, &key);
  ASSERT_THAT(p1, IsOk());
  // UploadPartCopy from an SSE-S3 object into the SSE-C upload.
  auto src = Put("b", "src", "copied tail");
  ASSERT_THAT(src, IsOk());
  EXPECT_THAT(service_->CopyPart({"b", *src, std::nullopt}, 0, 6, "b", "mp", "u", 2),
              HasReason(ErrorReason::kInvalidRequest));
  auto p2 = service_->CopyPart({"b", *src, std::nullopt}, 0, 6, "b", "mp", "u", 2, &key);
  ASSERT_THAT(p2, IsOk());
  auto rec =
      service_->CompleteUpload("b", "mp", "u", {{1, p1->etag(), "", ""}, {2, p2->etag(), "", ""}});
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->sse_customer_key_md5(), key.key_md5_b64());
  EXPECT_THAT(Read("b", *rec, 0, 1), HasReason(ErrorReason::kInvalidRequest));
  auto got = Read("b", *rec, 0, rec->size(), &key);
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(*got == one + "copied");
}

}  // namespace
}  // namespace sb::gateway
