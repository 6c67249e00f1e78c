#include "erasure/internal/shard_format.h"

#include "gtest/gtest.h"

namespace sb::erasure::internal {
namespace {

TEST(ShardFormatTest, HeaderRoundTripsAndDetectsCorruption) {
  ShardHeader h{"0123456789abcdef0123456789", 123456789, 1 << 20, 12, 4, 15, 0};
  auto bytes = EncodeShardHeader(h);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), 7), "SBSHARD");
  auto got = DecodeShardHeader(bytes.data(), bytes.size());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, h);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = bytes;
    b[i] ^= 0x01;
    EXPECT_EQ(DecodeShardHeader(b.data(), b.size()).status().code(), absl::StatusCode::kDataLoss)
        << i;
  }
  EXPECT_FALSE(DecodeShardHeader(bytes.data(), bytes.size() - 1).ok());
}

TEST(ShardFormatTest, StripeLayout) {
  StripeLayout l{2500, 1000, 3};
  EXPECT_EQ(l.StripeCount(), 3u);
  EXPECT_EQ(l.StripeLen(0), 1000u);
  EXPECT_EQ(l.StripeLen(2), 500u);
  EXPECT_EQ(l.FullBlockLen(), 334u);
  EXPECT_EQ(l.BlockLen(2), 167u);
  EXPECT_EQ(l.BlockOffset(0), kShardHeaderSize);
  EXPECT_EQ(l.BlockOffset(2), kShardHeaderSize + 2 * (334 + 8));
  EXPECT_EQ(l.ShardFileSize(), kShardHeaderSize + 2 * (334 + 8) + 167 + 8);
  StripeLayout empty{0, 1000, 3};
  EXPECT_EQ(empty.StripeCount(), 0u);
}

TEST(ShardFormatTest, PathsFanOutAndDataIdsAreSafe) {
  std::string p = ShardRelPath(0, "0123456789ab00112233445566");
  ASSERT_EQ(p.size(), std::string("0/xx/0123456789ab00112233445566.shard").size());
  EXPECT_EQ(p.substr(0, 2), "0/");
  EXPECT_EQ(p.substr(4), "/0123456789ab00112233445566.shard");
  EXPECT_TRUE(IsValidDataId("abc-DEF_123"));
  EXPECT_FALSE(IsValidDataId(""));
  EXPECT_FALSE(IsValidDataId("a/b"));
  EXPECT_FALSE(IsValidDataId(".."));
  EXPECT_FALSE(IsValidDataId(std::string(65, 'a')));
}

}  // namespace
}  // namespace sb::erasure::internal
