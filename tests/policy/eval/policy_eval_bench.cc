// Micro-benchmarks of the per-request authorization path (Evaluate) and of policy parsing.
// Run: build-*/bin/policy_eval_bench. Not a test; not registered with ctest.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "policy/eval/evaluator.h"
#include "policy/eval/policy.h"

// Counts heap allocations so the benchmarks can report allocations per evaluation. GCC
// flags free() on memory from the (replaced) operator new; both sides are malloc/free here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
std::atomic<int64_t> g_allocations{0};

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace sb::policy::eval {
namespace {

// Runs `fn` for every iteration and records the average allocations per call.
template <typename Fn>
void RunCounted(benchmark::State& state, Fn fn) {
  int64_t before = g_allocations.load();
  for (auto _ : state) fn();
  state.counters["allocs/op"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before), benchmark::Counter::kAvgIterations);
}

constexpr char kIdentity[] = R"({
  "Version": "2012-10-17", "Id": "home",
  "Statement": [
    {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket",
     "Resource": "arn:aws:s3:::bucket-name",
     "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
    {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
     "Resource": "arn:aws:s3:::bucket-name/home/${aws:username}/*"},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]})";

constexpr char kBucket[] = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::bucket-name", "arn:aws:s3:::bucket-name/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "Ip", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": "arn:aws:s3:::bucket-name/*",
     "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}},
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::bucket-name/public/*"}]})";

EvalRequest MakeRequest() {
  EvalRequest r;
  r.account = "111122223333";
  r.principal_arn = "arn:aws:iam::111122223333:user/alice";
  r.user = "alice";
  r.action = "s3:GetObject";
  r.resource = "arn:aws:s3:::bucket-name/home/alice/photos/2024/05/01/img_0001.jpg";
  AddGlobalContextKeys(r, absl::FromUnixSeconds(1714564800));
  r.context["aws:SecureTransport"] = {"true"};
  r.context["aws:SourceIp"] = {"10.1.2.3"};
  return r;
}

void BM_EvaluateIdentityAndBucket(benchmark::State& state) {
  Policy identity = *ParsePolicy(kIdentity);
  Policy bucket = *ParsePolicy(kBucket, ParseOptions{.kind = PolicyKind::kBucket});
  EvalRequest r = MakeRequest();
  std::vector<const Policy*> ids = {&identity};
  std::vector<const Policy*> none;
  RunCounted(state, [&] {
    Decision d = Evaluate(r, ids, &bucket, none);
    benchmark::DoNotOptimize(d);
  });
}
BENCHMARK(BM_EvaluateIdentityAndBucket);

void BM_EvaluateImplicitDeny(benchmark::State& state) {
  Policy identity = *ParsePolicy(kIdentity);
  Policy bucket = *ParsePolicy(kBucket, ParseOptions{.kind = PolicyKind::kBucket});
  EvalRequest r = MakeRequest();
  r.resource = "arn:aws:s3:::bucket-name/home/bob/x";
  std::vector<const Policy*> ids = {&identity};
  std::vector<const Policy*> none;
  RunCounted(state, [&] {
    Decision d = Evaluate(r, ids, &bucket, none);
    benchmark::DoNotOptimize(d);
  });
}
BENCHMARK(BM_EvaluateImplicitDeny);

void BM_EvaluateManyStatements(benchmark::State& state) {
  std::string doc = R"({"Version": "2012-10-17", "Statement": [)";
  for (int i = 0; i < state.range(0); ++i) {
    if (i > 0) doc += ",";
    doc += R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b)" +
           std::to_string(i) + R"(/*"})";
  }
  doc += "]}";
  Policy p = *ParsePolicy(doc, ParseOptions{.max_size_bytes = 1 << 20});
  EvalRequest r = MakeRequest();
  std::vector<const Policy*> ids = {&p};
  std::vector<const Policy*> none;
  RunCounted(state, [&] {
    Decision d = Evaluate(r, ids, nullptr, none);
    benchmark::DoNotOptimize(d);
  });
}
BENCHMARK(BM_EvaluateManyStatements)->Arg(10)->Arg(100);

void BM_ParseBucketPolicy(benchmark::State& state) {
  RunCounted(state, [&] {
    auto p = ParsePolicy(kBucket, ParseOptions{.kind = PolicyKind::kBucket});
    benchmark::DoNotOptimize(p);
  });
}
BENCHMARK(BM_ParseBucketPolicy);

}  // namespace
}  // namespace sb::policy::eval

BENCHMARK_MAIN();
