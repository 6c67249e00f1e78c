#include "gateway/internal/sigv4_crypto.h"

#include <openssl/crypto.h>

#include <cstring>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/absl_compat.h"
#include "common/check.h"

namespace sb::gateway::internal {
namespace {

constexpr size_t kShaBlock = 64;
constexpr size_t kSigningKeyCacheCapacity = 4096;

// Fetched once: implicit fetches through EVP_sha256() take a lock and a lookup per call in
// OpenSSL 3, which shows up when every request and every chunk hashes.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    SB_CHECK(fetched != nullptr);
    return fetched;
  }();
  return md;
}

Sha256Hasher& ThreadHasher() {
  thread_local Sha256Hasher hasher;
  return hasher;
}

class SigningKeyCache {
 public:
  std::string Get(std::string_view secret, std::string_view date, std::string_view region,
                  std::string_view service) {
    std::string key =
        absl::StrCat(secret.size(), ":", AsAbsl(secret), date.size(), ":", AsAbsl(date),
                     region.size(), ":", AsAbsl(region), AsAbsl(service));
    {
      absl::MutexLock lock(&mu_);
      auto it = keys_.find(key);
      if (it != keys_.end()) return it->second;
    }
    std::string derived = DeriveSigningKey(secret, date, region, service);
    absl::MutexLock lock(&mu_);
    // Dates roll over daily, so a full cache is mostly stale: dropping everything is simpler
    // than LRU bookkeeping and costs one derivation per active key.
    if (keys_.size() >= kSigningKeyCacheCapacity) keys_.clear();
    keys_.emplace(std::move(key), derived);
    return derived;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> keys_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  SB_CHECK(ctx_ != nullptr);
  SB_CHECK(EVP_DigestInit_ex(ctx_.get(), Sha256Md(), nullptr) == 1);
}

void Sha256Hasher::Update(const void* data, size_t size) {
  if (size == 0) return;
  SB_CHECK(EVP_DigestUpdate(ctx_.get(), data, size) == 1);
}

void Sha256Hasher::Update(std::string_view data) { Update(data.data(), data.size()); }

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  unsigned int len = 0;
  SB_CHECK(EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) == 1 && len == out.size());
  SB_CHECK(EVP_DigestInit_ex(ctx_.get(), Sha256Md(), nullptr) == 1);
  return out;
}

Sha256Digest Sha256(std::string_view data) {
  Sha256Hasher& h = ThreadHasher();
  h.Update(data);
  return h.Finish();
}

// Written out over the prefetched digest rather than OpenSSL's HMAC(): the one-shot API
// re-fetches the MAC and digest implementations on every call.
Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  uint8_t block[kShaBlock] = {};
  if (key.size() > kShaBlock) {
    Sha256Digest k = Sha256(key);
    std::memcpy(block, k.data(), k.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  uint8_t pad[kShaBlock];
  for (size_t i = 0; i < kShaBlock; ++i) pad[i] = block[i] ^ 0x36;
  Sha256Hasher& h = ThreadHasher();
  h.Update(pad, kShaBlock);
  h.Update(data);
  Sha256Digest inner = h.Finish();
  for (size_t i = 0; i < kShaBlock; ++i) pad[i] = block[i] ^ 0x5c;
  h.Update(pad, kShaBlock);
  h.Update(inner.data(), inner.size());
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
  return h.Finish();
}

std::string HexLower(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string k_secret = absl::StrCat("AWS4", AsAbsl(secret));
  Sha256Digest k = HmacSha256(k_secret, date);
  OPENSSL_cleanse(k_secret.data(), k_secret.size());
  auto view = [](const Sha256Digest& d) {
    return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
  };
  k = HmacSha256(view(k), region);
  k = HmacSha256(view(k), service);
  k = HmacSha256(view(k), "aws4_request");
  return std::string(view(k));
}

std::string CachedSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  static SigningKeyCache* cache = new SigningKeyCache();  // never destroyed: used by any thread
  return cache->Get(secret, date, region, service);
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return HexLower(HmacSha256(signing_key, string_to_sign));
}

}  // namespace sb::gateway::internal
