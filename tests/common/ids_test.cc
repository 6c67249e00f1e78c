#include "common/ids.h"

#include <set>

#include "gtest/gtest.h"

namespace sb {
namespace {

TEST(IdsTest, TimeOrderedIdsSortByTime) {
  absl::Time t0 = absl::FromUnixSeconds(1700000000);
  std::string a = NewTimeOrderedId(t0);
  std::string b = NewTimeOrderedId(t0 + absl::Microseconds(1));
  EXPECT_EQ(a.size(), 26u);
  EXPECT_LT(a, b);
}

TEST(IdsTest, IdsAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(NewRequestId()).second);
    EXPECT_TRUE(seen.insert(NewRandomId()).second);
  }
}

}  // namespace
}  // namespace sb
