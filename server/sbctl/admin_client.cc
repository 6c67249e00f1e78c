#include "server/sbctl/admin_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <cstdio>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

// curl's provider1:provider2:region:service. The server verifies region us-east-1 and
// service s3 for admin requests exactly as for S3 requests.
constexpr char kSigV4Params[] = "aws:amz:us-east-1:s3";
constexpr char kUserAgent[] = "sbctl/" SB_SBCTL_VERSION;

void GlobalInitOnce() {
  // curl_global_init is not thread-safe; the CLI is single-threaded but tests may not be.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string hex;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    return hex;  // empty: curl then signs without it and the server rejects the request
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

struct Sink {
  Response* response;
  size_t max_bytes;
  bool overflow = false;
};

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * nmemb;
  if (sink->response->body.size() + n > sink->max_bytes) {
    sink->overflow = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * nmemb;
  std::string_view line(data, n);
  // A new status line (after "100 Continue" or a redirect) starts a fresh header set.
  if (line.substr(0, 5) == "HTTP/") {
    sink->response->headers.clear();
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = absl::AsciiStrToLower(AsAbsl(line.substr(0, colon)));
  std::string value(absl::StripAsciiWhitespace(AsAbsl(line.substr(colon + 1))));
  sink->response->headers.emplace_back(std::move(name), std::move(value));
  return n;
}

// Splits "/path?query" and rewrites the query into SigV4 canonical form: curl 7.88 signs
// the query exactly as sent, so what we send must already be canonical.
absl::StatusOr<std::string> CanonicalTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("request target '", AsAbsl(target), "' must start with '/'"));
  }
  for (char c : target) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f || c == '#') {
      return absl::InvalidArgumentError(absl::StrCat("request target '", AsAbsl(target),
                                                     "' must be URI-encoded (no spaces or '#')"));
    }
  }
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  auto query = CanonicalQuery(target.substr(q + 1));
  if (!query.ok()) return query.status();
  std::string out(target.substr(0, q));
  if (!query->empty()) absl::StrAppend(&out, "?", *query);
  return out;
}

// Applies curl_easy_setopt calls, remembering the first failure so one check covers all.
class OptionSetter {
 public:
  explicit OptionSetter(CURL* easy) : easy_(easy) {}
  template <typename T>
  void Set(CURLoption option, T value) {
    if (rc_ == CURLE_OK) rc_ = curl_easy_setopt(easy_, option, value);
  }
  CURLcode result() const { return rc_; }

 private:
  CURL* easy_;
  CURLcode rc_ = CURLE_OK;
};

// Everything one request needs alive until curl_easy_perform returns.
struct Prepared {
  std::string url;
  std::string method;
  std::string body;
  // Bodiless GET/HEAD/DELETE go without POSTFIELDS; everything else sends its (maybe empty)
  // body through POSTFIELDS, which lets curl hash the payload it signs.
  bool has_body = false;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{nullptr,
                                                                      &curl_slist_free_all};
};

absl::Status BuildHeaders(Prepared& req, std::string_view content_type) {
  // Never pass curl "Name:" header-removal lines (e.g. "Expect:"): curl 7.88 still lists
  // them in SignedHeaders without sending them, so every server rejects the signature.
  std::vector<std::string> lines = {absl::StrCat("x-amz-content-sha256: ", Sha256Hex(req.body))};
  if (req.has_body) lines.push_back(absl::StrCat("Content-Type: ", AsAbsl(content_type)));
  for (const std::string& line : lines) {
    curl_slist* appended = curl_slist_append(req.headers.get(), line.c_str());
    if (appended == nullptr) return absl::ResourceExhaustedError("curl_slist_append failed");
    (void)req.headers.release();  // now owned through `appended`
    req.headers.reset(appended);
  }
  return absl::OkStatus();
}

absl::Status CurlError(CURLcode code, const char* errbuf, std::string_view method,
                       const std::string& url) {
  const std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  const std::string message =
      absl::StrCat("cannot ", AsAbsl(method), " ", url, ": ", absl::StripAsciiWhitespace(detail));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError(message);
    default:
      return absl::UnavailableError(message);
  }
}

CURLcode SetOptions(CURL* easy, const Prepared& req, const Alias& alias,
                    const ClientOptions& options, Sink* sink, char* errbuf) {
  OptionSetter opt(easy);
  opt.Set(CURLOPT_URL, req.url.c_str());
  opt.Set(CURLOPT_PATH_AS_IS, 1L);  // send exactly the path that gets signed
  opt.Set(CURLOPT_PROTOCOLS_STR, "http,https");
  opt.Set(CURLOPT_NOSIGNAL, 1L);
  opt.Set(CURLOPT_ERRORBUFFER, errbuf);
  opt.Set(CURLOPT_USERAGENT, kUserAgent);
  opt.Set(CURLOPT_AWS_SIGV4, kSigV4Params);
  // Separate user/password options: a ':' inside a key must not split it.
  opt.Set(CURLOPT_USERNAME, alias.access_key.c_str());
  opt.Set(CURLOPT_PASSWORD, alias.secret_key.c_str());
  opt.Set(CURLOPT_HTTPHEADER, req.headers.get());
  opt.Set(CURLOPT_WRITEFUNCTION, &OnBody);
  opt.Set(CURLOPT_WRITEDATA, sink);
  opt.Set(CURLOPT_HEADERFUNCTION, &OnHeader);
  opt.Set(CURLOPT_HEADERDATA, sink);
  opt.Set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count() * 1000));
  opt.Set(CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count() * 1000));
  if (options.insecure_tls) {
    opt.Set(CURLOPT_SSL_VERIFYPEER, 0L);
    opt.Set(CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!options.ca_cert.empty()) {
    opt.Set(CURLOPT_CAINFO, options.ca_cert.c_str());
  }
  if (req.method == "HEAD") {
    opt.Set(CURLOPT_NOBODY, 1L);
  } else if (!req.has_body) {
    opt.Set(CURLOPT_HTTPGET, 1L);
    if (req.method != "GET") opt.Set(CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else {
    opt.Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    opt.Set(CURLOPT_POSTFIELDS, req.body.c_str());
    opt.Set(CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  return opt.result();
}

}  // namespace

std::optional<std::string> Response::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, AsAbsl(name))) return value;
  }
  return std::nullopt;
}

struct AdminClient::CurlHandle {
  CURL* easy = nullptr;
  ~CurlHandle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

AdminClient::AdminClient(Alias alias, ClientOptions options)
    : alias_(std::move(alias)), options_(options), curl_(std::make_unique<CurlHandle>()) {
  GlobalInitOnce();
}

AdminClient::~AdminClient() = default;
AdminClient::AdminClient(AdminClient&&) noexcept = default;
AdminClient& AdminClient::operator=(AdminClient&&) noexcept = default;

absl::StatusOr<Response> AdminClient::Send(std::string_view method, std::string_view target,
                                           std::string_view body, std::string_view content_type) {
  auto canonical = CanonicalTarget(target);
  if (!canonical.ok()) return canonical.status();
  Prepared req;
  req.url = alias_.url + *canonical;
  req.method = std::string(method);
  req.body = std::string(body);
  req.has_body = !body.empty() || (method != "GET" && method != "HEAD" && method != "DELETE");
  if (absl::Status s = BuildHeaders(req, content_type); !s.ok()) return s;

  if (curl_->easy == nullptr) curl_->easy = curl_easy_init();
  CURL* easy = curl_->easy;
  if (easy == nullptr) return absl::InternalError("curl_easy_init failed");
  curl_easy_reset(easy);  // keeps the connection cache, drops the previous request's options

  Response response;
  Sink sink{&response, options_.max_response_bytes};
  char errbuf[CURL_ERROR_SIZE] = {};
  if (CURLcode rc = SetOptions(easy, req, alias_, options_, &sink, errbuf); rc != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("cannot configure curl request: ", curl_easy_strerror(rc)));
  }
  const CURLcode rc = curl_easy_perform(easy);
  if (sink.overflow) {
    return absl::ResourceExhaustedError(absl::StrCat("response from ", req.url, " exceeds ",
                                                     options_.max_response_bytes, " bytes"));
  }
  if (rc != CURLE_OK) return CurlError(rc, errbuf, method, req.url);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sb::sbctl
