#include "policy/audit/internal/recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"

namespace sb::audit::internal {
namespace {

struct Tail {
  std::optional<std::string> last_line;  // last complete line, without '\n'
  uint64_t last_line_number = 0;
  uint64_t torn_bytes = 0;
};

absl::Status TruncateDurably(const std::string& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, ": ", std::strerror(errno)));
  int rc = ::ftruncate(fd, static_cast<off_t>(size));
  if (rc == 0) rc = ::fdatasync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0)
    return absl::InternalError(absl::StrCat("truncate ", path, ": ", std::strerror(err)));
  return absl::OkStatus();
}

// Finds the last complete line of `path`. A final line without '\n' can only come from a
// write that a crash interrupted (every append ends with '\n'), and its record was never
// acknowledged, so it is cut off here and reported rather than continued after.
absl::StatusOr<Tail> ReadTail(const std::string& path) {
  Tail tail;
  absl::StatusOr<std::unique_ptr<LineReader>> reader = LineReader::Open(path);
  if (absl::IsNotFound(reader.status())) return tail;
  if (!reader.ok()) return reader.status();
  std::string_view line;
  bool complete = false;
  uint64_t complete_end = 0;
  uint64_t torn_line_number = 0;
  while ((*reader)->Next(&line, &complete)) {
    if (!complete) {
      tail.torn_bytes = line.size();
      torn_line_number = (*reader)->line_number();
      break;
    }
    tail.last_line.emplace(line);
    tail.last_line_number = (*reader)->line_number();
    complete_end = (*reader)->end_offset();
  }
  SB_RETURN_IF_ERROR((*reader)->status());
  reader->reset();
  if (tail.torn_bytes > 0) {
    Log(LogLevel::kWarn, "audit: truncating torn final line left by a crash",
        {{"file", path},
         {"line", std::to_string(torn_line_number)},
         {"bytes", std::to_string(tail.torn_bytes)}});
    SB_RETURN_IF_ERROR(TruncateDurably(path, complete_end));
  }
  return tail;
}

absl::Status CorruptTail(const std::string& path, uint64_t line, std::string_view why) {
  return absl::DataLossError(absl::StrCat("audit: last line of ", path, " (line ", line,
                                          ") is corrupt: ", AsAbsl(why),
                                          "; run audit verify before reopening"));
}

}  // namespace

absl::StatusOr<RecoveredChain> RecoverChain(const std::string& dir) {
  RecoveredChain chain;
  chain.head_hash = std::string(kZeroHash);
  SB_ASSIGN_OR_RETURN(std::vector<SegmentFile> segments, ListSegments(dir));
  if (segments.empty()) return chain;
  chain.segment_number = segments.back().number;
  // Walk back past segments left empty (a crash right after rotation, or a torn first line).
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    SB_ASSIGN_OR_RETURN(Tail tail, ReadTail(it->path));
    chain.torn_bytes += tail.torn_bytes;
    if (!tail.last_line.has_value()) continue;
    absl::StatusOr<LoggedRecord> record = DecodeRecord(*tail.last_line);
    if (!record.ok())
      return CorruptTail(it->path, tail.last_line_number, AsStd(record.status().message()));
    absl::StatusOr<std::string> hash = CanonicalHash(*tail.last_line);
    if (!hash.ok() || *hash != record->hash) {
      return CorruptTail(it->path, tail.last_line_number, "hash mismatch");
    }
    chain.head_seq = record->seq;
    chain.head_hash = record->hash;
    break;
  }
  return chain;
}

absl::StatusOr<RecoveredCheckpoint> RecoverLastCheckpoint(const std::string& path) {
  RecoveredCheckpoint out;
  SB_ASSIGN_OR_RETURN(Tail tail, ReadTail(path));
  out.torn_bytes = tail.torn_bytes;
  if (!tail.last_line.has_value()) return out;
  absl::StatusOr<Checkpoint> checkpoint = DecodeCheckpoint(*tail.last_line);
  if (!checkpoint.ok()) {
    return CorruptTail(path, tail.last_line_number, AsStd(checkpoint.status().message()));
  }
  out.present = true;
  out.seq = checkpoint->seq;
  out.time_unix_nanos = checkpoint->time_unix_nanos;
  return out;
}

}  // namespace sb::audit::internal
