// ListObjects: S3 prefix/delimiter/start_after/max_keys semantics, checked against explicit
// expectations and against a naive reference lister over many option combinations.
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/metadata/metadata_test_util.h"

namespace sb::metadata {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing_util::IsOk;
using testing_util::MakeObject;

// The obvious O(n) lister: roll every matching key up to its common prefix, drop entries
// <= start_after, dedupe, cut at max_keys.
ListObjectsResult ReferenceList(const std::set<std::string>& keys, const ListObjectsOptions& o) {
  std::vector<std::pair<std::string, bool>> entries;  // (key or prefix, is_prefix)
  for (const std::string& key : keys) {
    if (!key.starts_with(o.prefix)) continue;
    std::pair<std::string, bool> entry{key, false};
    if (!o.delimiter.empty()) {
      size_t pos = key.find(o.delimiter, o.prefix.size());
      if (pos != std::string::npos) entry = {key.substr(0, pos + o.delimiter.size()), true};
    }
    if (entry.first <= o.start_after) continue;
    if (!entries.empty() && entries.back() == entry) continue;
    entries.push_back(std::move(entry));
  }
  ListObjectsResult result;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == static_cast<size_t>(o.max_keys)) {
      result.is_truncated = true;
      break;
    }
    if (entries[i].second) {
      result.common_prefixes.push_back(entries[i].first);
    } else {
      result.objects.push_back(MakeObject(entries[i].first));
    }
    result.next_marker = entries[i].first;
  }
  return result;
}

std::vector<std::string> Keys(const ListObjectsResult& result) {
  std::vector<std::string> keys;
  for (const ObjectRecord& object : result.objects) keys.push_back(object.key());
  return keys;
}

class ListObjectsTest : public testing_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    CreateBucketOrDie("b");
  }
  void PutAll(const std::set<std::string>& keys) {
    for (const std::string& key : keys) PutOrDie("b", key);
  }
  ListObjectsResult List(ListObjectsOptions options) {
    auto result = store_->ListObjects("b", options);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *std::move(result) : ListObjectsResult{};
  }
  void ExpectMatchesReference(const std::set<std::string>& keys, const ListObjectsOptions& o) {
    ListObjectsResult want = ReferenceList(keys, o);
    ListObjectsResult got = List(o);
    std::string where = "prefix='" + o.prefix + "' delimiter='" + o.delimiter + "' start_after='" +
                        o.start_after + "' max_keys=" + std::to_string(o.max_keys);
    EXPECT_EQ(Keys(got), Keys(want)) << where;
    EXPECT_EQ(got.common_prefixes, want.common_prefixes) << where;
    EXPECT_EQ(got.is_truncated, want.is_truncated) << where;
    EXPECT_EQ(got.next_marker, want.next_marker) << where;
  }
};

TEST_F(ListObjectsTest, EmptyBucket) {
  ListObjectsResult result = List({});
  EXPECT_THAT(result.objects, IsEmpty());
  EXPECT_THAT(result.common_prefixes, IsEmpty());
  EXPECT_FALSE(result.is_truncated);
  EXPECT_EQ(result.next_marker, "");
}

TEST_F(ListObjectsTest, PrefixesOfEachOther) {
  PutAll({"a", "a/", "a/b", "a/b/c", "ab", "b"});
  EXPECT_THAT(Keys(List({})), ElementsAre("a", "a/", "a/b", "a/b/c", "ab", "b"));

  ListObjectsResult by_slash = List({.delimiter = "/"});
  EXPECT_THAT(Keys(by_slash), ElementsAre("a", "ab", "b"));
  EXPECT_THAT(by_slash.common_prefixes, ElementsAre("a/"));

  ListObjectsResult in_a = List({.prefix = "a/", .delimiter = "/"});
  EXPECT_THAT(Keys(in_a), ElementsAre("a/", "a/b"));  // "a/" itself is an object here
  EXPECT_THAT(in_a.common_prefixes, ElementsAre("a/b/"));

  EXPECT_THAT(Keys(List({.prefix = "a"})), ElementsAre("a", "a/", "a/b", "a/b/c", "ab"));
  EXPECT_THAT(Keys(List({.prefix = "a/b/c"})), ElementsAre("a/b/c"));
  EXPECT_THAT(Keys(List({.prefix = "zz"})), IsEmpty());
}

TEST_F(ListObjectsTest, StartAfterIsExclusiveAndSkipsItsCommonPrefix) {
  PutAll({"a", "a/1", "a/2", "a/3", "b", "c/1"});
  EXPECT_THAT(Keys(List({.start_after = "a/2"})), ElementsAre("a/3", "b", "c/1"));
  EXPECT_THAT(Keys(List({.start_after = "a"})), ElementsAre("a/1", "a/2", "a/3", "b", "c/1"));
  // start_after is the common prefix returned on the previous page: nothing under it again.
  ListObjectsResult after_prefix = List({.delimiter = "/", .start_after = "a/"});
  EXPECT_THAT(Keys(after_prefix), ElementsAre("b"));
  EXPECT_THAT(after_prefix.common_prefixes, ElementsAre("c/"));
  // start_after inside a common prefix: that prefix is <= start_after, so it is skipped.
  ListObjectsResult inside = List({.delimiter = "/", .start_after = "a/1"});
  EXPECT_THAT(Keys(inside), ElementsAre("b"));
  EXPECT_THAT(inside.common_prefixes, ElementsAre("c/"));
  // start_after before the prefix range, and after it.
  EXPECT_THAT(Keys(List({.prefix = "a/", .start_after = "0"})), ElementsAre("a/1", "a/2", "a/3"));
  EXPECT_THAT(Keys(List({.prefix = "a/", .start_after = "b"})), IsEmpty());
}

TEST_F(ListObjectsTest, MaxKeysAndTruncation) {
  PutAll({"a/1", "a/2", "b", "c", "d/1"});
  ListObjectsResult page = List({.delimiter = "/", .max_keys = 2});
  EXPECT_THAT(Keys(page), ElementsAre("b"));
  EXPECT_THAT(page.common_prefixes, ElementsAre("a/"));
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_marker, "b");

  page = List({.delimiter = "/", .start_after = "b", .max_keys = 2});
  EXPECT_THAT(Keys(page), ElementsAre("c"));
  EXPECT_THAT(page.common_prefixes, ElementsAre("d/"));
  EXPECT_FALSE(page.is_truncated);  // exactly max_keys left: not truncated
  EXPECT_EQ(page.next_marker, "d/");

  page = List({.max_keys = 0});
  EXPECT_THAT(Keys(page), IsEmpty());
  EXPECT_TRUE(page.is_truncated);
  page = List({.prefix = "zzz", .max_keys = 0});
  EXPECT_FALSE(page.is_truncated);

  EXPECT_THAT(
      store_->ListObjects("b", {.max_keys = -1}),
      testing_util::StatusIs(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument));
}

TEST_F(ListObjectsTest, MultiCharacterAndNonSlashDelimiters) {
  PutAll({"x--y--z", "x--w", "x-y", "xy", "q|1", "q|2", "q"});
  ListObjectsResult dashes = List({.delimiter = "--"});
  EXPECT_THAT(dashes.common_prefixes, ElementsAre("x--"));
  EXPECT_THAT(Keys(dashes), ElementsAre("q", "q|1", "q|2", "x-y", "xy"));
  ListObjectsResult pipes = List({.delimiter = "|"});
  EXPECT_THAT(pipes.common_prefixes, ElementsAre("q|"));
  EXPECT_THAT(Keys(pipes), ElementsAre("q", "x--w", "x--y--z", "x-y", "xy"));
  ListObjectsResult nested = List({.prefix = "x--", .delimiter = "--"});
  EXPECT_THAT(nested.common_prefixes, ElementsAre("x--y--"));
  EXPECT_THAT(Keys(nested), ElementsAre("x--w"));
}

TEST_F(ListObjectsTest, UnicodeKeysSortByBytes) {
  // UTF-8 byte order: "z" (0x7a) < "é" (0xc3 0xa9) < "日" (0xe6 ...) < "😀" (0xf0 ...).
  PutAll(
      {"\xf0\x9f\x98\x80", "\xe6\x97\xa5/\xe6\x9c\xac", "caf\xc3\xa9", "z", "\xc3\xa9t\xc3\xa9"});
  ListObjectsResult result = List({.delimiter = "/"});
  EXPECT_THAT(Keys(result),
              ElementsAre("caf\xc3\xa9", "z", "\xc3\xa9t\xc3\xa9", "\xf0\x9f\x98\x80"));
  EXPECT_THAT(result.common_prefixes, ElementsAre("\xe6\x97\xa5/"));
  // A multi-byte delimiter.
  ListObjectsResult by_e = List({.delimiter = "\xc3\xa9"});
  EXPECT_THAT(by_e.common_prefixes, ElementsAre("caf\xc3\xa9", "\xc3\xa9"));
}

TEST_F(ListObjectsTest, MatchesReferenceForManyOptionCombinations) {
  const std::set<std::string> keys = {"a",          "a/",
                                      "a/b",        "a/b/",
                                      "a/b/c",      "a/c",
                                      "a//d",       "ab",
                                      "ab/c",       "b",
                                      "b/a/b",      "b/a/c",
                                      "b/b",        "c-d-e",
                                      "c-d",        "c",
                                      "d/",         "d//",
                                      "e",          "\xc3\xa9/x",
                                      "\xc3\xa9/y", std::string("n\0ul", 4),
                                      "n/ul",       "zz/zz/zz"};
  PutAll(keys);
  const std::vector<std::string> prefixes = {"", "a", "a/", "a/b", "b/", "c", "d/", "zz/", "q"};
  const std::vector<std::string> delimiters = {"", "/", "-", "//", "b"};
  const std::vector<std::string> markers = {"", "a", "a/", "a/b", "a/b/", "ab", "b/a/", "c-", "zz"};
  for (const auto& prefix : prefixes) {
    for (const auto& delimiter : delimiters) {
      for (const auto& marker : markers) {
        for (int max_keys : {0, 1, 2, 3, 1000}) {
          ExpectMatchesReference(keys, {.prefix = prefix,
                                        .delimiter = delimiter,
                                        .start_after = marker,
                                        .max_keys = max_keys});
        }
      }
    }
  }
}

TEST_F(ListObjectsTest, PagingByNextMarkerVisitsEverythingOnce) {
  const std::set<std::string> keys = {"a/1", "a/2", "b", "b/1", "c/d/e", "c/x", "d", "e/", "f"};
  PutAll(keys);
  for (const std::string delimiter : {"", "/"}) {
    for (int page_size = 1; page_size <= 4; ++page_size) {
      ListObjectsResult all = ReferenceList(keys, {.delimiter = delimiter, .max_keys = 1000});
      std::vector<std::string> want = Keys(all), got_keys, got_prefixes;
      ListObjectsOptions options{.delimiter = delimiter, .max_keys = page_size};
      for (int pages = 0; pages < 20; ++pages) {
        ListObjectsResult page = List(options);
        for (auto& key : Keys(page)) got_keys.push_back(key);
        for (auto& prefix : page.common_prefixes) got_prefixes.push_back(prefix);
        if (!page.is_truncated) break;
        options.start_after = page.next_marker;
      }
      EXPECT_EQ(got_keys, want) << delimiter << page_size;
      EXPECT_EQ(got_prefixes, all.common_prefixes) << delimiter << page_size;
    }
  }
}

TEST_F(ListObjectsTest, SeeksPastAHugeCommonPrefix) {
  constexpr int kKeysUnderA = 20000;
  constexpr int kThreads = 8;  // concurrent commits share fsyncs (group commit)
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = t; i < kKeysUnderA; i += kThreads) {
        EXPECT_THAT(store_->PutObject("b", MakeObject("a/" + std::to_string(i))), IsOk());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  PutAll({"0", "a", "a0", "b/1", "b/2", "c"});

  uint64_t steps_before = store_->IteratorStepsForTest();
  ListObjectsResult result = List({.delimiter = "/"});
  uint64_t steps = store_->IteratorStepsForTest() - steps_before;
  EXPECT_THAT(Keys(result), ElementsAre("0", "a", "a0", "c"));
  EXPECT_THAT(result.common_prefixes, ElementsAre("a/", "b/"));
  EXPECT_FALSE(result.is_truncated);
  // One seek to start, one per common prefix, one Next per object: far below 20,000.
  EXPECT_LE(steps, 10u);

  result = List({.delimiter = "/", .start_after = "a/5"});
  EXPECT_THAT(Keys(result), ElementsAre("a0", "c"));
  EXPECT_THAT(result.common_prefixes, ElementsAre("b/"));

  // Without a delimiter the same listing pages through the keys normally.
  result = List({.prefix = "a/", .max_keys = 3});
  EXPECT_THAT(Keys(result), ElementsAre("a/0", "a/1", "a/10"));
  EXPECT_TRUE(result.is_truncated);
}

}  // namespace
}  // namespace sb::metadata
