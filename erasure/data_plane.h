// DataPlane: stores object bytes as Reed-Solomon coded shards on a set of local drives.
// Owns the drives; objects are addressed by an opaque DataRef that the caller keeps in
// metadata. Writers stream (bounded memory: a few stripes); readers serve byte ranges.
// Thread-safe: any number of writers and readers may run concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb {
class Clock;
}  // namespace sb

namespace sb::erasure {

struct DataPlaneOptions {
  // Drive folders (each becomes one shard position). 1..16 drives.
  std::vector<std::string> drive_paths;
  // Parity shards M; -1 picks a default from the drive count (4 drives -> 2).
  int parity = -1;
  // Bytes of object data per stripe (split into K data blocks of block_size / K).
  uint32_t block_size = 1 << 20;
  // Time source for data ids (time-ordered so orphans can be swept by age). Not owned;
  // must outlive the plane. nullptr means SystemClock::Get().
  const Clock* clock = nullptr;
};

// Counters since Open(); monotonically increasing.
struct DataPlaneStats {
  uint64_t bitrot_detected = 0;        // blocks or shard headers that failed verification
  uint64_t shard_errors = 0;           // shards missing, unreadable or truncated on read
  uint64_t stripes_reconstructed = 0;  // stripes whose requested bytes were rebuilt from parity
};

// One drive as probed now (DataPlane::ProbeDrives).
struct DriveHealth {
  std::string path;
  // The drive's format file is present and its folder accepts writes (not a read-only file
  // system, not removed or replaced since Open), and it was usable at Open.
  bool online = false;
  std::string problem;       // why it is offline; empty when online
  uint64_t errors = 0;       // failed shard reads/writes on this drive since Open
  uint64_t total_bytes = 0;  // statvfs of the folder; 0 if it could not be read
  uint64_t free_bytes = 0;   // available to this process
};

// Where an object's bytes live. Serialize() output is what metadata stores; it is
// self-contained (no lookup into DataPlane state is needed to read it back).
struct DataRef {
  std::string data_id;  // unique, also the shard file name stem
  uint64_t size = 0;    // object bytes
  uint32_t block_size = 0;
  uint32_t data_shards = 0;
  uint32_t parity_shards = 0;
  uint32_t set_index = 0;

  std::string Serialize() const;
  // Returns InvalidArgument if `bytes` is not a serialized DataRef.
  static absl::StatusOr<DataRef> Parse(std::string_view bytes);
};

// Streams one object into shards. Not thread-safe (one writer per request).
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // Appends bytes; encodes and writes each full stripe as it fills.
  virtual absl::Status Write(std::string_view data) = 0;
  // Flushes the last partial stripe, makes every shard durable (fdatasync) and returns
  // the reference. Fails with Unavailable (reason kQuorumLost) if fewer than the write
  // quorum of shards could be made durable; nothing is left behind in that case.
  // (Write fails the same way as soon as the quorum is lost.) Size-0 objects use no files.
  virtual absl::StatusOr<DataRef> Finish() = 0;
  // Removes whatever was written. Called (or implied by destruction without Finish).
  // A no-op after a successful Finish (use DataPlane::Delete).
  virtual void Abort() = 0;
};

// Receives object bytes in order; returning an error stops the read.
using ByteSink = std::function<absl::Status(std::string_view)>;

class DataPlane {
 public:
  virtual ~DataPlane() = default;

  // Opens (formatting empty drives on first use) the drives in `options`.
  // Fails with FailedPrecondition if a drive belongs to another deployment or slot (or is
  // non-empty and unformatted), InvalidArgument for bad options (drive count, parity,
  // block_size, duplicate drives), Unavailable(kQuorumLost) if too few drives are usable.
  // Layout on disk: docs/on-disk-format.md, "Erasure shards".
  static absl::StatusOr<std::unique_ptr<DataPlane>> Open(const DataPlaneOptions& options);

  // A writer for a new object (the plane's current K+M). Writers may outlive the plane.
  // Unavailable(kQuorumLost) if fewer drives than the write quorum are online.
  virtual absl::StatusOr<std::unique_ptr<ObjectWriter>> NewWriter() = 0;

  // Streams bytes [offset, offset+length) of the object to `sink`, verifying every block
  // checksum and reconstructing from parity when shards are missing or corrupt.
  // DataLoss (reason kDataCorrupted) if fewer than K good shards remain for a stripe;
  // bytes before that stripe may already have been sent. InvalidArgument (kInvalidRange)
  // if the range is outside the object, InvalidArgument if `ref` does not fit this plane.
  virtual absl::Status Read(const DataRef& ref, uint64_t offset, uint64_t length,
                            const ByteSink& sink) = 0;

  // Removes the object's shards. Missing shards are not an error; Unavailable
  // (kQuorumLost) if fewer than a write quorum of shards could be removed.
  virtual absl::Status Delete(const DataRef& ref) = 0;

  // Number of drives and the K+M layout new objects get.
  virtual uint32_t DataShards() const = 0;
  virtual uint32_t ParityShards() const = 0;
  virtual uint32_t DriveCount() const = 0;

  // Shards a write must make durable (K, or K+1 when K == M) and a read needs (K).
  virtual uint32_t WriteQuorum() const { return DataShards(); }
  uint32_t ReadQuorum() const { return DataShards(); }

  // Probes every drive now: a stat of its format file, an access(W_OK) and a statvfs
  // (cheap enough for a readiness probe). Implementations without drives return none.
  virtual std::vector<DriveHealth> ProbeDrives() const { return {}; }
  // OK if at least WriteQuorum() drives probe online; Unavailable(kQuorumLost) naming the
  // offline drives otherwise.
  absl::Status CheckWriteQuorum() const;

  // Read-path health counters. Implementations without counters return zeros.
  virtual DataPlaneStats Stats() const { return {}; }
  uint64_t BitrotDetected() const { return Stats().bitrot_detected; }
};

}  // namespace sb::erasure
