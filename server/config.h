// Server configuration: parsed once at startup from flags, environment and an optional
// JSON file (flags override env override file) and validated; errors are fatal.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::server {

struct Config {
  std::string host = "127.0.0.1";
  int port = 9000;
  std::string data_dir = "./data";
  std::vector<std::string> drives;  // default: <data>/drives/d1..d4
  std::string meta_dir;             // default: <data>/meta
  int parity = -1;                  // -1: default for the drive count
  std::string region = "us-east-1";
  // --domain: a Host of BUCKET.D[:port] addresses BUCKET (virtual-host style); lowercase.
  std::vector<std::string> domains;
  std::string kms_key_file;  // KMS root key file; empty: $STRONGBOX_KMS_KEY or <meta>/kms-root.key
  bool audit_best_effort = false;  // default fail-closed: no response before its record is durable
  uint64_t audit_segment_bytes = 64ull << 20;  // rotate audit segments at this size
  // Shipping sealed audit segments into a COMPLIANCE-locked bucket (server/audit_shipper.h).
  std::string audit_ship_bucket;  // empty: off
  std::string audit_ship_prefix = "audit/";
  int audit_ship_interval_seconds = 60;
  int64_t audit_local_retention_seconds = 0;  // 0: keep local segments
  // The lifecycle worker (server/lifecycle_worker.h).
  int lifecycle_interval_seconds = 3600;
  int lifecycle_day_seconds = 86400;  // tests only: a shorter lifecycle "day"
  int lifecycle_max_deletes_per_second = 1000;
  // Measurement only (docs/security.md): new objects without SSE headers, in buckets
  // without a default, are stored unencrypted. Warned about at every start.
  bool insecure_no_encryption = false;
  int sts_min_duration_seconds = 900;  // AssumeRole's shortest DurationSeconds (AWS: 900)
  // HTTPS on the S3 port when both are set (PEM files; reloaded on SIGHUP).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;  // mutual TLS: CA that verifies optional client certificates
  std::string root_access_key;     // from the environment only
  std::string root_secret_key;
};

// Parses argv (CLI11), STRONGBOX_* environment variables and --config FILE.
// InvalidArgument with a readable message for bad input; the caller prints and exits 2.
// Returns NotFound-free OK with `*exit_now` set for --help / --version output.
absl::StatusOr<Config> LoadConfig(int argc, char** argv, bool* exit_now);

// Expands "/mnt/d{1...4}" into /mnt/d1../mnt/d4 and splits comma lists.
absl::StatusOr<std::vector<std::string>> ExpandDrives(const std::string& spec);

}  // namespace sb::server
