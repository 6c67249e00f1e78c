// KeyringStore: where the built-in KMS keeps its (already encrypted) keyring blob. A seam so
// the keyring can later live in RocksDB; FileKeyringStore keeps it in one file, replaced
// atomically with mode 0600. MemoryKeyringStore is for tests and embedding.
// Thread-safety: implementations are safe for concurrent calls; Keyring serializes Saves.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace sb::sse {

class KeyringStore {
 public:
  virtual ~KeyringStore() = default;
  // The last saved blob; NotFound if nothing was ever saved; other errors are I/O failures.
  virtual absl::StatusOr<std::string> Load() = 0;
  // Replaces the stored blob all-or-nothing: after a crash Load sees the old or the new one.
  virtual absl::Status Save(std::string_view blob) = 0;
};

class FileKeyringStore : public KeyringStore {
 public:
  // `path` is the keyring file; its directory must exist.
  explicit FileKeyringStore(std::string path) : path_(std::move(path)) {}

  // NotFound if the file does not exist; Internal on other read errors.
  absl::StatusOr<std::string> Load() override;
  // Writes `path.tmp` (0600), fsyncs it, renames it over `path` and fsyncs the directory.
  // Internal on I/O errors (the old file is then left untouched).
  absl::Status Save(std::string_view blob) override;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  absl::Mutex mu_;  // one Save at a time (they share the temp file name)
};

class MemoryKeyringStore : public KeyringStore {
 public:
  absl::StatusOr<std::string> Load() override;
  absl::Status Save(std::string_view blob) override;

 private:
  absl::Mutex mu_;
  bool saved_ ABSL_GUARDED_BY(mu_) = false;
  std::string blob_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sb::sse
