#include "erasure/internal/fs_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/absl_compat.h"

namespace sb::erasure::internal {

absl::Status ErrnoError(int err, std::string_view what) {
  return absl::ErrnoToStatus(err, AsAbsl(what));
}

absl::Status PwriteAll(int fd, const void* data, size_t len, uint64_t offset) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "pwrite");
    }
    if (n == 0) return absl::InternalError("pwrite wrote 0 bytes");
    p += n;
    len -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> PreadAll(int fd, void* data, size_t len, uint64_t offset) {
  auto* p = static_cast<uint8_t*>(data);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread(fd, p + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "pread");
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

absl::Status MakeDirs(const std::string& path, bool* created_any) {
  if (path.empty()) return absl::InvalidArgumentError("empty directory path");
  // Walk prefixes so missing parents are created first.
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0755) == 0) {
      if (created_any != nullptr) *created_any = true;
      continue;
    }
    if (errno != EEXIST) return ErrnoError(errno, "mkdir " + prefix);
    struct stat st {};
    if (::stat(prefix.c_str(), &st) != 0) return ErrnoError(errno, "stat " + prefix);
    if (!S_ISDIR(st.st_mode)) return ErrnoError(ENOTDIR, "mkdir " + prefix);
  }
  return absl::OkStatus();
}

absl::Status FsyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "open dir " + path);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoError(err, "fsync dir " + path);
  return absl::OkStatus();
}

std::string ParentDir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "create " + tmp);
  absl::Status st = PwriteAll(fd, contents.data(), contents.size(), 0);
  if (st.ok() && ::fdatasync(fd) != 0) st = ErrnoError(errno, "fdatasync " + tmp);
  ::close(fd);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = ErrnoError(errno, "rename " + tmp);
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return FsyncDir(ParentDir(path));
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t max_len) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "open " + path);
  std::string out(max_len + 1, '\0');
  absl::StatusOr<size_t> n = PreadAll(fd, out.data(), out.size(), 0);
  ::close(fd);
  if (!n.ok()) return n.status();
  if (*n > max_len) return absl::OutOfRangeError(path + " is larger than expected");
  out.resize(*n);
  return out;
}

}  // namespace sb::erasure::internal
