#include "server/config.h"

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"

namespace sb::server {
namespace {

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

absl::Status ParseAddress(const std::string& address, Config* config) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError("--address must be HOST:PORT, got " + address);
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError("bad port in --address " + address);
  }
  config->host = host.empty() ? "0.0.0.0" : host;
  config->port = port;
  return absl::OkStatus();
}

// Values from the optional JSON config file; flags and env override them.
absl::Status ApplyFile(const std::string& path, std::string* address, std::string* data,
                       std::string* drives, std::string* meta, int* parity, std::string* region) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("cannot read config file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return absl::InvalidArgumentError("config file is not a JSON object");
  for (const auto& [k, val] : v.as_object()) {
    std::string key(k);
    if (key == "parity" && val.is_int64()) {
      *parity = static_cast<int>(val.as_int64());
      continue;
    }
    if (!val.is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("config key '", key, "' must be a string"));
    }
    std::string s(val.as_string());
    if (key == "address")
      *address = s;
    else if (key == "data")
      *data = s;
    else if (key == "drives")
      *drives = s;
    else if (key == "meta")
      *meta = s;
    else if (key == "region")
      *region = s;
    else
      return absl::InvalidArgumentError(absl::StrCat("unknown config key '", key, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandDrives(const std::string& spec) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::string p(part);
    size_t open = p.find('{');
    if (open == std::string::npos) {
      out.push_back(p);
      continue;
    }
    size_t dots = p.find("...", open);
    size_t close = p.find('}', open);
    int lo = 0;
    int hi = 0;
    if (dots == std::string::npos || close == std::string::npos || dots > close ||
        !absl::SimpleAtoi(p.substr(open + 1, dots - open - 1), &lo) ||
        !absl::SimpleAtoi(p.substr(dots + 3, close - dots - 3), &hi) || lo > hi || hi - lo > 64) {
      return absl::InvalidArgumentError("bad drive range " + p + " (expected e.g. /d{1...4})");
    }
    for (int i = lo; i <= hi; ++i) {
      out.push_back(absl::StrCat(p.substr(0, open), i, p.substr(close + 1)));
    }
  }
  if (out.empty() || out.size() > 16) {
    return absl::InvalidArgumentError("--drives must name 1 to 16 drives");
  }
  return out;
}

absl::StatusOr<Config> LoadConfig(int argc, char** argv, bool* exit_now) {
  *exit_now = false;
  Config config;
  std::string address, data, drives, meta, region, config_file;
  int parity = -2;
  CLI::App app{"strongbox: S3-compatible object storage with governance in the data path"};
  app.add_option("--address", address,
                 "listen HOST:PORT (default 127.0.0.1:9000; port 0 picks one)");
  app.add_option("--data", data, "data directory holding drive folders and metadata");
  app.add_option("--drives", drives, "drive folders: comma list or brace range /mnt/d{1...4}");
  app.add_option("--meta", meta, "metadata directory (default DATA/meta)");
  app.add_option("--parity", parity, "parity shards per erasure set (default by drive count)");
  app.add_option("--region", region, "region reported to clients (default us-east-1)");
  std::vector<std::string> domains;
  app.add_option("--domain", domains,
                 "enable virtual-host-style addressing: a Host of BUCKET.DOMAIN[:port] names "
                 "BUCKET (repeatable or comma list; needs wildcard DNS *.DOMAIN; "
                 "default $STRONGBOX_DOMAIN; DOMAIN itself stays path style)")
      ->delimiter(',');
  app.add_option("--config", config_file, "optional JSON config file");
  std::string kms_key_file;
  app.add_option("--kms-key-file", kms_key_file,
                 "KMS root key file (base64 of 32 bytes, mode 0600; default $STRONGBOX_KMS_KEY, "
                 "else META/kms-root.key generated on first start - quick start only)");
  std::string audit_mode;
  app.add_option("--audit-mode", audit_mode,
                 "fail-closed (default: a response completes only once its audit record is "
                 "durable) or best-effort");
  std::string audit_ship_bucket, audit_ship_prefix, audit_local_retention;
  int audit_ship_interval = 0;
  uint64_t audit_segment_bytes = 0;
  app.add_option("--audit-ship-bucket", audit_ship_bucket,
                 "copy every sealed audit segment (and the signed checkpoints and public key) "
                 "into this bucket, which must have Object Lock with a COMPLIANCE default "
                 "retention (default $STRONGBOX_AUDIT_SHIP_BUCKET; off)");
  app.add_option("--audit-ship-prefix", audit_ship_prefix,
                 "key prefix of shipped audit files (default audit/)");
  app.add_option("--audit-ship-interval", audit_ship_interval,
                 "seconds between audit shipping passes (default 60)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--audit-local-retention", audit_local_retention,
                 "delete local sealed audit segments older than this (90s, 12h, 30d; only once "
                 "shipped when --audit-ship-bucket is set; default: keep all)");
  app.add_option("--audit-segment-bytes", audit_segment_bytes,
                 "rotate audit segments at this size (default 67108864)")
      ->check(CLI::Range(uint64_t{4096}, uint64_t{1} << 34));
  app.add_option("--lifecycle-interval", config.lifecycle_interval_seconds,
                 "seconds between lifecycle passes over the buckets' rules (default 3600)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--lifecycle-day-seconds", config.lifecycle_day_seconds,
                 "TESTS ONLY: the length of a lifecycle day in seconds (default 86400)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--lifecycle-max-deletes-per-second", config.lifecycle_max_deletes_per_second,
                 "throttle of the lifecycle worker's deletions (default 1000)")
      ->check(CLI::Range(1, 1000000));
  bool insecure_no_encryption = false;
  app.add_flag("--insecure-no-encryption", insecure_no_encryption,
               "MEASUREMENT ONLY: store new objects without SSE headers unencrypted, so a "
               "benchmark can compare (default $STRONGBOX_INSECURE_NO_ENCRYPTION)");
  int sts_min = -1;
  app.add_option("--sts-min-duration", sts_min,
                 "shortest STS AssumeRole DurationSeconds accepted (default 900, as AWS; "
                 "lower it only for testing)")
      ->check(CLI::Range(1, 900));
  std::string tls_cert, tls_key, tls_client_ca;
  app.add_option("--tls-cert", tls_cert,
                 "PEM certificate chain: serve HTTPS (TLS 1.2/1.3) on the S3 port; reloaded "
                 "with the key on SIGHUP (default $STRONGBOX_TLS_CERT)");
  app.add_option("--tls-key", tls_key,
                 "PEM private key for --tls-cert (default $STRONGBOX_TLS_KEY)");
  app.add_option("--tls-client-ca", tls_client_ca,
                 "PEM CA bundle: request client certificates (optional) and verify them; a "
                 "verified one can AssumeRoleWithCertificate (default $STRONGBOX_TLS_CLIENT_CA)");
  app.set_version_flag("--version", "strongbox 0.1.0");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    app.exit(e);
    *exit_now = true;
    return config;
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }

  std::string f_address, f_data, f_drives, f_meta, f_region;
  int f_parity = -1;
  if (const char* c = config_file.empty() ? Env("STRONGBOX_CONFIG") : config_file.c_str()) {
    auto s = ApplyFile(c, &f_address, &f_data, &f_drives, &f_meta, &f_parity, &f_region);
    if (!s.ok()) return s;
  }
  auto pick = [](const std::string& flag, const char* env, const std::string& file) {
    if (!flag.empty()) return flag;
    if (const char* e = Env(env)) return std::string(e);
    return file;
  };
  address = pick(address, "STRONGBOX_ADDRESS", f_address);
  data = pick(data, "STRONGBOX_DATA", f_data);
  drives = pick(drives, "STRONGBOX_DRIVES", f_drives);
  meta = pick(meta, "STRONGBOX_META", f_meta);
  region = pick(region, "STRONGBOX_REGION", f_region);
  if (parity == -2) {
    parity = f_parity;
    if (const char* e = Env("STRONGBOX_PARITY")) {
      if (!absl::SimpleAtoi(e, &parity)) return absl::InvalidArgumentError("bad STRONGBOX_PARITY");
    }
  }

  if (domains.empty()) {
    if (const char* e = Env("STRONGBOX_DOMAIN")) {
      for (absl::string_view d : absl::StrSplit(e, ',', absl::SkipEmpty())) {
        domains.emplace_back(d);
      }
    }
  }
  for (auto& d : domains) {
    d = absl::AsciiStrToLower(absl::StripAsciiWhitespace(d));
    if (d.empty() || d.front() == '.' || d.back() == '.') {
      return absl::InvalidArgumentError("--domain must be a host name such as s3.example.com");
    }
  }
  config.domains = domains;
  config.insecure_no_encryption = insecure_no_encryption;
  if (const char* e = Env("STRONGBOX_INSECURE_NO_ENCRYPTION")) {
    const std::string v = e;
    if (v == "1" || v == "true") {
      config.insecure_no_encryption = true;
    } else if (!v.empty() && v != "0" && v != "false") {
      return absl::InvalidArgumentError("bad STRONGBOX_INSECURE_NO_ENCRYPTION");
    }
  }
  if (audit_mode.empty()) {
    if (const char* e = Env("STRONGBOX_AUDIT_MODE")) audit_mode = e;
  }
  if (audit_mode == "best-effort") {
    config.audit_best_effort = true;
  } else if (!audit_mode.empty() && audit_mode != "fail-closed") {
    return absl::InvalidArgumentError("--audit-mode must be fail-closed or best-effort");
  }
  config.audit_ship_bucket = pick(audit_ship_bucket, "STRONGBOX_AUDIT_SHIP_BUCKET", "");
  if (!audit_ship_prefix.empty()) config.audit_ship_prefix = audit_ship_prefix;
  if (audit_ship_interval > 0) config.audit_ship_interval_seconds = audit_ship_interval;
  if (audit_segment_bytes > 0) config.audit_segment_bytes = audit_segment_bytes;
  audit_local_retention = pick(audit_local_retention, "STRONGBOX_AUDIT_LOCAL_RETENTION", "");
  if (!audit_local_retention.empty()) {
    std::optional<absl::Duration> d = ParseOperatorDuration(audit_local_retention);
    if (!d.has_value()) {
      return absl::InvalidArgumentError(
          "--audit-local-retention must be a duration such as 90s, 12h or 30d");
    }
    config.audit_local_retention_seconds = absl::ToInt64Seconds(*d);
  }
  if (sts_min == -1) {
    if (const char* e = Env("STRONGBOX_STS_MIN_DURATION")) {
      if (!absl::SimpleAtoi(e, &sts_min) || sts_min < 1 || sts_min > 900) {
        return absl::InvalidArgumentError("STRONGBOX_STS_MIN_DURATION must be 1..900 seconds");
      }
    }
  }
  if (sts_min != -1) config.sts_min_duration_seconds = sts_min;
  if (!address.empty()) {
    auto s = ParseAddress(address, &config);
    if (!s.ok()) return s;
  }
  config.tls_cert_file = pick(tls_cert, "STRONGBOX_TLS_CERT", "");
  config.tls_key_file = pick(tls_key, "STRONGBOX_TLS_KEY", "");
  config.tls_client_ca_file = pick(tls_client_ca, "STRONGBOX_TLS_CLIENT_CA", "");
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  config.kms_key_file = kms_key_file;
  if (config.kms_key_file.empty()) {
    if (const char* e = Env("STRONGBOX_KMS_KEY_FILE")) config.kms_key_file = e;
  }
  if (!data.empty()) config.data_dir = data;
  if (!region.empty()) config.region = region;
  config.parity = parity;
  config.meta_dir = meta.empty() ? config.data_dir + "/meta" : meta;
  if (drives.empty()) {
    for (int i = 1; i <= 4; ++i)
      config.drives.push_back(absl::StrCat(config.data_dir, "/drives/d", i));
  } else {
    auto d = ExpandDrives(drives);
    if (!d.ok()) return d.status();
    config.drives = *d;
  }
  const char* ak = Env("STRONGBOX_ROOT_ACCESS_KEY");
  const char* sk = Env("STRONGBOX_ROOT_SECRET_KEY");
  if ((ak == nullptr) != (sk == nullptr)) {
    return absl::InvalidArgumentError(
        "set both STRONGBOX_ROOT_ACCESS_KEY and STRONGBOX_ROOT_SECRET_KEY, or neither");
  }
  if (ak != nullptr) {
    config.root_access_key = ak;
    config.root_secret_key = sk;
    if (config.root_access_key.size() < 3 || config.root_secret_key.size() < 8) {
      return absl::InvalidArgumentError(
          "root access key must be >= 3 characters and secret key >= 8 characters");
    }
  }
  return config;
}

}  // namespace sb::server
