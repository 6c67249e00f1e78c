#include "server/sbctl/secure_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sb::sbctl {
namespace {

absl::Status ErrnoError(int err, std::string_view what, const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(AsAbsl(what), " ", path));
}

// Closes `fd` on scope exit unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes, syncs and renames; the caller removes the temp file on error.
absl::Status WriteAndRename(int fd, const std::string& tmp, const std::string& path,
                            std::string_view content, unsigned mode) {
  // mkstemp creates 0600 already; fchmod also enforces `mode` against a permissive umask.
  if (::fchmod(fd, mode) != 0) return ErrnoError(errno, "cannot chmod", tmp);
  if (absl::Status s = WriteAll(fd, content, tmp); !s.ok()) return s;
  if (::fsync(fd) != 0) return ErrnoError(errno, "cannot fsync", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoError(errno, "cannot rename to", path);
  return absl::OkStatus();
}

}  // namespace

absl::Status MakeDirs(const std::string& dir, unsigned mode) {
  if (dir.empty()) return absl::InvalidArgumentError("empty directory path");
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    const std::string prefix = dir.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (::mkdir(prefix.c_str(), static_cast<mode_t>(mode)) == 0) continue;
    if (errno != EEXIST) return ErrnoError(errno, "cannot create directory", prefix);
    struct stat st {};
    if (::stat(prefix.c_str(), &st) != 0) return ErrnoError(errno, "cannot stat", prefix);
    if (!S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(prefix, " exists and is not a directory"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ErrnoError(errno, "cannot open", path);
  }
  FdCloser closer(fd);
  std::string content;
  char buf[8192];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot read", path);
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
  }
  return std::optional<std::string>(std::move(content));
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view content, unsigned mode) {
  const std::string dir = DirName(path);
  std::string tmp = absl::StrCat(path, ".tmp.XXXXXX");
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot create temporary file in", dir);
  absl::Status status;
  {
    FdCloser closer(fd);
    status = WriteAndRename(fd, tmp, path, content, mode);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // Persist the rename itself; without this a crash could bring back the old file.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoError(errno, "cannot open directory", dir);
  FdCloser dir_closer(dir_fd);
  if (::fsync(dir_fd) != 0) return ErrnoError(errno, "cannot fsync directory", dir);
  return absl::OkStatus();
}

absl::StatusOr<FileLock> FileLock::Acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError(errno, "cannot open lock file", path);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd);
    return ErrnoError(err, "cannot lock", path);
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace sb::sbctl
