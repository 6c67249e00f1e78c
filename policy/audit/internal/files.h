// File plumbing for the audit log: directory layout names, segment listing, an append-only
// file with explicit fdatasync, and a line reader that reports a missing final newline.
// Thread-safety: none of these objects may be shared between threads without a lock.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::audit::internal {

inline constexpr std::string_view kCheckpointFileName = "checkpoints.log";
inline constexpr std::string_view kKeyFileName = "audit-key.pem";
inline constexpr std::string_view kPublicKeyFileName = "audit-key.pub.pem";
inline constexpr std::string_view kLockFileName = "LOCK";

// "seg-00000001.log" for number 1.
std::string SegmentFileName(uint64_t number);

struct SegmentFile {
  uint64_t number = 0;
  std::string name;  // file name only
  std::string path;  // dir + "/" + name
};

// Segment files in `dir`, ordered by number; other files are ignored. NotFound if `dir`
// does not exist, Internal on other I/O errors.
absl::StatusOr<std::vector<SegmentFile>> ListSegments(const std::string& dir);

// The seq of the first record in the segment file at `path`; nullopt if it has none that
// parses (defined in record_codec.cc).
std::optional<uint64_t> FirstRecordSeq(const std::string& path);

// write(2) until all of `data` is written, retrying EINTR and short writes.
absl::Status WriteAll(int fd, std::string_view data);

// fsync on a directory, making created/renamed entries in it durable.
absl::Status FsyncDir(const std::string& dir);

// Takes an exclusive flock on `path` (created if missing) and holds it until destruction.
// FailedPrecondition if another AuditLog (in any process) holds it.
class DirLock {
 public:
  static absl::StatusOr<std::unique_ptr<DirLock>> Acquire(const std::string& path);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

// An O_APPEND file. Data is durable only after Sync().
class AppendFile {
 public:
  // Opens or creates `path` (mode 0640). Internal on failure.
  static absl::StatusOr<std::unique_ptr<AppendFile>> Open(const std::string& path);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Appends all of `data`. On error the file may hold a prefix of it (see TruncateTo).
  absl::Status Append(std::string_view data);
  // fdatasync(2).
  absl::Status Sync();
  // Cuts the file back to `size` bytes (used to undo a failed append).
  absl::Status TruncateTo(uint64_t size);
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  AppendFile(int fd, std::string path, uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  int fd_;
  std::string path_;
  uint64_t size_;
};

// Reads a file line by line. A final line without '\n' is returned with complete=false
// (a torn write, or a file still being appended to).
class LineReader {
 public:
  // NotFound if `path` does not exist, Internal on other errors.
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its '\n'; false at end of file or on a read error (see status()).
  // The view is valid until the next call.
  bool Next(std::string_view* line, bool* complete);
  // Byte offset where the line last returned by Next() starts.
  uint64_t line_offset() const { return line_offset_; }
  // Byte offset just past the line last returned by Next() (including its '\n').
  uint64_t end_offset() const { return end_offset_; }
  // 1-based number of the line last returned by Next().
  uint64_t line_number() const { return line_number_; }
  absl::Status status() const { return status_; }

 private:
  LineReader(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
  char* buffer_ = nullptr;
  size_t capacity_ = 0;
  uint64_t line_offset_ = 0;
  uint64_t end_offset_ = 0;
  uint64_t line_number_ = 0;
  absl::Status status_;
};

}  // namespace sb::audit::internal
