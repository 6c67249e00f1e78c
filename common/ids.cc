#include "common/ids.h"

#include <atomic>
#include <cstdint>
#include <random>

#include "absl/strings/str_format.h"

namespace sb {
namespace {

uint64_t RandomU64() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

}  // namespace

std::string NewRequestId() {
  static const uint64_t kBase = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  return absl::StrFormat("%016X", kBase ^ (counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL));
}

std::string NewTimeOrderedId(absl::Time now) {
  auto micros = static_cast<uint64_t>(absl::ToUnixMicros(now));
  return absl::StrFormat("%012x%014x", micros & 0xFFFFFFFFFFFFULL,
                         RandomU64() & 0xFFFFFFFFFFFFFFULL);
}

std::string NewRandomId() {
  std::random_device rd;  // Reads the kernel's CSPRNG on Linux.
  std::string out;
  for (int i = 0; i < 4; ++i) {
    uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    out += absl::StrFormat("%08x", static_cast<uint32_t>(v));
  }
  return out;
}

}  // namespace sb
