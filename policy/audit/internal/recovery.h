// Start-up recovery for AuditLog: finds the chain head in the last segment and the last
// checkpoint, truncating a torn final line (crash mid-write) in either file. Only the tail
// is examined; earlier corruption is left for Verify to report. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace sb::audit::internal {

struct RecoveredChain {
  uint64_t segment_number = 0;  // segment to append to (0: none exists yet)
  uint64_t head_seq = 0;        // 0 when the log holds no record
  std::string head_hash;        // kZeroHash when head_seq == 0
  uint64_t torn_bytes = 0;      // bytes truncated from the end of the last segment(s)
};

// DataLoss naming file and line if the last complete record line does not parse or its
// hash does not match; Internal on I/O errors.
absl::StatusOr<RecoveredChain> RecoverChain(const std::string& dir);

struct RecoveredCheckpoint {
  bool present = false;
  uint64_t seq = 0;
  int64_t time_unix_nanos = 0;
  uint64_t torn_bytes = 0;
};

// Reads the last checkpoint in `path` (a missing file is an empty one). DataLoss if the last
// complete line does not parse.
absl::StatusOr<RecoveredCheckpoint> RecoverLastCheckpoint(const std::string& path);

}  // namespace sb::audit::internal
