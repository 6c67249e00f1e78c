#include <random>

#include "erasure/data_plane.h"
#include "gtest/gtest.h"

namespace sb::erasure {
namespace {

DataRef Sample() {
  DataRef r;
  r.data_id = "0123456789ab00112233445566";
  r.size = 5ull << 30;
  r.block_size = 1 << 20;
  r.data_shards = 12;
  r.parity_shards = 4;
  r.set_index = 0;
  return r;
}

void ExpectEqual(const DataRef& a, const DataRef& b) {
  EXPECT_EQ(a.data_id, b.data_id);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.block_size, b.block_size);
  EXPECT_EQ(a.data_shards, b.data_shards);
  EXPECT_EQ(a.parity_shards, b.parity_shards);
  EXPECT_EQ(a.set_index, b.set_index);
}

TEST(DataRefTest, RoundTrips) {
  DataRef r = Sample();
  std::string bytes = r.Serialize();
  EXPECT_LT(bytes.size(), 50u);  // compact: it lives in every object's metadata
  auto parsed = DataRef::Parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectEqual(*parsed, r);

  r.size = UINT64_MAX;
  r.set_index = UINT32_MAX;
  r.data_shards = 1;
  r.parity_shards = 0;
  r.block_size = 1;
  r.data_id = std::string(64, 'z');
  parsed = DataRef::Parse(r.Serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectEqual(*parsed, r);
}

TEST(DataRefTest, RejectsEveryTruncationAndBitFlip) {
  const std::string bytes = Sample().Serialize();
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(DataRef::Parse(bytes.substr(0, n)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << n;
  }
  EXPECT_FALSE(DataRef::Parse(bytes + "x").ok());
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = bytes;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      EXPECT_EQ(DataRef::Parse(b).status().code(), absl::StatusCode::kInvalidArgument)
          << i << "/" << bit;
    }
  }
}

TEST(DataRefTest, RejectsGarbage) {
  std::mt19937 rng(1);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    EXPECT_FALSE(DataRef::Parse(s).ok());
  }
  EXPECT_FALSE(DataRef::Parse("hello world").ok());
}

TEST(DataRefTest, RejectsWellFormedButInvalidFields) {
  auto rejects = [](DataRef r) {
    return DataRef::Parse(r.Serialize()).status().code() == absl::StatusCode::kInvalidArgument;
  };
  DataRef r = Sample();
  r.data_id = "../escape";
  EXPECT_TRUE(rejects(r));
  r = Sample();
  r.data_id = "";
  EXPECT_TRUE(rejects(r));
  r = Sample();
  r.data_id = std::string(65, 'a');
  EXPECT_TRUE(rejects(r));
  r = Sample();
  r.data_shards = 0;
  EXPECT_TRUE(rejects(r));
  r = Sample();
  r.parity_shards = 5;  // 12+5 > 16 drives
  EXPECT_TRUE(rejects(r));
  r = Sample();
  r.block_size = 0;
  EXPECT_TRUE(rejects(r));
}

}  // namespace
}  // namespace sb::erasure
