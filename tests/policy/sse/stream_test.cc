#include <openssl/evp.h>

#include <string>

#include "gtest/gtest.h"
#include "policy/sse/decrypting_reader.h"
#include "policy/sse/encrypting_stream.h"
#include "tests/policy/sse/sse_test_util.h"

namespace sb::sse {
namespace {

using testing::Encrypt;
using testing::kP;
using testing::Pattern;
using testing::TestKey;
using testing::TestNonce;

const uint64_t kSizes[] = {0, 1, kP - 1, kP, kP + 1, (1 << 20) + 7};

// Decrypts one package with OpenSSL directly, independent of DecryptingReader, to pin the
// wire format: nonce = base XOR index, AAD = version || index(BE) || final, ct || tag.
bool OpenWithRawOpenSsl(const Key256& key, const BaseNonce& base, uint64_t index,
                        bool final_package, std::string_view sealed, std::string* plain) {
  BaseNonce iv = base;
  for (int i = 0; i < 8; ++i) iv[11 - i] ^= static_cast<uint8_t>(index >> (8 * i));
  unsigned char aad[10] = {1};
  for (int i = 0; i < 8; ++i) aad[1 + i] = static_cast<unsigned char>(index >> (8 * (7 - i)));
  aad[9] = final_package ? 1 : 0;
  const size_t n = sealed.size() - 16;
  plain->assign(n, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), iv.data()) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &len, aad, sizeof(aad)) == 1 &&
            EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plain->data()), &len,
                              reinterpret_cast<const unsigned char*>(sealed.data()),
                              static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
                                const_cast<char*>(sealed.data() + n)) == 1 &&
            EVP_DecryptFinal_ex(ctx, nullptr, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

TEST(EncryptingStreamTest, RoundTripsAllEdgeSizes) {
  const Key256 key = TestKey(7);
  const BaseNonce nonce = TestNonce(9);
  for (uint64_t size : kSizes) {
    SCOPED_TRACE(size);
    const std::string plain = Pattern(size, static_cast<uint32_t>(size));
    const std::string ct = Encrypt(key, nonce, plain);
    EXPECT_EQ(ct.size(), CiphertextSize(size));
    if (size >= 16) {
      EXPECT_EQ(ct.find(plain.substr(0, 16)), std::string::npos);  // not the plaintext
    }
    testing::FakeStorage storage{ct, {}};
    std::string back;
    ASSERT_TRUE(testing::ReadRange(key, nonce, storage, size, 0, size, &back).ok());
    EXPECT_EQ(back, plain);
  }
}

TEST(EncryptingStreamTest, ChunkingDoesNotChangeTheCiphertext) {
  const Key256 key = TestKey(1);
  const BaseNonce nonce = TestNonce(2);
  for (uint64_t size : kSizes) {
    SCOPED_TRACE(size);
    const std::string plain = Pattern(size, 3);
    const std::string whole = Encrypt(key, nonce, plain);
    for (size_t chunk :
         {size_t{1}, size_t{7}, size_t{4096}, size_t{kP}, size_t{kP + 1}, size_t{3 * kP + 5}}) {
      if (chunk == 1 && size > 2 * kP) continue;  // byte-at-a-time is slow; small sizes cover it
      EXPECT_EQ(Encrypt(key, nonce, plain, chunk), whole) << "chunk " << chunk;
    }
  }
}

TEST(EncryptingStreamTest, PackagesMatchTheDocumentedFormat) {
  const Key256 key = TestKey(4);
  const BaseNonce nonce = TestNonce(5);
  const std::string plain = Pattern(2 * kP + 100, 11);
  const std::string ct = Encrypt(key, nonce, plain);
  ASSERT_EQ(ct.size(), 2 * kP + 100 + 3 * 16);
  std::string out;
  ASSERT_TRUE(OpenWithRawOpenSsl(key, nonce, 0, false, ct.substr(0, kP + 16), &out));
  EXPECT_EQ(out, plain.substr(0, kP));
  ASSERT_TRUE(OpenWithRawOpenSsl(key, nonce, 1, false, ct.substr(kP + 16, kP + 16), &out));
  EXPECT_EQ(out, plain.substr(kP, kP));
  ASSERT_TRUE(OpenWithRawOpenSsl(key, nonce, 2, true, ct.substr(2 * (kP + 16)), &out));
  EXPECT_EQ(out, plain.substr(2 * kP));
  // The final flag is really bound: the last package does not open as non-final.
  EXPECT_FALSE(OpenWithRawOpenSsl(key, nonce, 2, false, ct.substr(2 * (kP + 16)), &out));
  // An empty object is one empty final package (a bare tag).
  const std::string empty = Encrypt(key, nonce, "");
  ASSERT_EQ(empty.size(), 16u);
  EXPECT_TRUE(OpenWithRawOpenSsl(key, nonce, 0, true, empty, &out));
}

TEST(EncryptingStreamTest, BuffersAtMostOnePackage) {
  const std::string plain = Pattern(3 * kP, 8);
  auto stream = EncryptingStream::Create(TestKey(1), TestNonce(1));
  ASSERT_TRUE(stream.ok());
  std::string out;
  ASSERT_TRUE(stream->Update(std::string_view(plain).substr(0, kP - 1), &out).ok());
  EXPECT_TRUE(out.empty());
  // A full package is held back: it may still turn out to be the final one.
  ASSERT_TRUE(stream->Update(std::string_view(plain).substr(kP - 1, 1), &out).ok());
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(stream->Update(std::string_view(plain).substr(kP, 1), &out).ok());
  EXPECT_EQ(out.size(), kP + 16);
  // A big write is sealed as it goes, leaving at most one package pending.
  ASSERT_TRUE(stream->Update(std::string_view(plain).substr(kP + 1), &out).ok());
  EXPECT_EQ(out.size(), 2 * (kP + 16));
  EXPECT_EQ(stream->plaintext_size(), 3 * kP);
  ASSERT_TRUE(stream->Finish(&out).ok());
  EXPECT_EQ(out.size(), CiphertextSize(3 * kP));
  EXPECT_EQ(stream->ciphertext_size(), out.size());
}

TEST(EncryptingStreamTest, RejectsUseAfterFinishAndBadPackageSize) {
  auto stream = EncryptingStream::Create(TestKey(1), TestNonce(1));
  ASSERT_TRUE(stream.ok());
  std::string out;
  ASSERT_TRUE(stream->Finish(&out).ok());
  EXPECT_EQ(stream->Update("x", &out).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(stream->Finish(&out).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(EncryptingStream::Create(TestKey(1), TestNonce(1), 10).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EncryptingStreamTest, SmallPackageSizeRoundTrips) {
  const std::string plain = Pattern(10000, 4);
  const std::string ct = Encrypt(TestKey(2), TestNonce(3), plain, 333, 1024);
  EXPECT_EQ(ct.size(), CiphertextSize(10000, 1024));
  testing::FakeStorage storage{ct, {}};
  std::string back;
  ASSERT_TRUE(
      testing::ReadRange(TestKey(2), TestNonce(3), storage, 10000, 0, 10000, &back, 1024).ok());
  EXPECT_EQ(back, plain);
}

TEST(EncryptingStreamTest, DifferentNonceOrKeyGivesDifferentCiphertext) {
  const std::string plain = Pattern(1000, 1);
  const std::string a = Encrypt(TestKey(1), TestNonce(1), plain);
  EXPECT_NE(a, Encrypt(TestKey(1), TestNonce(2), plain));
  EXPECT_NE(a, Encrypt(TestKey(2), TestNonce(1), plain));
}

TEST(DecryptingReaderTest, PushStyleWithOddChunks) {
  const Key256 key = TestKey(6);
  const BaseNonce nonce = TestNonce(6);
  const uint64_t size = 3 * kP + 5;
  const std::string plain = Pattern(size, 6);
  const std::string ct = Encrypt(key, nonce, plain);
  for (size_t chunk : {size_t{1}, size_t{15}, size_t{kP + 16}, size_t{kP + 17}, ct.size()}) {
    SCOPED_TRACE(chunk);
    auto reader = DecryptingReader::Create(key, nonce, size, 0, size);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader->range().ciphertext_length, ct.size());
    std::string back;
    for (size_t pos = 0; pos < ct.size(); pos += chunk) {
      ASSERT_TRUE(reader
                      ->Update(std::string_view(ct).substr(pos, chunk),
                               [&](std::string_view p) {
                                 back.append(p);
                                 return absl::OkStatus();
                               })
                      .ok());
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_EQ(back, plain);
  }
}

}  // namespace
}  // namespace sb::sse
