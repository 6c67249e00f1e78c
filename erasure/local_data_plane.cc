// LocalDataPlane: DataPlane over local drive folders (one erasure set). Validates options,
// prepares the drives (format.json), then hands out writers and serves reads; all state
// after Open is immutable apart from atomic counters, so every method is thread-safe.
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "common/error_reason.h"
#include "common/ids.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "erasure/data_plane.h"
#include "erasure/internal/drive_format.h"
#include "erasure/internal/fs_util.h"
#include "erasure/internal/object_reader.h"
#include "erasure/internal/object_writer.h"
#include "erasure/internal/plane_state.h"

namespace sb::erasure {
namespace {

using internal::PlaneState;

constexpr uint32_t kSetIndex = 0;  // one erasure set for now

// Default parity by drive count: 1 -> 0, 2-3 -> 1, 4-5 -> 2, 6-7 -> 3, 8+ -> 4.
int DefaultParity(size_t drives) {
  if (drives <= 1) return 0;
  if (drives <= 3) return 1;
  if (drives <= 5) return 2;
  if (drives <= 7) return 3;
  return 4;
}

absl::StatusOr<int> ChooseParity(const DataPlaneOptions& options) {
  const size_t n = options.drive_paths.size();
  if (n < 1 || n > internal::kMaxDrives) {
    return absl::InvalidArgumentError(
        absl::StrCat("need 1 to ", internal::kMaxDrives, " drives, got ", n));
  }
  std::set<std::string> seen;
  for (const std::string& p : options.drive_paths) {
    if (p.empty()) return absl::InvalidArgumentError("empty drive path");
    if (!seen.insert(p).second) return absl::InvalidArgumentError("duplicate drive path " + p);
  }
  if (options.block_size == 0 || options.block_size > internal::kMaxBlockSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block_size must be 1..", internal::kMaxBlockSize, ", got ", options.block_size));
  }
  const int m = options.parity == -1 ? DefaultParity(n) : options.parity;
  const int k = static_cast<int>(n) - m;
  // More parity than data would only waste space: any M > K layout is refused.
  if (m < 0 || k < 1 || m > k) {
    return absl::InvalidArgumentError(absl::StrCat("parity ", options.parity, " is invalid for ", n,
                                                   " drives (need 0 <= parity <= data)"));
  }
  return m;
}

// The drive as it is now: still the drive formatted into this slot, and writable.
DriveHealth ProbeDrive(const internal::DriveState& d, uint64_t errors) {
  DriveHealth h;
  h.path = d.path;
  h.errors = errors;
  struct statvfs fs {};
  if (::statvfs(d.path.c_str(), &fs) == 0) {
    h.total_bytes = static_cast<uint64_t>(fs.f_blocks) * fs.f_frsize;
    h.free_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  }
  if (!d.online) {
    h.problem = "unusable at startup";
    return h;
  }
  absl::StatusOr<std::string> format =
      internal::ReadSmallFile(d.path + "/" + internal::kFormatFile, 64 << 10);
  if (!format.ok()) {
    h.problem = std::string(format.status().message());
    return h;
  }
  absl::StatusOr<internal::DriveFormat> parsed = internal::ParseDriveFormat(*format);
  if (!parsed.ok() || parsed->drive_id != d.format.drive_id) {
    h.problem = "format file changed (drive replaced?)";
    return h;
  }
  if (::access(d.path.c_str(), W_OK) != 0) {
    h.problem = internal::ErrnoError(errno, "not writable").ToString();
    return h;
  }
  h.online = true;
  return h;
}

class LocalDataPlane final : public DataPlane {
 public:
  explicit LocalDataPlane(std::shared_ptr<const PlaneState> state) : state_(std::move(state)) {}

  absl::StatusOr<std::unique_ptr<ObjectWriter>> NewWriter() override {
    const uint32_t quorum = internal::WriteQuorum(DataShards(), ParityShards());
    uint32_t online = 0;
    for (const auto& d : state_->drives) online += d.online ? 1 : 0;
    if (online < quorum) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost,
                       absl::StrCat("only ", online, " of ", DriveCount(),
                                    " drives online; writes need ", quorum));
    }
    return std::make_unique<internal::ShardedObjectWriter>(state_,
                                                           NewTimeOrderedId(state_->clock->Now()));
  }

  absl::Status Read(const DataRef& ref, uint64_t offset, uint64_t length,
                    const ByteSink& sink) override {
    SB_RETURN_IF_ERROR(CheckRef(ref));
    if (offset > ref.size || length > ref.size - offset) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRange,
                       absl::StrCat("range ", offset, "+", length, " is outside object ",
                                    ref.data_id, " of ", ref.size, " bytes"));
    }
    if (length == 0) return absl::OkStatus();
    const internal::RsCodec* codec = &state_->codec;
    absl::StatusOr<internal::RsCodec> other;
    if (static_cast<int>(ref.data_shards) != codec->data_shards()) {
      // Written under another parity setting: same drives, different K+M split.
      other = internal::RsCodec::Create(static_cast<int>(ref.data_shards),
                                        static_cast<int>(ref.parity_shards));
      SB_RETURN_IF_ERROR(other.status());
      codec = &*other;
    }
    internal::ObjectReader reader(*state_, ref, *codec);
    return reader.Read(offset, length, sink);
  }

  absl::Status Delete(const DataRef& ref) override {
    SB_RETURN_IF_ERROR(CheckRef(ref));
    if (ref.size == 0) return absl::OkStatus();  // empty objects have no files
    uint32_t ok = 0;
    absl::Status first_error;
    for (uint32_t i = 0; i < DriveCount(); ++i) {
      const std::string path = state_->ShardPath(i, ref.data_id);
      if (::unlink(path.c_str()) == 0 || errno == ENOENT) {
        ++ok;
        continue;
      }
      absl::Status st = internal::ErrnoError(errno, "unlink " + path);
      Log(LogLevel::kWarn, "erasure: shard delete failed", {{"error", st.ToString()}});
      if (first_error.ok()) first_error = st;
    }
    // Leftover shards on failed drives are orphans for the sweeper; the object is gone
    // once fewer than K shards remain, which a write quorum of removals guarantees.
    const uint32_t quorum = internal::WriteQuorum(ref.data_shards, ref.parity_shards);
    if (ok < quorum) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost,
                       absl::StrCat("deleted ", ok, " of ", DriveCount(), " shards of ",
                                    ref.data_id, ": ", first_error.ToString()));
    }
    return absl::OkStatus();
  }

  uint32_t DataShards() const override {
    return static_cast<uint32_t>(state_->codec.data_shards());
  }
  uint32_t ParityShards() const override {
    return static_cast<uint32_t>(state_->codec.parity_shards());
  }
  uint32_t DriveCount() const override { return static_cast<uint32_t>(state_->drives.size()); }

  uint32_t WriteQuorum() const override {
    return internal::WriteQuorum(DataShards(), ParityShards());
  }

  std::vector<DriveHealth> ProbeDrives() const override {
    std::vector<DriveHealth> out;
    for (size_t i = 0; i < state_->drives.size(); ++i) {
      out.push_back(ProbeDrive(state_->drives[i], state_->drive_errors[i].load()));
    }
    return out;
  }

  DataPlaneStats Stats() const override {
    DataPlaneStats s;
    s.bitrot_detected = state_->bitrot_detected.load();
    s.shard_errors = state_->shard_errors.load();
    s.stripes_reconstructed = state_->stripes_reconstructed.load();
    return s;
  }

 private:
  absl::Status CheckRef(const DataRef& ref) const {
    if (!internal::IsValidDataId(ref.data_id) || ref.data_shards == 0 ||
        ref.data_shards + ref.parity_shards != DriveCount() || ref.set_index != kSetIndex ||
        ref.block_size == 0 || ref.block_size > internal::kMaxBlockSize) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       absl::StrCat("data reference ", ref.data_id, " (", ref.data_shards, "+",
                                    ref.parity_shards, ", set ", ref.set_index,
                                    ") does not fit this data plane (", DriveCount(), " drives)"));
    }
    return absl::OkStatus();
  }

  std::shared_ptr<const PlaneState> state_;
};

}  // namespace

absl::Status DataPlane::CheckWriteQuorum() const {
  uint32_t online = 0;
  std::vector<std::string> offline;
  const std::vector<DriveHealth> drives = ProbeDrives();
  for (const DriveHealth& d : drives) {
    if (d.online) {
      ++online;
    } else {
      offline.push_back(absl::StrCat(d.path, " (", d.problem, ")"));
    }
  }
  if (drives.empty() || online >= WriteQuorum()) return absl::OkStatus();
  return MakeError(absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost,
                   absl::StrCat(online, " of ", drives.size(), " drives online, writes need ",
                                WriteQuorum(), "; offline: ", absl::StrJoin(offline, ", ")));
}

absl::StatusOr<std::unique_ptr<DataPlane>> DataPlane::Open(const DataPlaneOptions& options) {
  SB_ASSIGN_OR_RETURN(int parity, ChooseParity(options));
  const int data = static_cast<int>(options.drive_paths.size()) - parity;
  SB_ASSIGN_OR_RETURN(internal::RsCodec codec, internal::RsCodec::Create(data, parity));
  SB_ASSIGN_OR_RETURN(internal::PreparedDrives drives,
                      internal::PrepareDrives(options.drive_paths, kSetIndex));
  uint32_t online = 0;
  for (const auto& d : drives.drives) online += d.online ? 1 : 0;
  const uint32_t quorum =
      internal::WriteQuorum(static_cast<uint32_t>(data), static_cast<uint32_t>(parity));
  if (online < quorum) {
    return MakeError(absl::StatusCode::kUnavailable, ErrorReason::kQuorumLost,
                     absl::StrCat("only ", online, " of ", drives.drives.size(),
                                  " drives are usable; need ", quorum));
  }
  const Clock* clock = options.clock != nullptr ? options.clock : &SystemClock::Get();
  auto state = std::make_shared<const PlaneState>(std::move(drives), kSetIndex, options.block_size,
                                                  std::move(codec), clock);
  return std::unique_ptr<DataPlane>(std::make_unique<LocalDataPlane>(std::move(state)));
}

}  // namespace sb::erasure
