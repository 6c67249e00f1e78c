// Test helpers for the SigV4 tests: AWS's example credentials, an in-memory BodySource, and a
// small SigV4 signer written independently of gateway/internal (OpenSSL's one-shot HMAC/EVP
// APIs, canonical strings assembled by the test itself) to cross-check the verifier.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/body_source.h"
#include "gateway/sigv4.h"

namespace sb::gateway::testing {

inline constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
inline constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr char kEmptySha[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// 2013-05-24T00:00:00Z, the timestamp of every AWS S3 signing example.
inline absl::Time ExampleTime() {
  return absl::FromCivil(absl::CivilSecond(2013, 5, 24, 0, 0, 0), absl::UTCTimeZone());
}

inline SecretLookup ExampleLookup() {
  return [](std::string_view ak) -> absl::StatusOr<std::string> {
    if (ak == kAccessKey) return std::string(kSecret);
    return absl::NotFoundError("no such key");
  };
}

inline std::string Hex(const unsigned char* d, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[d[i] >> 4]);
    out.push_back(kDigits[d[i] & 0xf]);
  }
  return out;
}

inline std::string OsslHmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

inline std::string OsslSha256Hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return Hex(out, len);
}

inline std::string TestSigningKey(std::string_view secret, std::string_view date,
                                  std::string_view region, std::string_view service = "s3") {
  std::string k = OsslHmac("AWS4" + std::string(secret), date);
  k = OsslHmac(k, region);
  k = OsslHmac(k, service);
  return OsslHmac(k, "aws4_request");
}

inline std::string HmacHex(std::string_view key, std::string_view data) {
  std::string mac = OsslHmac(key, data);
  return Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

// What a client signs. `canonical_uri` and `canonical_query` are written out by each test.
struct TestSignInput {
  std::string method = "GET";
  std::string canonical_uri = "/";
  std::string canonical_query;
  std::vector<std::string> signed_headers;  // sorted, lowercase
  std::string payload_hash = kEmptySha;
  std::string amz_date = "20130524T000000Z";
  std::string region = "us-east-1";
  std::string secret = kSecret;
  std::string service = "s3";
};

// Signs `in` over the (already canonical) values of `headers` for the signed names.
inline std::string TestSign(const TestSignInput& in,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string canonical = in.method + "\n" + in.canonical_uri + "\n" + in.canonical_query + "\n";
  std::string list;
  for (const std::string& name : in.signed_headers) {
    std::string joined;
    for (const auto& [n, v] : headers) {
      if (n == name) joined += (joined.empty() ? "" : ",") + v;
    }
    canonical += name + ":" + joined + "\n";
    list += (list.empty() ? "" : ";") + name;
  }
  canonical += "\n" + list + "\n" + in.payload_hash;
  std::string date = in.amz_date.substr(0, 8);
  std::string scope = date + "/" + in.region + "/" + in.service + "/aws4_request";
  std::string sts =
      "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + scope + "\n" + OsslSha256Hex(canonical);
  return HmacHex(TestSigningKey(in.secret, date, in.region, in.service), sts);
}

inline std::string AuthorizationFor(const TestSignInput& in, const std::string& signature) {
  std::string list;
  for (const std::string& name : in.signed_headers) list += (list.empty() ? "" : ";") + name;
  return "AWS4-HMAC-SHA256 Credential=" + std::string(kAccessKey) + "/" + in.amz_date.substr(0, 8) +
         "/" + in.region + "/" + in.service + "/aws4_request, SignedHeaders=" + list +
         ", Signature=" + signature;
}

// A BodySource over a string that returns at most `step` bytes per Read (to exercise framing
// split across reads); optionally fails after the data with `error`.
class StringSource : public BodySource {
 public:
  explicit StringSource(std::string data, size_t step = SIZE_MAX)
      : data_(std::move(data)), step_(step) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    size_t n = std::min({max, step_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    if (n == 0 && !error_.ok()) return error_;
    return n;
  }
  void FailAtEnd(absl::Status error) { error_ = std::move(error); }

 private:
  std::string data_;
  size_t step_;
  size_t pos_ = 0;
  absl::Status error_;
};

// Reads `src` to the end with reads of at most `chunk` bytes.
inline absl::StatusOr<std::string> ReadAll(BodySource& src, size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  while (true) {
    absl::StatusOr<size_t> n = src.Read(buf.data(), chunk);
    if (!n.ok()) return n.status();
    if (*n == 0) return out;
    out.append(buf.data(), *n);
  }
}

}  // namespace sb::gateway::testing
