// Searching an audit log directory for records ("who touched this object, and which policy
// let them"). A linear scan of the segments in seq order; it does not verify the chain (use
// Verify for that) and skips lines it cannot parse. Thread-safe; reads files only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/audit/audit_record.h"

namespace sb::audit {

// All set fields must match (AND). Unset fields match everything.
struct AuditFilter {
  std::optional<std::string> bucket;
  std::optional<std::string> key;  // exact, or a prefix if key_is_prefix
  bool key_is_prefix = false;
  std::optional<std::string> access_key;
  std::optional<std::string> user;
  std::optional<std::string> operation;
  // Matches the access key or the user name.
  std::optional<std::string> principal;
  std::optional<bool> allowed;  // the authorization decision (false: denied)
  uint64_t after_seq = 0;       // only records with a larger seq (a tail cursor)
  // Keep the newest `limit` matches instead of the oldest (`tail`); truncated then says
  // that older matches were dropped.
  bool newest = false;
  std::optional<int64_t> from_unix_nanos;  // inclusive
  std::optional<int64_t> to_unix_nanos;    // exclusive
  size_t limit = 1000;                     // at most this many records are returned
};

struct QueryResult {
  std::vector<LoggedRecord> records;  // in seq order (oldest first)
  bool truncated = false;             // more records matched than `limit`
  uint64_t unreadable_lines = 0;      // lines skipped because they did not parse
};

// True iff `record` matches every set field of `filter`.
bool Matches(const AuditFilter& filter, const AuditRecord& record);

// Scans `dir` for records matching `filter`. NotFound if `dir` does not exist; Internal on
// read errors.
absl::StatusOr<QueryResult> Query(const std::string& dir, const AuditFilter& filter);

}  // namespace sb::audit
