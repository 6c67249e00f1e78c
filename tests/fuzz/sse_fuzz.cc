// Fuzzes the SSE decoders of policy/sse/: the stored SseMetadata record, sealed data keys
// (built-in KMS and SSE-C wraps), the SSE-C request headers, and the package decrypter over
// fuzzed ciphertext and over real ciphertext with fuzzed damage. The first input byte picks
// the mode. Properties: nothing forged ever opens (no data key, no plaintext byte comes out
// of bytes the fuzzer made up); damaged ciphertext fails with DataLoss, and whatever was
// emitted before the failure is a correct prefix of the plaintext that stops before the
// first damaged package; an undamaged range decrypts exactly.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/sse/decrypting_reader.h"
#include "policy/sse/encrypting_stream.h"
#include "policy/sse/keyring.h"
#include "policy/sse/keyring_store.h"
#include "policy/sse/object_keys.h"
#include "policy/sse/sse_c.h"
#include "policy/sse/sse_metadata.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::sse {
namespace {

Key256 FixedKey(char fill) {
  absl::StatusOr<Key256> k = Key256::FromBytes(std::string(Key256::kSize, fill));
  SB_FUZZ_CHECK(k.ok());
  return *k;
}

const Keyring& TheKeyring() {
  static Keyring* keyring = [] {
    absl::StatusOr<std::unique_ptr<Keyring>> k =
        Keyring::Open(FixedKey('r'), std::make_unique<MemoryKeyringStore>());
    SB_FUZZ_CHECK(k.ok());
    SB_FUZZ_CHECK((*k)->CreateKey("app-key").ok());
    return k->release();
  }();
  return *keyring;
}

const SseCKey& TheCustomerKey() {
  static const SseCKey* key = [] {
    absl::StatusOr<SseCKey> k = SseCKey::FromKey(FixedKey('c'));
    SB_FUZZ_CHECK(k.ok());
    return new SseCKey(*k);
  }();
  return *key;
}

const EncryptionContext& TheContext() {
  static const EncryptionContext* context = new EncryptionContext{{"bucket", "b"}, {"key", "k"}};
  return *context;
}

// A stored record: it must parse only if it re-serializes to itself, and must never open.
void FuzzMetadata(std::string_view bytes) {
  absl::StatusOr<SseMetadata> m = SseMetadata::Parse(bytes);
  if (fuzz::Verbose()) std::fprintf(stderr, "sse metadata: %s\n", m.status().ToString().c_str());
  if (!m.ok()) {
    SB_FUZZ_CHECK(m.status().code() == absl::StatusCode::kDataLoss);
    return;
  }
  SB_FUZZ_CHECK(m->Serialize() == bytes);
  SB_FUZZ_CHECK(IsValidPackageSize(m->package_size));
  (void)m->ciphertext_size();
  const SseCKey* customer = m->mode == SseMode::kCustomer ? &TheCustomerKey() : nullptr;
  SB_FUZZ_CHECK(!OpenObjectKey(*m, TheKeyring(), customer, TheContext()).ok());
}

// A sealed data key the fuzzer made up never unwraps, under the KMS or an SSE-C key.
void FuzzSealedKey(FuzzedDataProvider& fdp) {
  std::string salt = fdp.ConsumeRandomLengthString(64);
  std::string mac = fdp.ConsumeRandomLengthString(64);
  std::string sealed = fdp.ConsumeRemainingBytesAsString();
  (void)InspectSealedDataKey(sealed);
  SB_FUZZ_CHECK(!TheKeyring().UnwrapDataKey(sealed, TheContext()).ok());
  SB_FUZZ_CHECK(!TheKeyring().Rewrap(sealed, TheContext()).ok());
  SB_FUZZ_CHECK(!TheCustomerKey().UnwrapDataKey(sealed, salt, TheContext()).ok());
  SB_FUZZ_CHECK(!TheCustomerKey().Verify(KeyCheck{salt, mac}).ok());
}

// x-amz-server-side-encryption-customer-{algorithm,key,key-MD5}.
void FuzzCustomerHeaders(FuzzedDataProvider& fdp) {
  std::string algorithm = fdp.ConsumeRandomLengthString(16);
  std::string key = fdp.ConsumeRandomLengthString(128);
  std::string md5 = fdp.ConsumeRemainingBytesAsString();
  absl::StatusOr<SseCKey> k = SseCKey::FromHeaders(algorithm, key, md5);
  if (fuzz::Verbose()) std::fprintf(stderr, "sse-c headers: %s\n", k.status().ToString().c_str());
  if (!k.ok()) {
    SB_FUZZ_CHECK(k.status().code() == absl::StatusCode::kInvalidArgument);
    // Messages never echo the key: the same key with every letter and digit rotated (same
    // base64 validity, same length) is refused with the same message.
    std::string rotated = key;
    for (char& c : rotated) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 1) % 26);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 1) % 26);
      if (c >= '0' && c <= '9') c = static_cast<char>('0' + (c - '0' + 1) % 10);
    }
    absl::StatusOr<SseCKey> other = SseCKey::FromHeaders(algorithm, rotated, md5);
    if (!other.ok()) SB_FUZZ_CHECK(other.status().message() == k.status().message());
    return;
  }
  SB_FUZZ_CHECK(algorithm == "AES256");
  SB_FUZZ_CHECK(!k->key_md5_b64().empty());
}

uint32_t PackageSize(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return kMinPackageSize;
    case 1:
      return 4096;
    case 2:
      return kPackageSize;
    default:
      return fdp.ConsumeIntegral<uint32_t>();  // mostly invalid
  }
}

struct ReadOutcome {
  absl::Status status;
  std::string out;
};

ReadOutcome Read(const Key256& key, const BaseNonce& nonce, std::string_view stored,
                 uint64_t plaintext_size, uint64_t offset, uint64_t length, uint32_t package_size) {
  ReadOutcome r;
  auto fetch = [&](uint64_t off, uint64_t len, std::string* out) -> absl::Status {
    out->clear();
    if (off < stored.size()) out->assign(stored.substr(off, len));
    return absl::OkStatus();
  };
  auto sink = [&](std::string_view plain) -> absl::Status {
    r.out.append(plain);
    return absl::OkStatus();
  };
  r.status = DecryptRange(key, nonce, plaintext_size, offset, length, fetch, sink, package_size);
  return r;
}

// Made-up ciphertext under a key the fuzzer does not know: nothing may come out.
void FuzzRawPackages(FuzzedDataProvider& fdp) {
  BaseNonce nonce{};
  for (uint8_t& b : nonce) b = fdp.ConsumeIntegral<uint8_t>();
  uint32_t package_size = PackageSize(fdp);
  uint64_t plaintext_size = fdp.ConsumeIntegralInRange<uint64_t>(0, 1 << 20);
  uint64_t offset = fdp.ConsumeIntegralInRange<uint64_t>(0, plaintext_size + 10);
  uint64_t length = fdp.ConsumeIntegralInRange<uint64_t>(0, plaintext_size + 10);
  std::string stored = fdp.ConsumeRemainingBytesAsString();
  ReadOutcome r = Read(FixedKey('d'), nonce, stored, plaintext_size, offset, length, package_size);
  SB_FUZZ_CHECK(r.out.empty());
  if (r.status.ok()) SB_FUZZ_CHECK(length == 0);
  // The push-style reader, fed in fuzzed pieces, agrees.
  absl::StatusOr<DecryptingReader> reader =
      DecryptingReader::Create(FixedKey('d'), nonce, plaintext_size, offset, length, package_size);
  if (!reader.ok()) {
    SB_FUZZ_CHECK(!r.status.ok());
    return;
  }
  std::string_view rest = stored;
  size_t emitted = 0;
  absl::Status s;
  while (s.ok() && !rest.empty()) {
    size_t n = std::min<size_t>(rest.size(), 1 + rest.size() / 3);
    s = reader->Update(rest.substr(0, n), [&](std::string_view p) {
      emitted += p.size();
      return absl::OkStatus();
    });
    rest.remove_prefix(n);
  }
  if (s.ok()) s = reader->Finish();
  SB_FUZZ_CHECK(emitted == 0);
  if (s.ok()) SB_FUZZ_CHECK(reader->range().package_count == 0);
}

// Real ciphertext with fuzzed damage (flipped bytes, truncation, extra bytes).
void FuzzDamagedPackages(FuzzedDataProvider& fdp) {
  const Key256 key = FixedKey('t');
  const BaseNonce nonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const uint32_t package_size = kMinPackageSize;
  const uint64_t stride = package_size + kPackageTagSize;
  std::string plain = fdp.ConsumeRandomLengthString(8 * package_size);
  absl::StatusOr<EncryptingStream> enc = EncryptingStream::Create(key, nonce, package_size);
  SB_FUZZ_CHECK(enc.ok());
  std::string stored;
  SB_FUZZ_CHECK(enc->Update(plain, &stored).ok());
  SB_FUZZ_CHECK(enc->Finish(&stored).ok());
  const std::string pristine = stored;

  uint64_t offset = fdp.ConsumeIntegralInRange<uint64_t>(0, plain.size());
  uint64_t length = fdp.ConsumeIntegralInRange<uint64_t>(0, plain.size() - offset);
  int edits = fdp.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < edits; ++i) {
    size_t at = fdp.ConsumeIntegralInRange<size_t>(0, stored.size() - 1);
    stored[at] = static_cast<char>(stored[at] ^ fdp.ConsumeIntegralInRange(1, 255));
  }
  switch (fdp.ConsumeIntegralInRange(0, 2)) {
    case 1:
      stored.resize(stored.size() - fdp.ConsumeIntegralInRange<size_t>(0, stored.size()));
      break;
    case 2:
      stored += fdp.ConsumeRandomLengthString(64);
      break;
    default:
      break;
  }
  absl::StatusOr<PackageRange> range = PackageRangeFor(plain.size(), offset, length, package_size);
  SB_FUZZ_CHECK(range.ok());
  // The first package of the range whose stored bytes differ from what was written.
  uint64_t first_bad = UINT64_MAX;
  for (uint64_t i = 0; i < range->package_count; ++i) {
    uint64_t index = range->first_package + i;
    uint64_t begin = index * stride;
    uint64_t end = std::min<uint64_t>(begin + stride, pristine.size());
    if (stored.size() < end || stored.compare(begin, end - begin, pristine, begin, end - begin)) {
      first_bad = index;
      break;
    }
  }
  ReadOutcome r = Read(key, nonce, stored, plain.size(), offset, length, package_size);
  if (fuzz::Verbose()) {
    std::fprintf(stderr,
                 "sse damaged: %zu plaintext bytes, range %llu+%llu, first bad %lld: %zu out, %s\n",
                 plain.size(), static_cast<unsigned long long>(offset),
                 static_cast<unsigned long long>(length),
                 first_bad == UINT64_MAX ? -1LL : static_cast<long long>(first_bad), r.out.size(),
                 r.status.ToString().c_str());
  }
  SB_FUZZ_CHECK(r.out == std::string_view(plain).substr(offset, r.out.size()));
  if (first_bad == UINT64_MAX) {
    SB_FUZZ_CHECK(r.status.ok());
    SB_FUZZ_CHECK(r.out.size() == length);
  } else {
    SB_FUZZ_CHECK(r.status.code() == absl::StatusCode::kDataLoss);
    // Nothing of the damaged package or after it comes out.
    SB_FUZZ_CHECK(offset + r.out.size() <= std::max<uint64_t>(offset, first_bad * package_size));
  }
}

}  // namespace
}  // namespace sb::sse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::sse;
  if (size > 64 * 1024) return 0;
  FuzzedDataProvider fdp(data, size);
  if (sb::fuzz::Verbose())
    std::fprintf(stderr, "sse: mode byte %d\n", size ? data[size - 1] % 5 : 0);
  switch (fdp.ConsumeIntegralInRange(0, 4)) {
    case 0: {
      std::string bytes = fdp.ConsumeRemainingBytesAsString();
      FuzzMetadata(bytes);
      break;
    }
    case 1:
      FuzzSealedKey(fdp);
      break;
    case 2:
      FuzzCustomerHeaders(fdp);
      break;
    case 3:
      FuzzRawPackages(fdp);
      break;
    default:
      FuzzDamagedPackages(fdp);
      break;
  }
  return 0;
}
