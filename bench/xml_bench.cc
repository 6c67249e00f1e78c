// Rendering one ListObjectsV2 page of 1,000 keys (the default and maximum page), plain and
// with encoding-type=url, from records already read from metadata.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "gateway/xml/list_objects_xml.h"
#include "metadata/metadata_store.h"

namespace sb::gateway::xml {
namespace {

metadata::ListObjectsResult Page(int keys) {
  metadata::ListObjectsResult result;
  for (int i = 0; i < keys; ++i) {
    char key[64];
    std::snprintf(key, sizeof(key), "datasets/train/shard-%06d & part.bin", i);
    metadata::ObjectRecord& o = result.objects.emplace_back();
    o.set_key(key);
    o.set_version_id("null");
    o.set_size(1 << 20);
    o.set_etag("9e107d9d372bb6826bd81d3542a419d6");
    o.set_last_modified_unix_nanos(1700000000000000000 + int64_t{i} * 1000000000);
    o.set_storage_class("STANDARD");
    o.set_owner("root");
  }
  result.is_truncated = true;
  result.next_marker = result.objects.back().key();
  return result;
}

void BM_ListObjectsV2Xml(benchmark::State& state) {
  const metadata::ListObjectsResult page = Page(static_cast<int>(state.range(0)));
  ListObjectsV2Request request;
  request.bucket = "bench";
  request.prefix = "datasets/";
  request.url_encode = state.range(1) != 0;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string xml = ListObjectsV2Xml(request, page);
    bytes += xml.size();
    benchmark::DoNotOptimize(xml.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ListObjectsV2Xml)->ArgNames({"keys", "url"})->Args({1000, 0})->Args({1000, 1});

}  // namespace
}  // namespace sb::gateway::xml

BENCHMARK_MAIN();
