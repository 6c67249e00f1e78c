// sbctl bench ALIAS [--put|--get|--mixed|--list] --size S --concurrency N --objects N
// --duration T [--json FILE]: N worker threads, each with its own libcurl easy handle (so its
// own keep-alive connection), signing every request with CURLOPT_AWS_SIGV4 and
// UNSIGNED-PAYLOAD (the client does not hash the body, as warp over HTTP; the server still
// computes MD5 for the ETag). Object bodies come from one shared random buffer; GET bodies
// are counted and dropped. `--url URL` sends unsigned GETs to a static HTTP server instead
// (deploy/bench.sh measures nginx with it, so both sides use the same client engine).
#include "server/sbctl/bench_cmd.h"

#include <curl/curl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/iam_request.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

enum class Mode { kPut, kGet, kMixed, kList };
enum class Op { kPut, kGet, kHead, kList };

struct Args {
  std::string alias;
  bool put = false, get = false, mixed = false, list = false;
  std::string size = "1MiB";
  int concurrency = 4;
  int objects = 100;
  std::string duration = "10s";
  std::string json_file;
  std::string bucket;  // default: a fresh sbctl-bench-XXXXXXXX
  std::string url;     // unsigned GETs against a static server (no setup, no cleanup)
  bool keep = false;
};

struct Plan {
  Mode mode = Mode::kPut;
  uint64_t size = 0;
  int concurrency = 1;
  int objects = 1;
  int64_t duration_ms = 0;
  std::string base_url;  // scheme://host[:port][/base], no trailing '/'
  std::string bucket;
  bool sign = true;
  Alias alias;
  bool insecure_tls = false;
  std::string ca_cert;
};

std::string KeyFor(int index) { return absl::StrFormat("obj-%06d", index); }

// One worker's connection and results. Never shared between threads while running.
class Worker {
 public:
  Worker(const Plan& plan, const std::string& payload) : plan_(plan), payload_(payload) {
    easy_ = curl_easy_init();
  }
  ~Worker() {
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    if (headers_ != nullptr) curl_slist_free_all(headers_);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs one request; records its latency when it succeeds. False on any failure.
  bool Run(Op op, int index) {
    const auto start = Clock::now();
    const bool ok = Perform(op, index);
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    if (ok) {
      latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX)));
      ops.fetch_add(1, std::memory_order_relaxed);
      if (op == Op::kPut || op == Op::kGet) bytes.fetch_add(plan_.size, std::memory_order_relaxed);
    } else {
      errors.fetch_add(1, std::memory_order_relaxed);
    }
    return ok;
  }

  // A signed request with a small or no body (setup, LIST, cleanup); the body in `*body`.
  bool Simple(const std::string& method, const std::string& target, std::string* body) {
    body_.clear();
    if (!Prepare(method, plan_.base_url + target, false)) return false;
    keep_body_ = true;
    if (curl_easy_perform(easy_) != CURLE_OK) return false;
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    if (body != nullptr) *body = body_;
    return status >= 200 && status < 300;
  }

  std::vector<uint32_t> latencies_us;
  std::atomic<uint64_t> ops{0}, errors{0}, bytes{0};
  std::atomic<bool> saw_sse_header{false};
  std::string last_error;

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    auto* w = static_cast<Worker*>(user);
    w->received_ += size * n;
    if (w->keep_body_) w->body_.append(data, size * n);
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    std::string_view line(data, size * n);
    if (line.size() > 29 &&
        absl::StartsWithIgnoreCase(AsAbsl(line), "x-amz-server-side-encryption:")) {
      static_cast<Worker*>(user)->saw_sse_header.store(true);
    }
    return size * n;
  }
  static size_t OnRead(char* buf, size_t size, size_t n, void* user) {
    auto* w = static_cast<Worker*>(user);
    const size_t want = std::min<uint64_t>(size * n, w->plan_.size - w->sent_);
    // The body repeats the shared buffer; it is never compressed, so content does not matter.
    size_t done = 0;
    while (done < want) {
      const size_t at = static_cast<size_t>((w->sent_ + done) % w->payload_.size());
      const size_t chunk = std::min(want - done, w->payload_.size() - at);
      std::memcpy(buf + done, w->payload_.data() + at, chunk);
      done += chunk;
    }
    w->sent_ += want;
    return want;
  }
  static int OnSeek(void* user, curl_off_t offset, int origin) {
    if (origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
    static_cast<Worker*>(user)->sent_ = static_cast<uint64_t>(offset);
    return CURL_SEEKFUNC_OK;
  }

  bool Prepare(const std::string& method, const std::string& url, bool upload) {
    if (easy_ == nullptr) return false;
    curl_easy_reset(easy_);  // keeps the connection
    if (headers_ == nullptr && plan_.sign) {
      headers_ = curl_slist_append(nullptr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
      headers_ = curl_slist_append(headers_, "Content-Type: application/octet-stream");
    }
    received_ = 0;
    sent_ = 0;
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption o, auto v) {
      if (rc == CURLE_OK) rc = curl_easy_setopt(easy_, o, v);
    };
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_PATH_AS_IS, 1L);
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_TCP_NODELAY, 1L);
    set(CURLOPT_WRITEFUNCTION, &Worker::OnBody);
    set(CURLOPT_WRITEDATA, this);
    set(CURLOPT_HEADERFUNCTION, &Worker::OnHeader);
    set(CURLOPT_HEADERDATA, this);
    set(CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    set(CURLOPT_TIMEOUT_MS, 600000L);
    if (plan_.insecure_tls) {
      set(CURLOPT_SSL_VERIFYPEER, 0L);
      set(CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!plan_.ca_cert.empty()) {
      set(CURLOPT_CAINFO, plan_.ca_cert.c_str());
    }
    if (plan_.sign) {
      set(CURLOPT_AWS_SIGV4, "aws:amz:us-east-1:s3");
      set(CURLOPT_USERNAME, plan_.alias.access_key.c_str());
      set(CURLOPT_PASSWORD, plan_.alias.secret_key.c_str());
      set(CURLOPT_HTTPHEADER, headers_);
    }
    if (upload) {
      set(CURLOPT_UPLOAD, 1L);
      set(CURLOPT_READFUNCTION, &Worker::OnRead);
      set(CURLOPT_READDATA, this);
      set(CURLOPT_SEEKFUNCTION, &Worker::OnSeek);
      set(CURLOPT_SEEKDATA, this);
      set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(plan_.size));
    } else if (method == "HEAD") {
      set(CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      set(CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    keep_body_ = false;
    return rc == CURLE_OK;
  }

  bool Perform(Op op, int index) {
    const std::string url = absl::StrCat(plan_.base_url, "/", plan_.bucket, "/", KeyFor(index));
    const char* method = op == Op::kPut ? "PUT" : op == Op::kHead ? "HEAD" : "GET";
    if (!Prepare(method, url, op == Op::kPut)) return false;
    const CURLcode rc = curl_easy_perform(easy_);
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
      last_error = rc != CURLE_OK ? curl_easy_strerror(rc) : absl::StrCat("HTTP ", status);
      return false;
    }
    if (op == Op::kGet && received_ != plan_.size) {
      last_error = absl::StrCat("GET returned ", received_, " bytes, expected ", plan_.size);
      return false;
    }
    return true;
  }

  const Plan& plan_;
  const std::string& payload_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
  bool keep_body_ = false;
  std::string body_;
};

// Runs `fn(worker, thread_index)` on `n` threads, one Worker each.
template <typename Fn>
void OnThreads(std::vector<std::unique_ptr<Worker>>& workers, Fn fn) {
  std::vector<std::thread> threads;
  for (size_t t = 0; t < workers.size(); ++t) {
    threads.emplace_back([&, t] { fn(*workers[t], static_cast<int>(t)); });
  }
  for (std::thread& th : threads) th.join();
}

// Writes objects 0..objects-1 (untimed), in parallel.
absl::Status Populate(const Plan& plan, std::vector<std::unique_ptr<Worker>>& workers) {
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  OnThreads(workers, [&](Worker& w, int) {
    for (int i = next++; i < plan.objects; i = next++) {
      if (!w.Run(Op::kPut, i)) ++failed;
    }
  });
  for (auto& w : workers) {
    if (failed > 0 && !w->last_error.empty()) {
      return absl::UnavailableError(
          absl::StrCat("preparing the objects failed (", failed.load(), " PUTs): ", w->last_error));
    }
    w->latencies_us.clear();
    w->ops = 0;
    w->bytes = 0;
    w->errors = 0;
  }
  return absl::OkStatus();
}

// One full listing of the bucket, in pages of 1000. False on failure.
bool ListAll(const Plan& plan, Worker& w, uint64_t* keys, uint64_t* pages) {
  std::string token;
  while (true) {
    // curl signs the query as sent, so the parameters go in SigV4's canonical (sorted) order.
    std::string target = absl::StrCat("/", plan.bucket, "?");
    if (!token.empty())
      absl::StrAppend(&target, "continuation-token=", UriEncode(token, false), "&");
    absl::StrAppend(&target, "list-type=2&max-keys=1000");
    std::string body;
    if (!w.Simple("GET", target, &body)) return false;
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) return false;
    pugi::xml_node root = doc.child("ListBucketResult");
    *keys += static_cast<uint64_t>(
        std::distance(root.children("Contents").begin(), root.children("Contents").end()));
    ++*pages;
    if (std::string_view(root.child_value("IsTruncated")) != "true") return true;
    token = root.child_value("NextContinuationToken");
    if (token.empty()) return false;
  }
}

struct Totals {
  uint64_t ops = 0, errors = 0, bytes = 0, list_keys = 0, list_pages = 0;
  double seconds = 0;
  std::vector<uint32_t> latencies_us;
  std::string last_error;
  bool encrypted = false;
};

Totals Measure(const Plan& plan, std::vector<std::unique_ptr<Worker>>& workers, CommandContext& ctx,
               const std::string& label) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> list_keys{0}, list_pages{0};
  std::atomic<int> counter{0};
  const auto start = Clock::now();
  std::thread runner([&] {
    OnThreads(workers, [&](Worker& w, int t) {
      std::mt19937 rng(static_cast<uint32_t>(t) * 7919u + 1);
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const int index = counter.fetch_add(1, std::memory_order_relaxed) % plan.objects;
        switch (plan.mode) {
          case Mode::kPut:
            w.Run(Op::kPut, index);
            break;
          case Mode::kGet:
            w.Run(Op::kGet, static_cast<int>(rng() % static_cast<uint32_t>(plan.objects)));
            break;
          case Mode::kMixed: {  // 6 GET : 3 PUT : 1 HEAD
            // PUTs go to a second key range: a GET racing an overwrite of its key can fail
            // mid-stream (docs/architecture.md, known limitations).
            const uint64_t slot = n++ % 10;
            if (slot < 6 || slot == 9) {
              w.Run(slot < 6 ? Op::kGet : Op::kHead, index);
            } else {
              w.Run(Op::kPut, plan.objects + index);
            }
            break;
          }
          case Mode::kList: {
            uint64_t keys = 0, pages = 0;
            const auto t0 = Clock::now();
            const bool ok = ListAll(plan, w, &keys, &pages);
            const auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
            if (ok) {
              w.latencies_us.push_back(static_cast<uint32_t>(us));
              ++w.ops;
              list_keys += keys;
              list_pages += pages;
            } else {
              ++w.errors;
              w.last_error = "listing failed";
            }
            break;
          }
        }
      }
    });
  });
  const bool tty = isatty(STDERR_FILENO) == 1;
  const auto deadline = start + std::chrono::milliseconds(plan.duration_ms);
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::milliseconds(500), deadline - Clock::now()));
    if (!tty) continue;
    uint64_t ops = 0, bytes = 0, errors = 0;
    for (auto& w : workers) {
      ops += w->ops;
      bytes += w->bytes;
      errors += w->errors;
    }
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    ctx.err() << absl::StrFormat("\r%s  %5.1fs  %llu ops  %.1f ops/s  %.1f MiB/s  %llu errors   ",
                                 label, s, static_cast<unsigned long long>(ops), ops / s,
                                 static_cast<double>(bytes) / (1 << 20) / s,
                                 static_cast<unsigned long long>(errors))
              << std::flush;
  }
  stop = true;
  runner.join();  // in-flight requests finish and count
  if (tty) ctx.err() << '\n';
  Totals t;
  t.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& w : workers) {
    t.ops += w->ops;
    t.errors += w->errors;
    t.bytes += w->bytes;
    t.latencies_us.insert(t.latencies_us.end(), w->latencies_us.begin(), w->latencies_us.end());
    if (!w->last_error.empty()) t.last_error = w->last_error;
    t.encrypted = t.encrypted || w->saw_sse_header;
  }
  t.list_keys = list_keys;
  t.list_pages = list_pages;
  std::sort(t.latencies_us.begin(), t.latencies_us.end());
  return t;
}

double PercentileMs(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()));
  return sorted[std::min(rank, sorted.size() - 1)] / 1000.0;
}

// Deletes the objects and the bucket, in parallel.
absl::Status Cleanup(const Plan& plan, std::vector<std::unique_ptr<Worker>>& workers) {
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  const int keys = plan.mode == Mode::kMixed ? 2 * plan.objects : plan.objects;
  OnThreads(workers, [&](Worker& w, int) {
    for (int i = next++; i < keys; i = next++) {
      if (!w.Simple("DELETE", absl::StrCat("/", plan.bucket, "/", KeyFor(i)), nullptr)) ++failed;
    }
  });
  if (!workers[0]->Simple("DELETE", "/" + plan.bucket, nullptr)) {
    return absl::UnavailableError(absl::StrCat("could not remove bucket '", plan.bucket, "' (",
                                               failed.load(), " object deletes failed)"));
  }
  return absl::OkStatus();
}

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kPut:
      return "PUT";
    case Mode::kGet:
      return "GET";
    case Mode::kMixed:
      return "MIXED";
    case Mode::kList:
      return "LIST";
  }
  return "?";
}

json::object Report(const Plan& plan, const Totals& t) {
  const double mib = static_cast<double>(t.bytes) / (1 << 20);
  json::object o{
      {"operation", ModeName(plan.mode)},
      {"endpoint", plan.base_url},
      {"signed", plan.sign},
      {"bucket", plan.bucket},
      {"size_bytes", plan.size},
      {"concurrency", plan.concurrency},
      {"objects", plan.objects},
      {"duration_seconds", t.seconds},
      {"ops", t.ops},
      {"errors", t.errors},
      {"bytes", t.bytes},
      {"mib_per_second", t.seconds > 0 ? mib / t.seconds : 0.0},
      {"ops_per_second", t.seconds > 0 ? static_cast<double>(t.ops) / t.seconds : 0.0},
      {"latency_ms",
       json::object{{"p50", PercentileMs(t.latencies_us, 50)},
                    {"p90", PercentileMs(t.latencies_us, 90)},
                    {"p99", PercentileMs(t.latencies_us, 99)},
                    {"max", t.latencies_us.empty() ? 0.0 : t.latencies_us.back() / 1000.0}}},
      {"server_side_encryption", t.encrypted},
  };
  if (plan.mode == Mode::kList) {
    o["list_keys"] = t.list_keys;
    o["list_pages"] = t.list_pages;
    o["pages_per_listing"] =
        t.ops > 0 ? static_cast<double>(t.list_pages) / static_cast<double>(t.ops) : 0.0;
  }
  json::array raw;  // every successful request's latency, microseconds, sorted
  for (uint32_t us : t.latencies_us) raw.push_back(us);
  o["latencies_us"] = std::move(raw);
  return o;
}

void PrintReport(CommandContext& ctx, const Plan& plan, const Totals& t, const std::string& size) {
  const double secs = std::max(t.seconds, 1e-9);
  ctx.out() << absl::StrFormat(
      "%s %s x%d: %llu ops in %.1fs, %.2f MiB/s, %.1f ops/s, %llu errors\n"
      "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
      ModeName(plan.mode), size, plan.concurrency, static_cast<unsigned long long>(t.ops),
      t.seconds, static_cast<double>(t.bytes) / (1 << 20) / secs, static_cast<double>(t.ops) / secs,
      static_cast<unsigned long long>(t.errors), PercentileMs(t.latencies_us, 50),
      PercentileMs(t.latencies_us, 90), PercentileMs(t.latencies_us, 99),
      t.latencies_us.empty() ? 0.0 : t.latencies_us.back() / 1000.0);
  if (plan.mode == Mode::kList && t.ops > 0) {
    ctx.out() << absl::StrFormat("listing: %llu keys in %.1f pages per listing\n",
                                 static_cast<unsigned long long>(t.list_keys / t.ops),
                                 static_cast<double>(t.list_pages) / static_cast<double>(t.ops));
  }
}

absl::StatusOr<Plan> MakePlan(CommandContext& ctx, const Args& a) {
  Plan plan;
  const int modes = a.put + a.get + a.mixed + a.list;
  if (modes > 1) return UsageError("choose one of --put, --get, --mixed, --list");
  plan.mode = a.get ? Mode::kGet : a.mixed ? Mode::kMixed : a.list ? Mode::kList : Mode::kPut;
  absl::StatusOr<uint64_t> size = ParseByteSize(a.size);
  if (!size.ok()) return AsUsageError(size.status());
  plan.size = *size;
  absl::StatusOr<int64_t> ms = ParseDurationMs(a.duration);
  if (!ms.ok()) return AsUsageError(ms.status());
  plan.duration_ms = *ms;
  plan.concurrency = a.concurrency;
  plan.objects = a.objects;
  plan.insecure_tls = ctx.flags().insecure;
  plan.ca_cert = ctx.CaCert();
  if (!a.url.empty()) {
    if (plan.mode != Mode::kGet || a.bucket.empty()) {
      return UsageError("--url needs --get and --bucket (objects BUCKET/obj-NNNNNN must exist)");
    }
    plan.sign = false;
    plan.base_url = a.url;
    while (!plan.base_url.empty() && plan.base_url.back() == '/') plan.base_url.pop_back();
    plan.bucket = a.bucket;
    return plan;
  }
  if (a.alias.empty()) return UsageError("bench needs an ALIAS (or --url)");
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(a.alias));
  plan.alias = client.alias();
  plan.base_url = plan.alias.url;
  plan.bucket = a.bucket;
  if (plan.bucket.empty()) {
    std::random_device rd;
    plan.bucket = absl::StrFormat("sbctl-bench-%08x", rd());
  }
  return plan;
}

absl::Status RunBench(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(Plan plan, MakePlan(ctx, a));
  std::string payload(std::min<uint64_t>(plan.size, 4 << 20), '\0');
  std::mt19937_64 rng(42);
  for (size_t i = 0; i + 8 <= payload.size(); i += 8) {
    const uint64_t v = rng();
    std::memcpy(payload.data() + i, &v, 8);
  }
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < plan.concurrency; ++i) {
    workers.push_back(std::make_unique<Worker>(plan, payload));
  }
  const bool own_bucket = plan.sign;
  if (own_bucket) {
    std::string body;
    if (!workers[0]->Simple("PUT", "/" + plan.bucket, &body)) {
      return absl::UnavailableError(absl::StrCat("cannot create bucket '", plan.bucket, "' at ",
                                                 plan.base_url, ": ", OneLine(body)));
    }
  }
  absl::Status status = absl::OkStatus();
  if (own_bucket && plan.mode != Mode::kPut) status = Populate(plan, workers);
  Totals totals;
  if (status.ok()) {
    const std::string label =
        absl::StrCat(ModeName(plan.mode), " ", a.size, " x", plan.concurrency);
    totals = Measure(plan, workers, ctx, label);
    if (totals.ops == 0) {
      status = absl::UnavailableError(absl::StrCat("no request succeeded: ", totals.last_error));
    }
  }
  if (own_bucket && !a.keep) {
    absl::Status cleaned = Cleanup(plan, workers);
    if (status.ok()) status = cleaned;
  }
  SB_RETURN_IF_ERROR(status);
  const json::object report = Report(plan, totals);
  if (!a.json_file.empty()) {
    std::ofstream f(a.json_file, std::ios::trunc);
    f << json::serialize(report) << '\n';
    if (!f.good()) return absl::UnavailableError(absl::StrCat("cannot write ", a.json_file));
  }
  if (ctx.flags().json) {
    json::object brief = report;
    brief.erase("latencies_us");
    PrintJson(ctx, brief);
  } else {
    PrintReport(ctx, plan, totals, a.size);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<uint64_t> ParseByteSize(std::string_view text) {
  std::string s = absl::AsciiStrToLower(AsAbsl(text));
  uint64_t mult = 1;
  struct Suffix {
    const char* name;
    uint64_t mult;
  };
  for (const Suffix& suf : {Suffix{"kib", 1ull << 10}, Suffix{"mib", 1ull << 20},
                            Suffix{"gib", 1ull << 30}, Suffix{"kb", 1000}, Suffix{"mb", 1000000},
                            Suffix{"gb", 1000000000}, Suffix{"k", 1ull << 10},
                            Suffix{"m", 1ull << 20}, Suffix{"g", 1ull << 30}, Suffix{"b", 1}}) {
    if (absl::EndsWith(s, suf.name)) {
      s.resize(s.size() - std::strlen(suf.name));
      mult = suf.mult;
      break;
    }
  }
  uint64_t n = 0;
  if (!absl::SimpleAtoi(s, &n) || n == 0 || n > (uint64_t{1} << 44) / mult) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad size '", AsAbsl(text), "' (want e.g. 4KiB, 1MiB, 64MiB)"));
  }
  return n * mult;
}

absl::StatusOr<int64_t> ParseDurationMs(std::string_view text) {
  std::string s(text);
  int64_t mult = 1000;
  if (absl::EndsWith(s, "ms")) {
    s.resize(s.size() - 2);
    mult = 1;
  } else if (!s.empty() && (s.back() == 's' || s.back() == 'm' || s.back() == 'h')) {
    mult = s.back() == 's' ? 1000 : s.back() == 'm' ? 60000 : 3600000;
    s.pop_back();
  }
  double v = 0;
  if (!absl::SimpleAtod(s, &v) || !(v > 0) || v * static_cast<double>(mult) > 864e5) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad duration '", AsAbsl(text), "' (want e.g. 10s, 500ms, 2m)"));
  }
  return static_cast<int64_t>(v * static_cast<double>(mult));
}

void AddBenchCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Measure throughput and latency with real S3 traffic (creates and removes its "
      "own bucket)");
  cmd->add_option("alias", args->alias, "ALIAS of the deployment to measure");
  cmd->add_flag("--put", args->put, "PUT objects (the default)");
  cmd->add_flag("--get", args->get, "GET objects written beforehand");
  cmd->add_flag("--mixed", args->mixed, "6 GET : 3 PUT : 1 HEAD");
  cmd->add_flag("--list", args->list, "List the whole bucket (pages of 1000) repeatedly");
  cmd->add_option("--size", args->size, "Object size (4KiB, 1MiB, 64MiB, ...)")
      ->capture_default_str();
  cmd->add_option("--concurrency", args->concurrency, "Parallel connections")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--objects", args->objects, "Distinct objects (keys) used")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  cmd->add_option("--duration", args->duration, "How long to measure (10s, 2m, ...)")
      ->capture_default_str();
  cmd->add_option("--json", args->json_file, "Also write the raw results to FILE as JSON");
  cmd->add_option("--bucket", args->bucket, "Bucket name (default: sbctl-bench-<random>)");
  cmd->add_flag("--keep", args->keep, "Do not delete the objects and bucket afterwards");
  cmd->add_option("--url", args->url,
                  "Unsigned GETs of URL/BUCKET/obj-NNNNNN from a static HTTP server (a "
                  "reference such as nginx); needs --get and --bucket");
  cmd->callback([&ctx, args] { ctx.set_result(RunBench(ctx, *args)); });
}

}  // namespace sb::sbctl
