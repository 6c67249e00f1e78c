#include "policy/audit/query.h"

#include <deque>
#include <memory>
#include <string_view>
#include <utility>

#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"

namespace sb::audit {
namespace {

bool Equals(const std::optional<std::string>& want, const std::string& have) {
  return !want.has_value() || *want == have;
}

}  // namespace

bool Matches(const AuditFilter& filter, const AuditRecord& record) {
  if (filter.key.has_value()) {
    const bool key_ok = filter.key_is_prefix ? std::string_view(record.key).starts_with(*filter.key)
                                             : record.key == *filter.key;
    if (!key_ok) return false;
  }
  if (filter.from_unix_nanos.has_value() && record.time_unix_nanos < *filter.from_unix_nanos) {
    return false;
  }
  if (filter.to_unix_nanos.has_value() && record.time_unix_nanos >= *filter.to_unix_nanos) {
    return false;
  }
  if (filter.principal.has_value() && *filter.principal != record.principal.access_key &&
      *filter.principal != record.principal.user) {
    return false;
  }
  if (filter.allowed.has_value() && *filter.allowed != record.decision.allowed) return false;
  return Equals(filter.bucket, record.bucket) &&
         Equals(filter.access_key, record.principal.access_key) &&
         Equals(filter.user, record.principal.user) && Equals(filter.operation, record.operation);
}

absl::StatusOr<QueryResult> Query(const std::string& dir, const AuditFilter& filter) {
  SB_ASSIGN_OR_RETURN(std::vector<internal::SegmentFile> segments, internal::ListSegments(dir));
  QueryResult result;
  std::deque<LoggedRecord> newest;  // filter.newest: a window over the last matches
  for (const internal::SegmentFile& segment : segments) {
    SB_ASSIGN_OR_RETURN(std::unique_ptr<internal::LineReader> reader,
                        internal::LineReader::Open(segment.path));
    std::string_view line;
    bool complete = false;
    while (reader->Next(&line, &complete)) {
      // An incomplete final line is a write in progress (or a crash Open will repair).
      if (!complete) continue;
      absl::StatusOr<LoggedRecord> record = internal::DecodeRecord(line);
      if (!record.ok()) {
        ++result.unreadable_lines;
        continue;
      }
      if (record->seq <= filter.after_seq || !Matches(filter, record->record)) continue;
      if (filter.newest) {
        newest.push_back(*std::move(record));
        if (newest.size() > filter.limit) {
          newest.pop_front();
          result.truncated = true;
        }
        continue;
      }
      if (result.records.size() >= filter.limit) {
        result.truncated = true;
        return result;
      }
      result.records.push_back(*std::move(record));
    }
    SB_RETURN_IF_ERROR(reader->status());
  }
  if (filter.newest) result.records.assign(newest.begin(), newest.end());
  return result;
}

}  // namespace sb::audit
