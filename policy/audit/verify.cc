#include "policy/audit/verify.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"
#include "policy/audit/internal/signer.h"

namespace sb::audit {
namespace {

using internal::Checkpoint;

struct SignedCheckpoint {
  Checkpoint checkpoint;
  uint64_t line = 0;  // in checkpoints.log
};

// Walks the record chain, remembering the first failure. Each method returns false once a
// failure has been recorded.
class ChainVerifier {
 public:
  ChainVerifier(VerifyReport& report, std::vector<SignedCheckpoint> checkpoints)
      : report_(report), checkpoints_(std::move(checkpoints)) {
    report_.head_hash = std::string(internal::kZeroHash);
  }

  // Starts the chain after the (already signature-checked) checkpoint `index`: records up
  // to its seq are skipped and its hash is the expected `prev` of the next one.
  void AnchorAt(size_t index) {
    const SignedCheckpoint& cp = checkpoints_[index];
    report_.head_seq = cp.checkpoint.seq;
    report_.head_hash = cp.checkpoint.hash;
    report_.last_checkpoint_seq = cp.checkpoint.seq;
    report_.anchored_at_seq = cp.checkpoint.seq;
    report_.checkpoints_checked = index + 1;
    next_checkpoint_ = index + 1;
  }

  bool Fail(VerifyFailureKind kind, const std::string& file, uint64_t line, uint64_t seq,
            std::string detail) {
    report_.failure = VerifyFailure{kind, file, line, seq, std::move(detail)};
    return false;
  }

  bool CheckSegment(const internal::SegmentFile& segment) {
    ++report_.segments;
    absl::StatusOr<std::unique_ptr<internal::LineReader>> reader =
        internal::LineReader::Open(segment.path);
    if (!reader.ok()) {
      io_error_ = reader.status();
      return false;
    }
    std::string_view line;
    bool complete = false;
    while ((*reader)->Next(&line, &complete)) {
      last_file_ = segment.name;
      last_line_ = (*reader)->line_number();
      if (!CheckLine(segment.name, last_line_, line, complete)) return false;
    }
    io_error_ = (*reader)->status();
    return io_error_.ok();
  }

  // After the last segment: every checkpoint must have been reached.
  bool CheckEnd() {
    if (next_checkpoint_ >= checkpoints_.size()) return true;
    const SignedCheckpoint& cp = checkpoints_[next_checkpoint_];
    return Fail(VerifyFailureKind::kMissingRecords, last_file_, last_line_ + 1,
                report_.head_seq + 1,
                absl::StrCat("checkpoint at seq ", cp.checkpoint.seq, " (checkpoints.log line ",
                             cp.line, ") but the log ends at seq ", report_.head_seq,
                             ": records were truncated or a segment was deleted"));
  }

  const absl::Status& io_error() const { return io_error_; }

 private:
  bool CheckLine(const std::string& file, uint64_t line_number, std::string_view line,
                 bool complete) {
    const uint64_t expected = report_.head_seq + 1;
    if (!complete) {
      return Fail(VerifyFailureKind::kBadJson, file, line_number, expected,
                  "incomplete final line (a crash mid-write; reopening the log truncates it)");
    }
    absl::StatusOr<LoggedRecord> record = internal::DecodeRecord(line);
    if (!record.ok()) {
      return Fail(VerifyFailureKind::kBadJson, file, line_number, expected,
                  std::string(record.status().message()));
    }
    if (record->seq <= report_.anchored_at_seq) return true;  // vouched for by the anchor
    absl::StatusOr<std::string> hash = internal::CanonicalHash(line);
    if (!hash.ok()) {
      return Fail(VerifyFailureKind::kBadJson, file, line_number, record->seq,
                  std::string(hash.status().message()));
    }
    if (*hash != record->hash) {
      return Fail(VerifyFailureKind::kHashMismatch, file, line_number, record->seq,
                  absl::StrCat("stored hash ", record->hash, " but the line hashes to ", *hash));
    }
    if (record->seq != expected) {
      return Fail(VerifyFailureKind::kSeqGap, file, line_number, record->seq,
                  absl::StrCat("expected seq ", expected, ", found ", record->seq));
    }
    if (record->prev != report_.head_hash) {
      return Fail(VerifyFailureKind::kBrokenPrevLink, file, line_number, record->seq,
                  absl::StrCat("prev is ", record->prev, " but the previous record's hash is ",
                               report_.head_hash));
    }
    ++report_.records_checked;
    report_.head_seq = record->seq;
    report_.head_hash = record->hash;
    return CheckCheckpointAt(file, line_number);
  }

  bool CheckCheckpointAt(const std::string& file, uint64_t line_number) {
    if (next_checkpoint_ >= checkpoints_.size() ||
        checkpoints_[next_checkpoint_].checkpoint.seq != report_.head_seq) {
      return true;
    }
    const SignedCheckpoint& cp = checkpoints_[next_checkpoint_++];
    if (cp.checkpoint.hash != report_.head_hash) {
      return Fail(VerifyFailureKind::kCheckpointHashMismatch, file, line_number, report_.head_seq,
                  absl::StrCat("the chain differs from the checkpoint signed at seq ",
                               cp.checkpoint.seq, " (checkpoints.log line ", cp.line,
                               "): a record with seq in (", report_.last_checkpoint_seq, ", ",
                               cp.checkpoint.seq, "] was altered and re-hashed"));
    }
    ++report_.checkpoints_checked;
    report_.last_checkpoint_seq = cp.checkpoint.seq;
    return true;
  }

  VerifyReport& report_;
  std::vector<SignedCheckpoint> checkpoints_;
  size_t next_checkpoint_ = 0;
  std::string last_file_;
  uint64_t last_line_ = 0;
  absl::Status io_error_;
};

// Phase 1: parses checkpoints.log and checks every signature and that seqs increase.
// Returns the checkpoints, or records a failure in `report` and returns nullopt.
absl::StatusOr<std::optional<std::vector<SignedCheckpoint>>> ReadCheckpoints(
    const std::string& dir, const internal::Ed25519Verifier& key, VerifyReport& report) {
  std::vector<SignedCheckpoint> out;
  const std::string name(internal::kCheckpointFileName);
  absl::StatusOr<std::unique_ptr<internal::LineReader>> reader =
      internal::LineReader::Open(absl::StrCat(dir, "/", name));
  if (absl::IsNotFound(reader.status())) return out;
  if (!reader.ok()) return reader.status();
  const auto fail = [&](VerifyFailureKind kind, uint64_t line, uint64_t seq, std::string detail) {
    report.failure = VerifyFailure{kind, name, line, seq, std::move(detail)};
    return std::optional<std::vector<SignedCheckpoint>>();
  };
  std::string_view line;
  bool complete = false;
  while ((*reader)->Next(&line, &complete)) {
    const uint64_t number = (*reader)->line_number();
    if (!complete)
      return fail(VerifyFailureKind::kBadCheckpoint, number, 0, "incomplete final line");
    absl::StatusOr<Checkpoint> cp = internal::DecodeCheckpoint(line);
    if (!cp.ok()) {
      return fail(VerifyFailureKind::kBadCheckpoint, number, 0, std::string(cp.status().message()));
    }
    if (!out.empty() && cp->seq <= out.back().checkpoint.seq) {
      return fail(VerifyFailureKind::kBadCheckpoint, number, cp->seq,
                  absl::StrCat("seq ", cp->seq, " does not follow the previous checkpoint's ",
                               out.back().checkpoint.seq));
    }
    if (!key.Verify(internal::CheckpointSigningInput(*cp), cp->signature)) {
      return fail(VerifyFailureKind::kCheckpointSignatureInvalid, number, cp->seq,
                  cp->key_id == key.key_id()
                      ? std::string("signature does not verify")
                      : absl::StrCat("signature does not verify (checkpoint names key ", cp->key_id,
                                     ", verifying with ", key.key_id(), ")"));
    }
    out.push_back(SignedCheckpoint{*std::move(cp), number});
  }
  SB_RETURN_IF_ERROR((*reader)->status());
  return out;
}

}  // namespace

std::string_view VerifyFailureKindName(VerifyFailureKind kind) {
  switch (kind) {
    case VerifyFailureKind::kBadJson:
      return "bad-json";
    case VerifyFailureKind::kHashMismatch:
      return "hash-mismatch";
    case VerifyFailureKind::kBrokenPrevLink:
      return "broken-prev-link";
    case VerifyFailureKind::kSeqGap:
      return "seq-gap";
    case VerifyFailureKind::kBadCheckpoint:
      return "bad-checkpoint";
    case VerifyFailureKind::kCheckpointSignatureInvalid:
      return "checkpoint-signature-invalid";
    case VerifyFailureKind::kCheckpointHashMismatch:
      return "checkpoint-hash-mismatch";
    case VerifyFailureKind::kMissingRecords:
      return "missing-records";
  }
  return "unknown";
}

absl::StatusOr<VerifyReport> Verify(const std::string& dir, std::string_view public_key_pem,
                                    const VerifyOptions& options) {
  SB_ASSIGN_OR_RETURN(internal::Ed25519Verifier key,
                      internal::Ed25519Verifier::FromPem(public_key_pem));
  SB_ASSIGN_OR_RETURN(std::vector<internal::SegmentFile> segments, internal::ListSegments(dir));
  VerifyReport report;
  SB_ASSIGN_OR_RETURN(std::optional<std::vector<SignedCheckpoint>> checkpoints,
                      ReadCheckpoints(dir, key, report));
  if (!checkpoints.has_value()) return report;
  std::optional<size_t> anchor;
  if (options.from_unix_nanos > 0) {
    for (size_t i = 0; i < checkpoints->size(); ++i) {
      if ((*checkpoints)[i].checkpoint.time_unix_nanos <= options.from_unix_nanos) anchor = i;
    }
  }
  // A pruned log (older segments shipped and removed, docs/audit.md) starts after seq 1:
  // the checkpoint that sealed the last removed segment anchors it, and must exist.
  if (!segments.empty()) {
    const std::optional<uint64_t> first = internal::FirstRecordSeq(segments.front().path);
    if (first.has_value() && *first > 1 &&
        (!anchor.has_value() || (*checkpoints)[*anchor].checkpoint.seq < *first - 1)) {
      anchor.reset();
      for (size_t i = 0; i < checkpoints->size(); ++i) {
        if ((*checkpoints)[i].checkpoint.seq == *first - 1) anchor = i;
      }
      if (!anchor.has_value()) {
        report.failure = VerifyFailure{
            VerifyFailureKind::kMissingRecords, segments.front().name, 1, *first,
            absl::StrCat("the log starts at seq ", *first, " and no signed checkpoint seals seq ",
                         *first - 1, ": records before it were removed")};
        return report;
      }
    }
  }
  ChainVerifier chain(report, *std::move(checkpoints));
  if (anchor.has_value()) chain.AnchorAt(*anchor);
  for (size_t i = 0; i < segments.size(); ++i) {
    const internal::SegmentFile& segment = segments[i];
    // A segment is skipped unread when the next one starts at or before the anchor.
    if (anchor.has_value() && i + 1 < segments.size()) {
      std::optional<uint64_t> next_first = internal::FirstRecordSeq(segments[i + 1].path);
      if (next_first.has_value() && *next_first <= report.anchored_at_seq + 1) continue;
    }
    if (!chain.CheckSegment(segment)) {
      SB_RETURN_IF_ERROR(chain.io_error());
      return report;
    }
  }
  if (chain.CheckEnd()) report.ok = true;
  return report;
}

}  // namespace sb::audit
