// Encoding of audit records and checkpoints as JSON lines, and the SHA-256 hash chain
// definition. The byte layout is a storage format: see docs/audit.md before
// changing anything here. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "policy/audit/audit_record.h"

namespace sb::audit::internal {

// Hash value of the "previous record" of seq 1: 64 ASCII zeros.
inline constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Appends `s` to `out` as a JSON string literal. Invalid UTF-8 bytes become U+FFFD so the
// line is always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);

struct EncodedLine {
  std::string line;  // complete line including the trailing '\n'
  std::string hash;  // hex SHA-256 of the canonical line
};

// Serializes `record` at chain position `seq` after a record whose hash is `prev`.
EncodedLine EncodeRecord(const AuditRecord& record, uint64_t seq, std::string_view prev);

// Recomputes the hash of a stored line (without '\n'): SHA-256 of the line with its final
// `,"hash":"<64 hex>"` member removed. InvalidArgument if the line does not end with that
// member.
absl::StatusOr<std::string> CanonicalHash(std::string_view line);

// Parses a stored record line (without '\n'). InvalidArgument naming the problem if it is
// not JSON, not an object, or lacks a field of the right type. Does not check the hash.
absl::StatusOr<LoggedRecord> DecodeRecord(std::string_view line);

// A signed statement "the chain head at `seq` has hash `hash`".
struct Checkpoint {
  uint64_t seq = 0;
  std::string hash;
  int64_t time_unix_nanos = 0;
  std::string key_id;     // hex, first 16 bytes of SHA-256 of the raw Ed25519 public key
  std::string signature;  // hex Ed25519 signature over CheckpointSigningInput()
};

// The exact bytes that are signed: fixed text, one "name=value" per line.
std::string CheckpointSigningInput(const Checkpoint& checkpoint);

// One JSON line including '\n'.
std::string EncodeCheckpoint(const Checkpoint& checkpoint);

// Parses a checkpoint line (without '\n'); InvalidArgument if malformed.
absl::StatusOr<Checkpoint> DecodeCheckpoint(std::string_view line);

}  // namespace sb::audit::internal
