// Helpers for DataPlane tests: temporary drive folders, whole-object write/read, and
// finding shard files on disk (by scanning, so tests do not rely on the path layout).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "erasure/data_plane.h"
#include "gtest/gtest.h"

namespace sb::erasure::testing_util {

namespace fs = std::filesystem;

// A fresh directory under the gtest temp dir, removed (with contents) on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "sb_erasure_XXXXXX";
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Paths <root>/<prefix>0 .. <prefix>(n-1) (not created).
  std::vector<std::string> Drives(int n, const std::string& prefix = "d") const {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(path_ + "/" + prefix + std::to_string(i));
    return out;
  }

 private:
  std::string path_;
};

inline std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

inline absl::StatusOr<DataRef> WriteObject(DataPlane& plane, std::string_view data,
                                           size_t chunk = 100000) {
  auto writer = plane.NewWriter();
  if (!writer.ok()) return writer.status();
  while (!data.empty()) {
    size_t n = std::min(chunk, data.size());
    absl::Status st = (*writer)->Write(data.substr(0, n));
    if (!st.ok()) return st;
    data.remove_prefix(n);
  }
  return (*writer)->Finish();
}

// Reads a range; also checks each sink chunk is non-empty and at most one stripe.
inline absl::StatusOr<std::string> ReadRange(DataPlane& plane, const DataRef& ref, uint64_t offset,
                                             uint64_t length, std::string* partial = nullptr) {
  std::string out;
  absl::Status st = plane.Read(ref, offset, length, [&](std::string_view chunk) {
    EXPECT_FALSE(chunk.empty());
    EXPECT_LE(chunk.size(), ref.block_size);
    out.append(chunk);
    return absl::OkStatus();
  });
  if (partial != nullptr) *partial = out;
  if (!st.ok()) return st;
  return out;
}

inline absl::StatusOr<std::string> ReadAll(DataPlane& plane, const DataRef& ref) {
  return ReadRange(plane, ref, 0, ref.size);
}

// Regular files under a drive folder, excluding the format directory.
inline std::vector<std::string> DataFiles(const std::string& drive) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(drive, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(drive, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() == ".strongbox") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) out.push_back(it->path().string());
  }
  return out;
}

// The shard file of `ref` on `drive`, or "" if there is none.
inline std::string ShardFile(const std::string& drive, const DataRef& ref) {
  for (const std::string& f : DataFiles(drive)) {
    if (fs::path(f).filename() == ref.data_id + ".shard") return f;
  }
  return "";
}

inline DataPlaneOptions Options(std::vector<std::string> drives, uint32_t block_size,
                                int parity = -1) {
  DataPlaneOptions o;
  o.drive_paths = std::move(drives);
  o.block_size = block_size;
  o.parity = parity;
  return o;
}

// Replaces a drive folder with a regular file so every access below it fails (ENOTDIR),
// even for root, which chmod cannot stop.
inline void BreakDrive(const std::string& drive) {
  fs::rename(drive, drive + ".broken");
  FILE* f = std::fopen(drive.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
}

}  // namespace sb::erasure::testing_util
