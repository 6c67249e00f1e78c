#include "policy/audit/audit_log.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"
#include "policy/audit/internal/recovery.h"
#include "policy/audit/internal/signer.h"

// Group commit (as in LevelDB's DBImpl::Write): every Append queues a Waiter. The Waiter at
// the front of queue_ is the leader: it takes up to kMaxBatch queued records, releases mu_,
// encodes them into the chain, writes them with one write(2) per segment touched and one
// fdatasync, then re-locks, completes the whole batch and wakes the next front Waiter.
// While a leader does I/O, new appenders queue behind it and form the next batch, so under
// load one fdatasync covers many records. Only the leader touches segment_/checkpoints_.
//
// Checkpoints are taken by the leader right after a durable batch when N records or T time
// have passed since the last one; there is no background thread (an idle log has nothing
// new to sign) and Close() signs the final head.

namespace sb::audit {
namespace {

constexpr size_t kMaxBatch = 512;

absl::Status Unavailable(const absl::Status& cause) {
  return absl::UnavailableError(absl::StrCat("audit log: ", cause.message()));
}

}  // namespace

struct AuditLog::Waiter {
  explicit Waiter(const AuditRecord* r) : record(r) {}
  const AuditRecord* record;  // null for a Close request
  absl::Status status;
  bool done = false;
  absl::CondVar cv;
};

AuditLog::AuditLog(const AuditOptions& options)
    : options_(options), clock_(options.clock != nullptr ? *options.clock : SystemClock::Get()) {}

AuditLog::~AuditLog() {
  absl::Status status = Close();
  if (!status.ok()) {
    Log(LogLevel::kError, "audit: close failed", {{"error", status.ToString()}});
  }
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const AuditOptions& options) {
  if (options.dir.empty()) return absl::InvalidArgumentError("audit: dir is required");
  if (options.segment_bytes == 0 || options.checkpoint_every_records == 0 ||
      options.checkpoint_every <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("audit: segment size and checkpoint intervals must be > 0");
  }
  std::unique_ptr<AuditLog> log(new AuditLog(options));
  SB_RETURN_IF_ERROR(log->Recover());
  return log;
}

absl::Status AuditLog::Recover() {
  const std::string& dir = options_.dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("audit: create ", dir, ": ", ec.message()));
  SB_ASSIGN_OR_RETURN(
      lock_, internal::DirLock::Acquire(absl::StrCat(dir, "/", AsAbsl(internal::kLockFileName))));

  absl::StatusOr<internal::Ed25519Signer> signer =
      !options_.private_key_pem.empty()
          ? internal::Ed25519Signer::FromPrivatePem(options_.private_key_pem)
          : internal::Ed25519Signer::LoadOrCreate(
                !options_.key_path.empty()
                    ? options_.key_path
                    : absl::StrCat(dir, "/", AsAbsl(internal::kKeyFileName)));
  if (!signer.ok()) return signer.status();
  signer_ = std::make_unique<internal::Ed25519Signer>(*std::move(signer));
  // A convenience copy for offline verification; Verify must be given a key from a trusted
  // place, since whoever can edit this directory can also replace this file.
  const std::string pub_path = absl::StrCat(dir, "/", AsAbsl(internal::kPublicKeyFileName));
  if (!std::filesystem::exists(pub_path, ec)) {
    std::ofstream(pub_path) << signer_->public_key_pem();
  }

  SB_ASSIGN_OR_RETURN(internal::RecoveredChain chain, internal::RecoverChain(dir));
  const std::string checkpoint_path = absl::StrCat(dir, "/", AsAbsl(internal::kCheckpointFileName));
  SB_ASSIGN_OR_RETURN(internal::RecoveredCheckpoint checkpoint,
                      internal::RecoverLastCheckpoint(checkpoint_path));
  if (checkpoint.seq > chain.head_seq) {
    return absl::DataLossError(absl::StrCat(
        "audit: checkpoint at seq ", checkpoint.seq, " is beyond the last record (seq ",
        chain.head_seq, "): records were truncated or deleted; run audit verify"));
  }
  torn_bytes_ = chain.torn_bytes + checkpoint.torn_bytes;
  segment_number_ = std::max<uint64_t>(chain.segment_number, 1);
  SB_ASSIGN_OR_RETURN(segment_, internal::AppendFile::Open(absl::StrCat(
                                    dir, "/", internal::SegmentFileName(segment_number_))));
  SB_ASSIGN_OR_RETURN(checkpoints_, internal::AppendFile::Open(checkpoint_path));
  SB_RETURN_IF_ERROR(internal::FsyncDir(dir));
  checkpoint_seq_ = checkpoint.seq;
  checkpoint_time_ =
      checkpoint.present ? absl::FromUnixNanos(checkpoint.time_unix_nanos) : clock_.Now();
  absl::MutexLock lock(&mu_);
  head_seq_ = chain.head_seq;
  head_hash_ = chain.head_hash;
  return absl::OkStatus();
}

absl::Status AuditLog::Append(const AuditRecord& record) {
  Waiter self(&record);
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::FailedPreconditionError("audit log is closed");
  if (!failed_.ok()) {
    if (options_.mode == AuditMode::kFailClosed) return failed_;
    ++dropped_;
    return absl::OkStatus();
  }
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.Wait(&mu_);
  if (self.done) return self.status;

  // Leader. Poison() and Close() drain the queue, so a front Waiter always finds the log open.
  size_t count = 0;
  while (count < queue_.size() && count < kMaxBatch && queue_[count]->record != nullptr) ++count;
  std::vector<Waiter*> batch(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(count));
  uint64_t seq = head_seq_;
  std::string hash = head_hash_;
  mu_.Unlock();

  const uint64_t prev_seq = seq;
  const std::string prev_hash = hash;
  const std::vector<internal::EncodedLine> lines = EncodeBatch(batch, &seq, &hash);
  bool poisoned = false;
  absl::Status status = WriteBatch(lines, prev_seq, prev_hash, &poisoned);
  absl::Status checkpoint_status;
  if (status.ok() && CheckpointDue(seq)) checkpoint_status = TryCheckpoint(seq, hash);

  mu_.Lock();
  if (status.ok()) {
    head_seq_ = seq;
    head_hash_ = hash;
  } else if (options_.mode == AuditMode::kBestEffort) {
    dropped_ += batch.size();
    Log(LogLevel::kError, "audit: dropped records (best-effort mode)",
        {{"count", std::to_string(batch.size())}, {"error", status.ToString()}});
  }
  const absl::Status reply = options_.mode == AuditMode::kBestEffort || status.ok()
                                 ? absl::OkStatus()
                                 : Unavailable(status);
  for (Waiter* w : batch) {
    queue_.pop_front();
    w->status = reply;
    w->done = true;
    if (w != &self) w->cv.Signal();
  }
  if (poisoned) Poison(status);
  if (!checkpoint_status.ok()) Poison(checkpoint_status);
  if (!queue_.empty()) queue_.front()->cv.Signal();
  return self.status;
}

std::vector<internal::EncodedLine> AuditLog::EncodeBatch(const std::vector<Waiter*>& batch,
                                                         uint64_t* seq, std::string* hash) const {
  const int64_t now = absl::ToUnixNanos(clock_.Now());
  std::vector<internal::EncodedLine> lines;
  lines.reserve(batch.size());
  for (const Waiter* w : batch) {
    internal::EncodedLine encoded;
    if (w->record->time_unix_nanos == 0) {
      AuditRecord stamped = *w->record;
      stamped.time_unix_nanos = now;
      encoded = internal::EncodeRecord(stamped, ++*seq, *hash);
    } else {
      encoded = internal::EncodeRecord(*w->record, ++*seq, *hash);
    }
    *hash = encoded.hash;
    lines.push_back(std::move(encoded));
  }
  return lines;
}

absl::Status AuditLog::WriteBatch(const std::vector<internal::EncodedLine>& lines,
                                  uint64_t prev_seq, const std::string& prev_hash, bool* poisoned) {
  const bool sync = options_.mode == AuditMode::kFailClosed;
  bool wrote_any = false;
  std::string chunk;
  // Writes `chunk`; a failed write is cut back off so the file ends at the durable head.
  // Anything after part of the batch reached disk leaves the log poisoned instead.
  const auto flush = [&](bool do_sync) -> absl::Status {
    const uint64_t undo = segment_->size();
    absl::Status s = segment_->Append(chunk);
    if (!s.ok()) {
      *poisoned = wrote_any || !segment_->TruncateTo(undo).ok();
      return s;
    }
    wrote_any = true;
    segment_dirty_ = true;
    chunk.clear();
    if (!do_sync) return absl::OkStatus();
    s = SyncSegment();
    *poisoned = !s.ok();
    return s;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i].line;
    const uint64_t used = segment_->size() + chunk.size();
    if (used > 0 && used + line.size() > options_.segment_bytes) {
      if (!chunk.empty()) SB_RETURN_IF_ERROR(flush(true));
      // The segment ends with the record before line i: seal it with a checkpoint there.
      absl::Status s = RotateSegment(prev_seq + i, i == 0 ? prev_hash : lines[i - 1].hash);
      if (!s.ok()) {
        *poisoned = true;
        return s;
      }
    }
    chunk += line;
  }
  return flush(sync);
}

absl::Status AuditLog::SyncSegment() {
  ++sync_count_;
  const absl::Time start = clock_.Now();
  absl::Status synced = segment_->Sync();
  if (options_.sync_seconds != nullptr) {
    options_.sync_seconds->Observe(absl::ToDoubleSeconds(clock_.Now() - start));
  }
  SB_RETURN_IF_ERROR(synced);
  segment_dirty_ = false;
  return absl::OkStatus();
}

absl::Status AuditLog::RotateSegment(uint64_t last_seq, const std::string& last_hash) {
  if (segment_dirty_) SB_RETURN_IF_ERROR(SyncSegment());
  // Every sealed segment ends at a signed checkpoint, so a log whose older segments were
  // shipped and pruned still verifies from its first local segment (docs/audit.md).
  if (last_seq > checkpoint_seq_) SB_RETURN_IF_ERROR(TryCheckpoint(last_seq, last_hash));
  const uint64_t next = segment_number_ + 1;
  SB_ASSIGN_OR_RETURN(
      std::unique_ptr<internal::AppendFile> file,
      internal::AppendFile::Open(absl::StrCat(options_.dir, "/", internal::SegmentFileName(next))));
  // The new name must be durable before records in it are acknowledged.
  SB_RETURN_IF_ERROR(internal::FsyncDir(options_.dir));
  segment_ = std::move(file);
  segment_number_ = next;
  return absl::OkStatus();
}

bool AuditLog::CheckpointDue(uint64_t head_seq) const {
  if (head_seq <= checkpoint_seq_) return false;
  return head_seq - checkpoint_seq_ >= options_.checkpoint_every_records ||
         clock_.Now() - checkpoint_time_ >= options_.checkpoint_every;
}

absl::Status AuditLog::TryCheckpoint(uint64_t seq, const std::string& hash) {
  // A checkpoint must never sign records that could still vanish in a crash.
  if (segment_dirty_) SB_RETURN_IF_ERROR(SyncSegment());
  internal::Checkpoint checkpoint;
  checkpoint.seq = seq;
  checkpoint.hash = hash;
  const absl::Time now = clock_.Now();
  checkpoint.time_unix_nanos = absl::ToUnixNanos(now);
  checkpoint.key_id = signer_->key_id();
  absl::StatusOr<std::string> signature =
      signer_->Sign(internal::CheckpointSigningInput(checkpoint));
  if (!signature.ok()) {
    Log(LogLevel::kError, "audit: checkpoint signing failed; will retry",
        {{"error", signature.status().ToString()}});
    return absl::OkStatus();
  }
  checkpoint.signature = *std::move(signature);
  const uint64_t undo = checkpoints_->size();
  absl::Status status = checkpoints_->Append(internal::EncodeCheckpoint(checkpoint));
  if (!status.ok()) {
    if (!checkpoints_->TruncateTo(undo).ok()) return status;
    Log(LogLevel::kError, "audit: checkpoint write failed; will retry",
        {{"error", status.ToString()}});
    return absl::OkStatus();
  }
  SB_RETURN_IF_ERROR(checkpoints_->Sync());
  checkpoint_seq_ = seq;
  checkpoint_time_ = now;
  return absl::OkStatus();
}

void AuditLog::Poison(const absl::Status& cause) {
  if (!failed_.ok()) return;
  failed_ = Unavailable(cause);
  Log(LogLevel::kError,
      options_.mode == AuditMode::kFailClosed
          ? "audit: log failed; appends fail until it is reopened"
          : "audit: log failed; records are dropped until it is reopened",
      {{"error", cause.ToString()}});
  // Waiters still queued were never written; answer them now so no leader runs again.
  while (!queue_.empty() && queue_.front()->record != nullptr) {
    Waiter* w = queue_.front();
    queue_.pop_front();
    if (options_.mode == AuditMode::kFailClosed) {
      w->status = failed_;
    } else {
      ++dropped_;
    }
    w->done = true;
    w->cv.Signal();
  }
}

absl::Status AuditLog::Close() {
  Waiter self(nullptr);
  absl::MutexLock lock(&mu_);
  if (closed_) return close_status_;
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.Wait(&mu_);
  if (self.done) return self.status;
  absl::Status status = failed_;
  if (status.ok() && segment_ != nullptr) {
    const uint64_t seq = head_seq_;
    const std::string hash = head_hash_;
    mu_.Unlock();
    if (segment_dirty_) status = SyncSegment();
    if (status.ok() && seq > checkpoint_seq_) status = TryCheckpoint(seq, hash);
    mu_.Lock();
  }
  closed_ = true;
  close_status_ = status;
  queue_.pop_front();
  // Appends and Closes that queued behind this Close.
  for (Waiter* w : queue_) {
    w->status =
        w->record == nullptr ? status : absl::FailedPreconditionError("audit log is closed");
    w->done = true;
    w->cv.Signal();
  }
  queue_.clear();
  return status;
}

std::string AuditLog::PublicKeyPem() const { return signer_->public_key_pem(); }
uint64_t AuditLog::SyncCount() const { return sync_count_.load(); }
uint64_t AuditLog::DroppedCount() const { return dropped_.load(); }
uint64_t AuditLog::HeadSeq() const {
  absl::MutexLock lock(&mu_);
  return head_seq_;
}

AuditStats AuditLog::Stats() const {
  AuditStats s;
  s.syncs = sync_count_.load();
  s.dropped = dropped_.load();
  absl::MutexLock lock(&mu_);
  s.head_seq = head_seq_;
  s.pending = queue_.size();
  s.failed = !failed_.ok();
  return s;
}

absl::Status AuditLog::Accepting() const {
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::FailedPreconditionError("audit log is closed");
  return failed_;
}

absl::Status AuditLog::CheckWritable() const {
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError("audit log is closed");
    if (!failed_.ok()) return failed_;
  }
  if (::access(options_.dir.c_str(), W_OK) != 0) {
    return absl::UnavailableError(
        absl::StrCat("audit log directory ", options_.dir, " is not writable: ", strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace sb::audit
