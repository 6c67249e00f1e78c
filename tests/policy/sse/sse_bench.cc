// Encrypt/decrypt throughput of the SSE package format at 1 MiB objects. Not a test: run by
// hand (bin/sse_bench); bytes_per_second is the plaintext rate.
#include <string>

#include "benchmark/benchmark.h"
#include "policy/sse/decrypting_reader.h"
#include "policy/sse/encrypting_stream.h"

namespace sb::sse {
namespace {

constexpr size_t kObjectSize = 1 << 20;

Key256 BenchKey() { return *Key256::FromBytes(std::string(32, 'k')); }

void BM_Encrypt1MiB(benchmark::State& state) {
  const std::string plain(kObjectSize, 'p');
  const Key256 key = BenchKey();
  const BaseNonce nonce = *RandomBaseNonce();
  std::string out;
  out.reserve(CiphertextSize(kObjectSize));
  const size_t chunk = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    out.clear();
    auto stream = EncryptingStream::Create(key, nonce);
    for (size_t pos = 0; pos < plain.size(); pos += chunk) {
      benchmark::DoNotOptimize(stream->Update(std::string_view(plain).substr(pos, chunk), &out));
    }
    benchmark::DoNotOptimize(stream->Finish(&out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kObjectSize);
}
BENCHMARK(BM_Encrypt1MiB)->Arg(16 << 10)->Arg(1 << 20);

void BM_Decrypt1MiB(benchmark::State& state) {
  const std::string plain(kObjectSize, 'p');
  const Key256 key = BenchKey();
  const BaseNonce nonce = *RandomBaseNonce();
  std::string ct;
  auto stream = EncryptingStream::Create(key, nonce);
  (void)stream->Update(plain, &ct);
  (void)stream->Finish(&ct);
  size_t sink_bytes = 0;
  for (auto _ : state) {
    auto status = DecryptRange(
        key, nonce, kObjectSize, 0, kObjectSize,
        [&](uint64_t offset, uint64_t length, std::string* out) {
          out->assign(ct, offset, length);
          return absl::OkStatus();
        },
        [&](std::string_view p) {
          sink_bytes += p.size();
          return absl::OkStatus();
        });
    benchmark::DoNotOptimize(status);
  }
  benchmark::DoNotOptimize(sink_bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kObjectSize);
}
BENCHMARK(BM_Decrypt1MiB);

}  // namespace
}  // namespace sb::sse

BENCHMARK_MAIN();
