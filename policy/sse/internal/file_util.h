// Small POSIX file helpers for secrets: read a small file, write one atomically with mode
// 0600, create one exclusively. Thread-safe (no shared state), but two concurrent
// WriteFileAtomically calls on one path race on the temp file; callers serialize them.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::sse::internal {

// NotFound if `path` does not exist; Internal on other errors or a file over 64 MiB.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path);

// Writes `path.tmp` (0600), fsyncs, renames over `path`, fsyncs the directory.
absl::Status WriteFileAtomically(const std::string& path, std::string_view data);

// Creates `path` with mode 0600, failing with AlreadyExists if it exists, and writes and
// fsyncs `data`. On a write error the partial file is removed.
absl::Status CreateFileExclusive(const std::string& path, std::string_view data);

}  // namespace sb::sse::internal
