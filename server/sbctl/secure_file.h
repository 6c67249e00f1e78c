// Small POSIX file helpers for files that hold secrets: private directories, atomic
// rewrites with a fixed mode, and an advisory inter-process lock. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::sbctl {

// Creates `dir` and any missing parents with `mode` (existing ones are left as they are).
// Returns an errno-derived error, or FailedPrecondition if a component is not a directory.
absl::Status MakeDirs(const std::string& dir, unsigned mode);

// Returns the whole file, std::nullopt if it does not exist, or an errno-derived error.
absl::StatusOr<std::optional<std::string>> ReadFileIfExists(const std::string& path);

// Replaces `path` with `content` so that readers see either the old or the new file, never a
// mix: writes a temp file in the same directory with `mode`, fsyncs it, renames it over
// `path` and fsyncs the directory. On error the old file is untouched and the temp removed.
absl::Status WriteFileAtomically(const std::string& path, std::string_view content, unsigned mode);

// Holds an exclusive flock() on a lock file for its lifetime.
class FileLock {
 public:
  // Opens (creating with 0600) and locks `path`, blocking until the lock is free.
  static absl::StatusOr<FileLock> Acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace sb::sbctl
