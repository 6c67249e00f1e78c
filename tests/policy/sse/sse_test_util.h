// Shared helpers for the SSE tests: deterministic keys and plaintext, whole-object
// encryption, and a ciphertext "storage" that records which byte ranges were fetched.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "policy/sse/decrypting_reader.h"
#include "policy/sse/encrypting_stream.h"
#include "policy/sse/key256.h"

namespace sb::sse::testing {

inline constexpr uint64_t kP = kPackageSize;

inline std::string Pattern(uint64_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

inline Key256 TestKey(uint8_t fill) {
  return *Key256::FromBytes(std::string(Key256::kSize, static_cast<char>(fill)));
}

inline BaseNonce TestNonce(uint8_t fill) {
  BaseNonce n;
  n.fill(fill);
  return n;
}

// Encrypts `plaintext` pushing it in chunks of `chunk` bytes (0: all at once).
inline std::string Encrypt(const Key256& key, const BaseNonce& nonce, std::string_view plaintext,
                           size_t chunk = 0, uint32_t package_size = kPackageSize) {
  auto stream = EncryptingStream::Create(key, nonce, package_size);
  EXPECT_TRUE(stream.ok()) << stream.status();
  std::string out;
  if (chunk == 0) chunk = plaintext.size() + 1;
  for (size_t pos = 0; pos < plaintext.size(); pos += chunk) {
    EXPECT_TRUE(stream->Update(plaintext.substr(pos, chunk), &out).ok());
  }
  EXPECT_TRUE(stream->Finish(&out).ok());
  EXPECT_EQ(stream->ciphertext_size(), out.size());
  return out;
}

// Ciphertext "storage" that serves fetches and records them.
struct FakeStorage {
  std::string data;
  std::vector<std::pair<uint64_t, uint64_t>> fetches;  // (offset, length)

  absl::Status Fetch(uint64_t offset, uint64_t length, std::string* out) {
    fetches.emplace_back(offset, length);
    if (offset > data.size()) {
      out->clear();
      return absl::OkStatus();
    }
    *out = data.substr(offset, length);  // short at the end, like a truncated object
    return absl::OkStatus();
  }
  uint64_t BytesFetched() const {
    uint64_t n = 0;
    for (const auto& f : fetches) n += f.second;
    return n;
  }
};

// DecryptRange over `storage`, collecting the plaintext emitted before any error.
inline absl::Status ReadRange(const Key256& key, const BaseNonce& nonce, FakeStorage& storage,
                              uint64_t plaintext_size, uint64_t offset, uint64_t length,
                              std::string* out, uint32_t package_size = kPackageSize) {
  out->clear();
  return DecryptRange(
      key, nonce, plaintext_size, offset, length,
      [&](uint64_t o, uint64_t l, std::string* buf) { return storage.Fetch(o, l, buf); },
      [&](std::string_view plain) {
        out->append(plain.data(), plain.size());
        return absl::OkStatus();
      },
      package_size);
}

}  // namespace sb::sse::testing
