#include "erasure/internal/rs_codec.h"

#include <random>
#include <vector>

#include "common/error_reason.h"
#include "gtest/gtest.h"

namespace sb::erasure::internal {
namespace {

struct Layout {
  int k;
  int m;
};

class RsCodecTest : public testing::TestWithParam<Layout> {};

std::vector<std::vector<uint8_t>> RandomBlocks(int count, size_t len, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<uint8_t>> out(count, std::vector<uint8_t>(len));
  for (auto& b : out) {
    for (auto& c : b) c = static_cast<uint8_t>(rng());
  }
  return out;
}

// Encodes K random blocks, then for every erasure pattern of up to M shards wipes those
// shards and checks that Reconstruct restores exactly the original bytes.
TEST_P(RsCodecTest, EveryErasurePatternUpToMRoundTrips) {
  const auto [k, m] = GetParam();
  auto codec = RsCodec::Create(k, m);
  ASSERT_TRUE(codec.ok()) << codec.status();
  for (size_t len : {size_t{1}, size_t{15}, size_t{64}, size_t{4099}}) {
    auto shards = RandomBlocks(k + m, len, static_cast<uint32_t>(k * 100 + m + len));
    std::vector<const uint8_t*> data;
    std::vector<uint8_t*> parity;
    for (int i = 0; i < k; ++i) data.push_back(shards[i].data());
    for (int j = 0; j < m; ++j) parity.push_back(shards[k + j].data());
    codec->Encode(len, data.data(), parity.data());
    const auto original = shards;

    const int n = k + m;
    for (uint32_t mask = 1; mask < (1u << n); ++mask) {
      if (__builtin_popcount(mask) > m) continue;
      auto work = original;
      std::vector<bool> available(n, true);
      std::vector<int> targets;
      std::vector<uint8_t*> ptrs;
      for (int i = 0; i < n; ++i) {
        if (mask & (1u << i)) {
          available[i] = false;
          targets.push_back(i);
          std::fill(work[i].begin(), work[i].end(), 0xEE);
        }
        ptrs.push_back(work[i].data());
      }
      ASSERT_TRUE(codec->Reconstruct(len, ptrs, available, targets).ok());
      ASSERT_EQ(work, original) << "k=" << k << " m=" << m << " mask=" << mask;
    }
  }
}

TEST_P(RsCodecTest, TooManyErasuresIsDataLoss) {
  const auto [k, m] = GetParam();
  auto codec = RsCodec::Create(k, m);
  ASSERT_TRUE(codec.ok());
  const int n = k + m;
  auto shards = RandomBlocks(n, 32, 7);
  std::vector<uint8_t*> ptrs;
  for (auto& s : shards) ptrs.push_back(s.data());
  std::vector<bool> available(n, true);
  for (int i = 0; i <= m; ++i) available[i] = false;  // M+1 missing
  absl::Status st = codec->Reconstruct(32, ptrs, available, {0});
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(GetReason(st), ErrorReason::kDataCorrupted);
}

INSTANTIATE_TEST_SUITE_P(Layouts, RsCodecTest,
                         testing::Values(Layout{1, 0}, Layout{1, 1}, Layout{2, 1}, Layout{2, 2},
                                         Layout{3, 2}, Layout{4, 2}, Layout{4, 4}, Layout{6, 3},
                                         Layout{8, 4}, Layout{12, 4}),
                         [](const testing::TestParamInfo<Layout>& p) {
                           return "K" + std::to_string(p.param.k) + "M" + std::to_string(p.param.m);
                         });

TEST(RsCodecCreateTest, RejectsBadLayouts) {
  EXPECT_EQ(RsCodec::Create(0, 2).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RsCodec::Create(2, -1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RsCodec::Create(200, 100).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RsCodecTest1, ParityOfSingleDataShardIsACopy) {
  // With K=1 every Cauchy parity row is a non-zero scalar; decoding from parity alone
  // must still give back the data block.
  auto codec = RsCodec::Create(1, 2);
  ASSERT_TRUE(codec.ok());
  std::vector<uint8_t> d = {1, 2, 3, 250}, p1(4), p2(4);
  const uint8_t* data[] = {d.data()};
  uint8_t* parity[] = {p1.data(), p2.data()};
  codec->Encode(4, data, parity);
  std::vector<uint8_t> restored(4, 0);
  std::vector<uint8_t*> ptrs = {restored.data(), p1.data(), p2.data()};
  ASSERT_TRUE(codec->Reconstruct(4, ptrs, {false, false, true}, {0}).ok());
  EXPECT_EQ(restored, d);
}

}  // namespace
}  // namespace sb::erasure::internal
