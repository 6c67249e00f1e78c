// RocksDB metadata: the point read of an object's current version (every GET and HEAD) and
// one ListObjects page of 1,000 keys, in buckets of 10^4 and 10^6 keys, to show that a page
// costs the same however large the bucket is (the listing seeks; it never scans).
// The store lives under $SB_BENCH_DIR (default: /dev/shm if present, else $TMPDIR or /tmp)
// and is removed at exit. SB_BENCH_QUICK=1 skips the 10^6-key bucket (minutes of setup).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "metadata/rocksdb_metadata_store.h"

namespace sb::metadata {
namespace {

std::string BaseDir() {
  if (const char* dir = std::getenv("SB_BENCH_DIR")) return dir;
  if (std::filesystem::is_directory("/dev/shm")) return "/dev/shm";
  if (const char* tmp = std::getenv("TMPDIR")) return tmp;
  return "/tmp";
}

std::string KeyName(int64_t i) {
  char key[48];
  std::snprintf(key, sizeof(key), "datasets/train/shard-%08lld.bin", static_cast<long long>(i));
  return key;
}

// One store per process with one bucket per size, filled on first use.
class Fixture {
 public:
  static Fixture& Get() {
    static Fixture* fixture = new Fixture();  // never destroyed: see ~Fixture's cleanup
    return *fixture;
  }

  // The bucket holding `keys` objects; nullptr (and an error in *error) on failure.
  MetadataStore* Bucket(int64_t keys, std::string* bucket, std::string* error) {
    *bucket = "b" + std::to_string(keys);
    if (filled_.count(keys) != 0) return store_.get();
    BucketRecord b;
    b.set_name(*bucket);
    b.set_owner("root");
    b.set_region("us-east-1");
    if (absl::Status s = store_->CreateBucket(b); !s.ok()) {
      *error = s.ToString();
      return nullptr;
    }
    ObjectRecord o;
    o.set_version_id("null");
    o.set_size(1 << 20);
    o.set_etag("9e107d9d372bb6826bd81d3542a419d6");
    o.set_content_type("application/octet-stream");
    DataPart* part = o.add_parts();
    part->set_part_number(1);
    part->set_size(1 << 20);
    part->set_data_ref("bench-data-ref-0123456789abcdef");
    for (int64_t i = 0; i < keys; ++i) {
      o.set_key(KeyName(i));
      o.set_last_modified_unix_nanos(1700000000000000000 + i);
      if (absl::Status s = store_->PutObject(*bucket, o).status(); !s.ok()) {
        *error = s.ToString();
        return nullptr;
      }
    }
    filled_[keys] = true;
    return store_.get();
  }

 private:
  Fixture() {
    std::string pattern = BaseDir() + "/sb_bench_metadata.XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
    auto opened = RocksDbMetadataStore::OpenStore(dir_ + "/db");
    if (opened.ok()) store_ = std::move(opened).value();
    std::atexit([] {
      Fixture& f = Get();
      f.store_.reset();
      std::error_code ec;
      if (!f.dir_.empty()) std::filesystem::remove_all(f.dir_, ec);
    });
  }

  std::string dir_;
  std::unique_ptr<MetadataStore> store_;
  std::map<int64_t, bool> filled_;
};

bool Quick() { return std::getenv("SB_BENCH_QUICK") != nullptr; }

void BM_GetObject(benchmark::State& state) {
  const int64_t keys = state.range(0);
  std::string bucket, error;
  MetadataStore* store = Fixture::Get().Bucket(keys, &bucket, &error);
  if (store == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  int64_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<ObjectRecord> r = store->GetObject(bucket, KeyName((i * 7919) % keys));
    if (!r.ok()) {
      state.SkipWithError("GetObject failed");
      break;
    }
    benchmark::DoNotOptimize(r);
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// One page of 1,000 keys starting at a spread of positions in the bucket.
void BM_ListPage(benchmark::State& state) {
  const int64_t keys = state.range(0);
  std::string bucket, error;
  MetadataStore* store = Fixture::Get().Bucket(keys, &bucket, &error);
  if (store == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  ListObjectsOptions options;
  options.prefix = "datasets/";
  options.max_keys = 1000;
  int64_t i = 0;
  for (auto _ : state) {
    const int64_t start = (i * 7919) % (keys - 1000);
    options.start_after = KeyName(start);
    absl::StatusOr<ListObjectsResult> r = store->ListObjects(bucket, options);
    if (!r.ok() || r->objects.size() != 1000) {
      state.SkipWithError("ListObjects did not return a full page");
      break;
    }
    benchmark::DoNotOptimize(r);
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 1000);
}

void Register() {
  for (int64_t keys : {int64_t{10000}, int64_t{1000000}}) {
    if (keys > 10000 && Quick()) continue;
    benchmark::RegisterBenchmark("BM_GetObject", BM_GetObject)->ArgName("keys")->Arg(keys);
    benchmark::RegisterBenchmark("BM_ListPage", BM_ListPage)->ArgName("keys")->Arg(keys);
  }
}

}  // namespace
}  // namespace sb::metadata

int main(int argc, char** argv) {
  sb::metadata::Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
