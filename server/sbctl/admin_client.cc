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
  const std::string url = alias_.url + *canonical;
  if (curl_->easy == nullptr) curl_->easy = curl_easy_init();
  CURL* easy = curl_->easy;
  if (easy == nullptr) return absl::InternalError("curl_easy_init failed");
  curl_easy_reset(easy);  // keeps the connection cache, drops the previous request's options

  Response response;
  Sink sink{&response, options_.max_response_bytes};
  char errbuf[CURL_ERROR_SIZE] = {};
  const std::string method_str(method);
  const std::string body_str(body);  // must outlive curl_easy_perform

  // Bodiless GET/HEAD/DELETE go without POSTFIELDS; everything else sends its (maybe empty)
  // body through POSTFIELDS, which lets curl hash the payload it signs.
  const bool has_body =
      !body.empty() || (method_str != "GET" && method_str != "HEAD" && method_str != "DELETE");
  // Never pass curl "Name:" header-removal lines (e.g. "Expect:"): curl 7.88 still lists
  // them in SignedHeaders without sending them, so every server rejects the signature.
  curl_slist* headers = nullptr;
  const std::string sha_header = absl::StrCat("x-amz-content-sha256: ", Sha256Hex(body));
  headers = curl_slist_append(headers, sha_header.c_str());
  const std::string type_header = absl::StrCat("Content-Type: ", AsAbsl(content_type));
  if (has_body) headers = curl_slist_append(headers, type_header.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers,
                                                                           &curl_slist_free_all);

  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);  // send exactly the path that gets signed
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, kSigV4Params);
  // Separate user/password options: a ':' inside a key must not split it.
  curl_easy_setopt(easy, CURLOPT_USERNAME, alias_.access_key.c_str());
  curl_easy_setopt(easy, CURLOPT_PASSWORD, alias_.secret_key.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count() * 1000));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count() * 1000));
  if (options_.insecure_tls) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (method_str == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (!has_body) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    if (method_str != "GET") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method_str.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_str.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body_str.c_str());
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method_str.c_str());
  }

  const CURLcode rc = curl_easy_perform(easy);
  if (sink.overflow) {
    return absl::ResourceExhaustedError(
        absl::StrCat("response from ", url, " exceeds ", options_.max_response_bytes, " bytes"));
  }
  if (rc != CURLE_OK) return CurlError(rc, errbuf, method, url);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sb::sbctl
