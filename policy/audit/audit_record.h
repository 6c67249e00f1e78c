// AuditRecord: one audited request, as a plain struct (policy never sees HTTP types; the
// gateway copies status codes and error names into plain fields). Serialization to the
// hash-chained JSON line lives in internal/record_codec.h; see docs/audit.md.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sb::audit {

// Who sent the request, as established by authentication. Empty access_key = anonymous.
struct AuditPrincipal {
  std::string access_key;
  std::string user;
  std::vector<std::string> groups;
  std::string session;    // STS session name, if any
  std::string source_ip;  // peer address as text
  bool tls = false;

  bool operator==(const AuditPrincipal&) const = default;
};

// What authorization decided and which rule decided it ("which policy let them").
struct AuditDecision {
  bool allowed = false;
  std::string decided_by;    // e.g. "root", "bucket-policy", "implicit-deny", "auth-failed"
  std::string policy_id;     // id of the deciding policy document, if any
  std::string statement_id;  // Sid of the deciding statement, if any

  bool operator==(const AuditDecision&) const = default;
};

struct AuditRecord {
  int64_t time_unix_nanos = 0;  // 0 = stamped by AuditLog::Append with its clock
  std::string request_id;
  AuditPrincipal principal;
  std::string operation;  // e.g. "PutObject"
  std::string bucket;
  std::string key;
  std::string version_id;
  AuditDecision decision;
  int32_t http_status = 0;
  std::string error_code;  // S3 error code name, empty on success
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t latency_micros = 0;
  std::string etag;

  bool operator==(const AuditRecord&) const = default;
};

// A record as stored in the log, with its chain position.
struct LoggedRecord {
  uint64_t seq = 0;
  std::string prev;  // hex SHA-256, the previous record's hash
  std::string hash;  // hex SHA-256 of this record's canonical line
  AuditRecord record;
};

}  // namespace sb::audit
