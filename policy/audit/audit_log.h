// AuditLog: the tamper-evident, hash-chained audit log writer (docs/audit.md).
// Records go to <dir>/seg-NNNNNNNN.log, signed checkpoints to <dir>/checkpoints.log.
// Thread-safe: Append may be called from any number of threads; concurrent appends are
// group-committed (one leader writes and fdatasyncs the whole batch).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "policy/audit/audit_record.h"

namespace sb::audit {

namespace internal {
class AppendFile;
class DirLock;
class Ed25519Signer;
struct EncodedLine;
}  // namespace internal

enum class AuditMode {
  // Append returns OK only once the record is on disk (fdatasync); any write failure fails
  // the Append, so the caller fails the request. The default.
  kFailClosed,
  // Append writes without waiting for fdatasync and never fails: errors are logged and
  // counted in DroppedCount(). Data is synced at checkpoints, rotation and Close.
  kBestEffort,
};

struct AuditOptions {
  std::string dir;                                      // e.g. <meta>/audit; created if missing
  uint64_t segment_bytes = 64ull << 20;                 // rotate before a segment exceeds this
  uint64_t checkpoint_every_records = 1000;             // sign the head after N new records...
  absl::Duration checkpoint_every = absl::Seconds(60);  // ...or this long after the last one
  std::string private_key_pem;   // Ed25519 PKCS#8 PEM; if empty, key_path is used
  std::string key_path;          // empty: <dir>/audit-key.pem, generated on first start
  const Clock* clock = nullptr;  // null: SystemClock::Get(); must outlive the log
  AuditMode mode = AuditMode::kFailClosed;
  // Observes the duration of every segment fdatasync (seconds); null: not measured. Not
  // owned; must outlive the log.
  metrics::Histogram* sync_seconds = nullptr;
};

// A consistent snapshot for monitoring (AuditLog::Stats).
struct AuditStats {
  uint64_t head_seq = 0;  // last appended record
  uint64_t pending = 0;   // appends queued or in the batch being written, not yet durable
  uint64_t syncs = 0;     // SyncCount()
  uint64_t dropped = 0;   // DroppedCount()
  bool failed = false;    // a write or sync failed; appends fail (fail-closed) until reopen
};

class AuditLog {
 public:
  // Opens (or creates) the log in options.dir and recovers the chain head from the last
  // segment. A torn final line (crash mid-write) is truncated and logged. InvalidArgument on
  // bad options or key; FailedPrecondition if another writer holds the directory; DataLoss
  // if the last complete line is corrupt or a checkpoint is beyond the recovered head.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const AuditOptions& options);

  // Calls Close(), logging (not returning) its error.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `record` (time 0 is stamped with the clock). Fail-closed: returns OK only after
  // the record is durable, Unavailable if it could not be written or the log failed earlier
  // (a failed fdatasync poisons the log until reopen), FailedPrecondition after Close.
  // Best-effort: always OK.
  absl::Status Append(const AuditRecord& record);

  // Writes a final checkpoint covering the head and syncs. Further Appends fail.
  // Idempotent; returns the first error.
  absl::Status Close();

  // PEM SubjectPublicKeyInfo of the checkpoint signing key, for Verify.
  std::string PublicKeyPem() const;

  // Number of fdatasync calls on segment files so far (group commit makes it << records).
  uint64_t SyncCount() const;
  // Records that best-effort mode could not write.
  uint64_t DroppedCount() const;
  // Bytes of a torn final line that Open truncated (0 after a clean shutdown).
  uint64_t TornBytesTruncated() const { return torn_bytes_; }
  // Sequence number of the last appended record (0 when empty).
  uint64_t HeadSeq() const;
  AuditStats Stats() const;
  // OK if appends can succeed now: the log is open, not failed, and its directory is
  // writable. Unavailable (or FailedPrecondition after Close) otherwise. For readiness.
  absl::Status CheckWritable() const;
  // CheckWritable without the I/O: OK unless the log failed (poisoned) or was closed.
  // Cheap enough to ask once per request.
  absl::Status Accepting() const;
  AuditMode mode() const { return options_.mode; }

 private:
  struct Waiter;
  explicit AuditLog(const AuditOptions& options);

  absl::Status Recover();
  // Chains the batch's records after (*seq, *hash), advancing both; stamps time 0.
  std::vector<internal::EncodedLine> EncodeBatch(const std::vector<Waiter*>& batch, uint64_t* seq,
                                                 std::string* hash) const;
  // Leader-only (see the comment at the top of audit_log.cc); called without mu_.
  // Writes the encoded lines, rotating segments as needed; sets *poisoned when a failure
  // leaves the files in a state that does not match the in-memory head.
  // Records follow (prev_seq, prev_hash), the head before the batch.
  absl::Status WriteBatch(const std::vector<internal::EncodedLine>& lines, uint64_t prev_seq,
                          const std::string& prev_hash, bool* poisoned);
  absl::Status SyncSegment();
  // Seals the current segment (a checkpoint at its last record) and starts the next one.
  absl::Status RotateSegment(uint64_t last_seq, const std::string& last_hash);
  bool CheckpointDue(uint64_t head_seq) const;
  // Signs and durably appends a checkpoint; errors it can retry later are only logged, so a
  // returned error means the checkpoint file is in an unknown state.
  absl::Status TryCheckpoint(uint64_t seq, const std::string& hash);
  // Marks the log failed and answers every queued append.
  void Poison(const absl::Status& cause) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const AuditOptions options_;
  const Clock& clock_;
  std::unique_ptr<internal::Ed25519Signer> signer_;
  std::unique_ptr<internal::DirLock> lock_;
  uint64_t torn_bytes_ = 0;

  // Owned by the current leader (the Waiter at the front of queue_); only it touches these,
  // outside mu_, so the file I/O of one batch overlaps with the queueing of the next.
  std::unique_ptr<internal::AppendFile> segment_;
  uint64_t segment_number_ = 0;
  bool segment_dirty_ = false;  // written since the last fdatasync
  std::unique_ptr<internal::AppendFile> checkpoints_;
  uint64_t checkpoint_seq_ = 0;
  absl::Time checkpoint_time_;

  mutable absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t head_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::string head_hash_ ABSL_GUARDED_BY(mu_);
  absl::Status failed_ ABSL_GUARDED_BY(mu_);  // sticky: set when durability is unknown
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status close_status_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> sync_count_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace sb::audit
