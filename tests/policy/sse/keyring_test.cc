#include "policy/sse/keyring.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "policy/sse/keyring_store.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

using testing::TestKey;

const EncryptionContext kCtx = {{"bucket", "photos"}, {"key", "cat.jpg"}};

// A store whose saves can be made to fail, to check that failed mutations roll back.
class FlakyStore : public KeyringStore {
 public:
  explicit FlakyStore(bool* fail) : fail_(fail) {}
  absl::StatusOr<std::string> Load() override { return inner_.Load(); }
  absl::Status Save(std::string_view blob) override {
    if (*fail_) return absl::InternalError("disk full");
    return inner_.Save(blob);
  }

 private:
  bool* fail_;
  MemoryKeyringStore inner_;
};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "sse_keyring_XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::unique_ptr<Keyring> OpenMemory(const Key256& root = TestKey(0xee)) {
  auto keyring = Keyring::Open(root, std::make_unique<MemoryKeyringStore>());
  EXPECT_TRUE(keyring.ok()) << keyring.status();
  return std::move(*keyring);
}

TEST(KeyringTest, NewKeyringHasTheSseS3Key) {
  auto keyring = OpenMemory();
  auto info = keyring->DescribeKey(Keyring::kSseS3KeyId);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->latest_version, 1u);
  EXPECT_EQ(info->state, KeyState::kEnabled);
  ASSERT_EQ(keyring->ListKeys().size(), 1u);
}

TEST(KeyringTest, CreateValidatesAndRefusesDuplicates) {
  auto keyring = OpenMemory();
  EXPECT_TRUE(keyring->CreateKey("app-key").ok());
  EXPECT_TRUE(keyring->CreateKey("arn:aws:kms:us-east-1:1:key/ab_c.d").ok());
  EXPECT_EQ(keyring->CreateKey("app-key").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(keyring->CreateKey(Keyring::kSseS3KeyId).code(), absl::StatusCode::kAlreadyExists);
  for (std::string bad : {std::string(), std::string("has space"), std::string(251, 'a'),
                          std::string("semi;colon")}) {
    absl::Status s = keyring->CreateKey(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(GetReason(s), ErrorReason::kInvalidArgument);
  }
  EXPECT_EQ(keyring->ListKeys().size(), 3u);
}

TEST(KeyringTest, DataKeyRoundTripAndContextBinding) {
  auto keyring = OpenMemory();
  auto dk = keyring->GenerateDataKey(Keyring::kSseS3KeyId, kCtx);
  ASSERT_TRUE(dk.ok());
  EXPECT_EQ(dk->key_id, Keyring::kSseS3KeyId);
  EXPECT_EQ(dk->key_version, 1u);
  auto back = keyring->UnwrapDataKey(dk->sealed, kCtx);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->Equals(dk->plaintext));
  // The sealed blob does not contain the plaintext key.
  EXPECT_EQ(dk->sealed.find(std::string(dk->plaintext.view())), std::string::npos);
  for (const EncryptionContext& other :
       {EncryptionContext{}, EncryptionContext{{"bucket", "photos"}},
        EncryptionContext{{"bucket", "photos"}, {"key", "dog.jpg"}},
        EncryptionContext{{"bucket", "photos"}, {"key", "cat.jpg"}, {"x", ""}},
        EncryptionContext{{"bucketk", "ey"}, {"cat.jpg", ""}}}) {
    auto wrong = keyring->UnwrapDataKey(dk->sealed, other);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(GetReason(wrong.status()), ErrorReason::kAccessDenied);
  }
  auto dk2 = keyring->GenerateDataKey(Keyring::kSseS3KeyId, kCtx);
  ASSERT_TRUE(dk2.ok());
  EXPECT_FALSE(dk2->plaintext.Equals(dk->plaintext));
}

TEST(KeyringTest, StatsCountDataKeyOperationsAndFailures) {
  auto keyring = OpenMemory();
  auto dk = keyring->GenerateDataKey(Keyring::kSseS3KeyId, kCtx);
  ASSERT_TRUE(dk.ok());
  ASSERT_TRUE(keyring->UnwrapDataKey(dk->sealed, kCtx).ok());
  ASSERT_FALSE(keyring->UnwrapDataKey(dk->sealed, EncryptionContext{}).ok());
  ASSERT_FALSE(keyring->GenerateDataKey("no-such-key", kCtx).ok());
  ASSERT_TRUE(keyring->Rewrap(dk->sealed, kCtx).ok());
  KmsStats s = keyring->Stats();
  EXPECT_EQ(s.count[KmsStats::kGenerate][0], 1u);
  EXPECT_EQ(s.count[KmsStats::kGenerate][1], 1u);
  EXPECT_EQ(s.count[KmsStats::kUnwrap][0], 1u);
  EXPECT_EQ(s.count[KmsStats::kUnwrap][1], 1u);
  EXPECT_EQ(s.count[KmsStats::kRewrap][0], 1u);
  EXPECT_EQ(s.count[KmsStats::kRewrap][1], 0u);
}

TEST(KeyringTest, UnknownKey) {
  auto keyring = OpenMemory();
  auto dk = keyring->GenerateDataKey("nope", kCtx);
  EXPECT_EQ(dk.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(keyring->RotateKey("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(keyring->SetKeyState("nope", KeyState::kDisabled).code(), absl::StatusCode::kNotFound);
}

TEST(KeyringTest, RotationKeepsOldVersionsAndRewrapMovesToNewest) {
  auto keyring = OpenMemory();
  ASSERT_TRUE(keyring->CreateKey("k").ok());
  auto old_dk = keyring->GenerateDataKey("k", kCtx);
  ASSERT_TRUE(old_dk.ok());
  auto v2 = keyring->RotateKey("k");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 2u);
  EXPECT_EQ(*keyring->RotateKey("k"), 3u);
  auto new_dk = keyring->GenerateDataKey("k", kCtx);
  ASSERT_TRUE(new_dk.ok());
  EXPECT_EQ(new_dk->key_version, 3u);
  EXPECT_EQ(InspectSealedDataKey(new_dk->sealed)->key_version, 3u);
  // The old key still opens.
  auto old_back = keyring->UnwrapDataKey(old_dk->sealed, kCtx);
  ASSERT_TRUE(old_back.ok());
  EXPECT_TRUE(old_back->Equals(old_dk->plaintext));
  // Rewrap: newest version, same data key, old context still required.
  auto rewrapped = keyring->Rewrap(old_dk->sealed, kCtx);
  ASSERT_TRUE(rewrapped.ok());
  auto header = InspectSealedDataKey(*rewrapped);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->key_id, "k");
  EXPECT_EQ(header->key_version, 3u);
  EXPECT_EQ(InspectSealedDataKey(old_dk->sealed)->key_version, 1u);
  auto again = keyring->UnwrapDataKey(*rewrapped, kCtx);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->Equals(old_dk->plaintext));
  EXPECT_FALSE(keyring->Rewrap(old_dk->sealed, {}).ok());
}

TEST(KeyringTest, DisabledKeyRefusesEverythingUntilEnabled) {
  auto keyring = OpenMemory();
  ASSERT_TRUE(keyring->CreateKey("k").ok());
  auto dk = keyring->GenerateDataKey("k", kCtx);
  ASSERT_TRUE(dk.ok());
  ASSERT_TRUE(keyring->SetKeyState("k", KeyState::kDisabled).ok());
  EXPECT_EQ(keyring->DescribeKey("k")->state, KeyState::kDisabled);
  for (absl::Status s :
       {keyring->UnwrapDataKey(dk->sealed, kCtx).status(),
        keyring->GenerateDataKey("k", kCtx).status(), keyring->Rewrap(dk->sealed, kCtx).status(),
        keyring->RotateKey("k").status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_EQ(GetReason(s), ErrorReason::kKmsKeyDisabled);
  }
  // Other keys are unaffected.
  EXPECT_TRUE(keyring->GenerateDataKey(Keyring::kSseS3KeyId, kCtx).ok());
  ASSERT_TRUE(keyring->SetKeyState("k", KeyState::kEnabled).ok());
  EXPECT_TRUE(keyring->UnwrapDataKey(dk->sealed, kCtx).ok());
}

TEST(KeyringTest, TamperedSealedKeysAreRefused) {
  auto keyring = OpenMemory();
  ASSERT_TRUE(keyring->CreateKey("a").ok());
  ASSERT_TRUE(keyring->CreateKey("b").ok());
  auto dk = keyring->GenerateDataKey("a", kCtx);
  ASSERT_TRUE(dk.ok());
  // Relabelled to another key of the same id length: the header is bound as AAD.
  std::string relabelled = dk->sealed;
  relabelled[2] = 'b';
  EXPECT_EQ(keyring->UnwrapDataKey(relabelled, kCtx).status().code(),
            absl::StatusCode::kPermissionDenied);
  // A version that does not exist.
  std::string future = dk->sealed;
  future[3] = 9;
  EXPECT_EQ(keyring->UnwrapDataKey(future, kCtx).status().code(), absl::StatusCode::kNotFound);
  // Flipped ciphertext bit.
  std::string flipped = dk->sealed;
  flipped.back() ^= 1;
  EXPECT_EQ(keyring->UnwrapDataKey(flipped, kCtx).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Malformed.
  for (std::string bad : {std::string(), dk->sealed.substr(0, 10), dk->sealed + "x",
                          std::string(1, '\x07') + dk->sealed.substr(1)}) {
    auto s = keyring->UnwrapDataKey(bad, kCtx).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(GetReason(s), ErrorReason::kDataCorrupted);
  }
  // Another keyring's key of the same name does not open it.
  auto other = OpenMemory();
  ASSERT_TRUE(other->CreateKey("a").ok());
  EXPECT_EQ(other->UnwrapDataKey(dk->sealed, kCtx).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(KeyringTest, FailedSaveLeavesTheKeyringUnchanged) {
  bool fail = false;
  auto opened = Keyring::Open(TestKey(1), std::make_unique<FlakyStore>(&fail));
  ASSERT_TRUE(opened.ok());
  auto& keyring = *opened;
  ASSERT_TRUE(keyring->CreateKey("k").ok());
  fail = true;
  EXPECT_FALSE(keyring->CreateKey("k2").ok());
  EXPECT_FALSE(keyring->DescribeKey("k2").ok());
  EXPECT_FALSE(keyring->RotateKey("k").ok());
  EXPECT_EQ(keyring->DescribeKey("k")->latest_version, 1u);
  EXPECT_FALSE(keyring->SetKeyState("k", KeyState::kDisabled).ok());
  EXPECT_EQ(keyring->DescribeKey("k")->state, KeyState::kEnabled);
}

TEST(KeyringTest, PersistsToAFileAndReloads) {
  TempDir dir;
  const std::string path = dir.File("keyring.bin");
  const Key256 root = TestKey(0x42);
  std::string s3_sealed, k_sealed;
  Key256 s3_plain, k_plain;
  {
    auto keyring = Keyring::Open(root, std::make_unique<FileKeyringStore>(path));
    ASSERT_TRUE(keyring.ok()) << keyring.status();
    ASSERT_TRUE((*keyring)->CreateKey("k").ok());
    auto dk = (*keyring)->GenerateDataKey("k", kCtx);
    ASSERT_TRUE(dk.ok());
    k_sealed = dk->sealed;
    k_plain = dk->plaintext;
    ASSERT_TRUE((*keyring)->RotateKey("k").ok());
    auto s3 = (*keyring)->GenerateDataKey(Keyring::kSseS3KeyId, {});
    ASSERT_TRUE(s3.ok());
    s3_sealed = s3->sealed;
    s3_plain = s3->plaintext;
    ASSERT_TRUE((*keyring)->CreateKey("off").ok());
    ASSERT_TRUE((*keyring)->SetKeyState("off", KeyState::kDisabled).ok());
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto reopened = Keyring::Open(root, std::make_unique<FileKeyringStore>(path));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto& keyring = *reopened;
  EXPECT_EQ(keyring->ListKeys().size(), 3u);
  EXPECT_EQ(keyring->DescribeKey("k")->latest_version, 2u);
  EXPECT_EQ(keyring->DescribeKey("off")->state, KeyState::kDisabled);
  auto k_back = keyring->UnwrapDataKey(k_sealed, kCtx);
  ASSERT_TRUE(k_back.ok());
  EXPECT_TRUE(k_back->Equals(k_plain));
  auto s3_back = keyring->UnwrapDataKey(s3_sealed, {});
  ASSERT_TRUE(s3_back.ok());
  EXPECT_TRUE(s3_back->Equals(s3_plain));
}

TEST(KeyringTest, WrongRootKeyOrDamagedFileRefusesToLoad) {
  TempDir dir;
  const std::string path = dir.File("keyring.bin");
  ASSERT_TRUE(Keyring::Open(TestKey(1), std::make_unique<FileKeyringStore>(path)).ok());
  auto wrong = Keyring::Open(TestKey(2), std::make_unique<FileKeyringStore>(path));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetReason(wrong.status()), ErrorReason::kAccessDenied);
  // A flipped byte inside the sealed part.
  auto blob = FileKeyringStore(path).Load();
  ASSERT_TRUE(blob.ok());
  std::string bad = *blob;
  bad[bad.size() / 2] ^= 0x10;
  ASSERT_TRUE(FileKeyringStore(path).Save(bad).ok());
  EXPECT_EQ(Keyring::Open(TestKey(1), std::make_unique<FileKeyringStore>(path)).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Not a keyring at all.
  ASSERT_TRUE(FileKeyringStore(path).Save("hello world").ok());
  auto garbage = Keyring::Open(TestKey(1), std::make_unique<FileKeyringStore>(path));
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(garbage.status()), ErrorReason::kDataCorrupted);
  // An unreadable location is an I/O error, not an empty keyring.
  auto missing_dir = Keyring::Open(
      TestKey(1), std::make_unique<FileKeyringStore>(dir.File("no/such/dir/keyring.bin")));
  EXPECT_FALSE(missing_dir.ok());
}

TEST(KeyringTest, FileStoreLoadOfMissingFileIsNotFound) {
  TempDir dir;
  EXPECT_EQ(FileKeyringStore(dir.File("absent")).Load().status().code(),
            absl::StatusCode::kNotFound);
}

TEST(KeyringTest, ConcurrentUseWithRotation) {
  auto keyring = OpenMemory();
  ASSERT_TRUE(keyring->CreateKey("k").ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto dk = keyring->GenerateDataKey("k", kCtx);
        auto back = dk.ok() ? keyring->UnwrapDataKey(dk->sealed, kCtx)
                            : absl::StatusOr<Key256>(dk.status());
        if (!back.ok() || !back->Equals(dk->plaintext)) ++failures;
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(keyring->RotateKey("k").ok());
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(keyring->DescribeKey("k")->latest_version, 21u);
}

}  // namespace
}  // namespace sb::sse
