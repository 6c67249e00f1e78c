// The data plane's CPU work per stripe: ISA-L Reed-Solomon encode, decode (rebuilding lost
// data blocks from parity) and the xxh3 bitrot checksum of each block. A stripe is 1 MiB of
// object data (DataPlane's default block_size) split into K blocks.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "erasure/internal/rs_codec.h"
#include "erasure/internal/shard_format.h"

namespace sb::erasure::internal {
namespace {

constexpr size_t kStripeBytes = 1 << 20;

struct Stripe {
  Stripe(int k, int m) : len(kStripeBytes / static_cast<size_t>(k)) {
    storage.resize(static_cast<size_t>(k + m));
    for (int i = 0; i < k + m; ++i) {
      storage[static_cast<size_t>(i)].assign(len, static_cast<uint8_t>(i * 31 + 7));
      ptrs.push_back(storage[static_cast<size_t>(i)].data());
    }
  }
  size_t len;
  std::vector<std::vector<uint8_t>> storage;
  std::vector<uint8_t*> ptrs;
};

// Args: K, M. Bytes processed = object data bytes (K blocks).
void BM_RsEncode(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const int m = static_cast<int>(state.range(1));
  const RsCodec codec = *RsCodec::Create(k, m);
  Stripe s(k, m);
  for (auto _ : state) {
    codec.Encode(s.len, s.ptrs.data(), s.ptrs.data() + k);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(s.len) *
                          k);
}
BENCHMARK(BM_RsEncode)->ArgNames({"k", "m"})->Args({2, 2})->Args({4, 2})->Args({8, 4});

// Rebuilds `lost` data blocks (the worst case for a read: data shards missing).
void BM_RsDecode(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const int m = static_cast<int>(state.range(1));
  const int lost = static_cast<int>(state.range(2));
  const RsCodec codec = *RsCodec::Create(k, m);
  Stripe s(k, m);
  codec.Encode(s.len, s.ptrs.data(), s.ptrs.data() + k);
  std::vector<bool> available(static_cast<size_t>(k + m), true);
  std::vector<int> targets;
  for (int i = 0; i < lost; ++i) {
    available[static_cast<size_t>(i)] = false;
    targets.push_back(i);
  }
  for (auto _ : state) {
    absl::Status st = codec.Reconstruct(s.len, s.ptrs, available, targets);
    if (!st.ok()) {
      state.SkipWithError("reconstruct failed");
      break;
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(s.len) *
                          k);
}
BENCHMARK(BM_RsDecode)
    ->ArgNames({"k", "m", "lost"})
    ->Args({2, 2, 1})
    ->Args({2, 2, 2})
    ->Args({4, 2, 2})
    ->Args({8, 4, 4});

// The per-block bitrot checksum (xxh3-64), written on every block and verified on every read.
void BM_BitrotXxh3(benchmark::State& state) {
  const std::vector<uint8_t> block(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) {
    benchmark::DoNotOptimize(BlockChecksum(block.data(), block.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_BitrotXxh3)->Arg(4 << 10)->Arg(256 << 10)->Arg(512 << 10);

}  // namespace
}  // namespace sb::erasure::internal

BENCHMARK_MAIN();
