#include "policy/audit/segments.h"

#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"

namespace sb::audit {

absl::StatusOr<std::vector<SealedSegment>> ListSealedSegments(const std::string& dir) {
  SB_ASSIGN_OR_RETURN(std::vector<internal::SegmentFile> all, internal::ListSegments(dir));
  std::vector<SealedSegment> out;
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    SealedSegment s;
    s.name = all[i].name;
    s.path = all[i].path;
    s.first_seq = internal::FirstRecordSeq(all[i].path).value_or(0);
    // The next segment's first record follows this one's last; an empty next segment (a
    // crash right after rotation) leaves the end unknown, so this one is not sealed yet.
    const std::optional<uint64_t> next = internal::FirstRecordSeq(all[i + 1].path);
    if (!next.has_value()) break;
    s.last_seq = *next - 1;
    struct stat st {};
    if (::stat(s.path.c_str(), &st) == 0) {
      s.mtime_unix_nanos = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                           static_cast<int64_t>(st.st_mtim.tv_nsec);
    }
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::string> CheckpointsThrough(const std::string& dir, uint64_t through_seq) {
  absl::StatusOr<std::unique_ptr<internal::LineReader>> reader =
      internal::LineReader::Open(absl::StrCat(dir, "/", AsAbsl(internal::kCheckpointFileName)));
  if (absl::IsNotFound(reader.status())) return std::string();
  SB_RETURN_IF_ERROR(reader.status());
  std::string out;
  std::string_view line;
  bool complete = false;
  while ((*reader)->Next(&line, &complete) && complete) {
    absl::StatusOr<internal::Checkpoint> cp = internal::DecodeCheckpoint(line);
    if (!cp.ok() || cp->seq > through_seq) break;  // seqs increase; a bad line ends the set
    absl::StrAppend(&out, AsAbsl(line), "\n");
  }
  SB_RETURN_IF_ERROR((*reader)->status());
  return out;
}

}  // namespace sb::audit
