#include "policy/sse/keyring_store.h"

#include <string>

#include "policy/sse/internal/file_util.h"

namespace sb::sse {

absl::StatusOr<std::string> FileKeyringStore::Load() { return internal::ReadSmallFile(path_); }

absl::Status FileKeyringStore::Save(std::string_view blob) {
  absl::MutexLock lock(&mu_);
  return internal::WriteFileAtomically(path_, blob);
}

absl::StatusOr<std::string> MemoryKeyringStore::Load() {
  absl::MutexLock lock(&mu_);
  if (!saved_) return absl::NotFoundError("no keyring saved");
  return blob_;
}

absl::Status MemoryKeyringStore::Save(std::string_view blob) {
  absl::MutexLock lock(&mu_);
  blob_.assign(blob.data(), blob.size());
  saved_ = true;
  return absl::OkStatus();
}

}  // namespace sb::sse
