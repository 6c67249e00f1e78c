// Small POSIX file helpers for the erasure data plane: errno → Status, whole-buffer
// pread/pwrite, directory creation and fsync. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::erasure::internal {

// Status for a failed syscall: code from errno, message "<what>: <strerror>".
absl::Status ErrnoError(int err, std::string_view what);

// Writes all of `data` at `offset`; retries short writes and EINTR.
absl::Status PwriteAll(int fd, const void* data, size_t len, uint64_t offset);

// Reads up to `len` bytes at `offset`; returns the count (less than len only at EOF).
absl::StatusOr<size_t> PreadAll(int fd, void* data, size_t len, uint64_t offset);

// Creates `path` and missing parents (mode 0755). Sets *created_any if a directory was
// made, so the caller knows a parent directory needs an fsync.
absl::Status MakeDirs(const std::string& path, bool* created_any);

// fsyncs the directory at `path` (makes entries created/renamed in it durable).
absl::Status FsyncDir(const std::string& path);

// Parent directory of `path` ("a/b/c" -> "a/b"); "." if there is none.
std::string ParentDir(const std::string& path);

// Writes `contents` to `path` atomically: temp file, fdatasync, rename, fsync parent.
absl::Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Reads a whole small file. NotFound if it does not exist.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t max_len);

}  // namespace sb::erasure::internal
