// Sealed audit segments, for shipping them elsewhere and pruning them locally
// (docs/audit.md, "Shipping and local retention"). Reads files only. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::audit {

// A segment the writer has moved past: it never changes again, and AuditLog sealed it with
// a signed checkpoint at its last record.
struct SealedSegment {
  std::string name;  // e.g. "seg-00000003.log"
  std::string path;
  uint64_t first_seq = 0;  // 0 if the segment holds no record
  uint64_t last_seq = 0;   // the record before the next segment's first
  int64_t mtime_unix_nanos = 0;
};

// Every segment of the log in `dir` but the newest (the one being written), oldest first.
// NotFound if `dir` does not exist.
absl::StatusOr<std::vector<SealedSegment>> ListSealedSegments(const std::string& dir);

// The lines of `dir`/checkpoints.log whose checkpoint seq is at most `through_seq`: with
// the segments up to that seq, a set that `audit verify` checks on its own.
absl::StatusOr<std::string> CheckpointsThrough(const std::string& dir, uint64_t through_seq);

}  // namespace sb::audit
