// Offline verification of an audit log directory: the hash chain, sequence numbers and
// signed checkpoints (algorithm in docs/audit.md). Reads files only; safe to run
// while a writer appends (an incomplete final line is then reported). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sb::audit {

enum class VerifyFailureKind {
  kBadJson,                     // a line is not a well-formed record (or is incomplete)
  kHashMismatch,                // a record's hash is not the hash of its canonical line
  kBrokenPrevLink,              // prev is not the previous record's hash
  kSeqGap,                      // seq is not previous seq + 1 (line deleted or reordered)
  kBadCheckpoint,               // a checkpoint line is malformed or seq does not increase
  kCheckpointSignatureInvalid,  // a checkpoint signature does not verify with the key
  kCheckpointHashMismatch,      // the chain at a checkpoint's seq differs from the signed hash
  kMissingRecords,              // a checkpoint references a seq beyond the end of the log
};

std::string_view VerifyFailureKindName(VerifyFailureKind kind);

struct VerifyFailure {
  VerifyFailureKind kind;
  std::string file;   // file name within the directory, e.g. "seg-00000002.log"
  uint64_t line = 0;  // 1-based line number in `file`; 0 if not applicable
  uint64_t seq = 0;   // seq of the record (or checkpoint) concerned, 0 if unknown
  std::string detail;
};

struct VerifyReport {
  bool ok = false;
  uint64_t records_checked = 0;      // records whose hash, link and seq were checked
  uint64_t checkpoints_checked = 0;  // checkpoints whose signature and hash were checked
  uint64_t segments = 0;
  uint64_t head_seq = 0;  // last record seq reached
  std::string head_hash;
  uint64_t last_checkpoint_seq = 0;      // records after it are chained but not yet signed
  std::optional<VerifyFailure> failure;  // the first problem found; empty iff ok
  // With VerifyOptions::from_unix_nanos: the records up to this seq were not read; the
  // signed checkpoint at this seq anchors the chain instead. 0: checked from the start.
  uint64_t anchored_at_seq = 0;
};

struct VerifyOptions {
  // Check from the last signed checkpoint taken at or before this time (Unix nanoseconds):
  // its signature vouches for the chain up to its seq, so the records before it are
  // skipped (whole segments unread). 0, or no such checkpoint: from the first record.
  int64_t from_unix_nanos = 0;
};

// Verifies the log in `dir` against the Ed25519 public key `public_key_pem`. Tampering is
// reported in the report (ok=false), not as an error. InvalidArgument if the key is not an
// Ed25519 public key PEM; NotFound if `dir` does not exist; Internal on read errors.
absl::StatusOr<VerifyReport> Verify(const std::string& dir, std::string_view public_key_pem,
                                    const VerifyOptions& options = {});

}  // namespace sb::audit
