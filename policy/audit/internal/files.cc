#include "policy/audit/internal/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/absl_compat.h"

namespace sb::audit::internal {
namespace {

absl::Status Errno(std::string_view what, const std::string& path, int err) {
  return absl::InternalError(absl::StrCat(AsAbsl(what), " ", path, ": ", std::strerror(err)));
}

// Parses "seg-<digits>.log" into its number.
bool ParseSegmentName(std::string_view name, uint64_t* number) {
  constexpr std::string_view kPrefix = "seg-";
  constexpr std::string_view kSuffix = ".log";
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return false;
  }
  std::string_view digits =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return absl::SimpleAtoi(AsAbsl(digits), number) && *number > 0;
}

}  // namespace

std::string SegmentFileName(uint64_t number) { return absl::StrFormat("seg-%08u.log", number); }

absl::StatusOr<std::vector<SegmentFile>> ListSegments(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("audit directory ", dir, " does not exist"));
  }
  std::vector<SegmentFile> out;
  std::filesystem::directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    uint64_t number = 0;
    if (ParseSegmentName(name, &number)) {
      out.push_back(SegmentFile{number, name, absl::StrCat(dir, "/", name)});
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("list ", dir, ": ", ec.message()));
  std::sort(out.begin(), out.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.number < b.number; });
  return out;
}

absl::Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("write: ", std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status FsyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : Errno("fsync directory", dir, err);
}

absl::StatusOr<std::unique_ptr<DirLock>> DirLock::Acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("open", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("audit log ", path, " is already open by another writer"));
    }
    return Errno("flock", path, err);
  }
  return std::unique_ptr<DirLock>(new DirLock(fd));
}

DirLock::~DirLock() { ::close(fd_); }

absl::StatusOr<std::unique_ptr<AppendFile>> AppendFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Errno("stat", path, err);
  }
  return std::unique_ptr<AppendFile>(new AppendFile(fd, path, static_cast<uint64_t>(st.st_size)));
}

AppendFile::~AppendFile() { ::close(fd_); }

absl::Status AppendFile::Append(std::string_view data) {
  absl::Status status = WriteAll(fd_, data);
  if (!status.ok()) return absl::InternalError(absl::StrCat(path_, ": ", status.message()));
  size_ += data.size();
  return absl::OkStatus();
}

absl::Status AppendFile::Sync() {
  if (::fdatasync(fd_) != 0) return Errno("fdatasync", path_, errno);
  return absl::OkStatus();
}

absl::Status AppendFile::TruncateTo(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return Errno("ftruncate", path_, errno);
  size_ = size;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (file == nullptr) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat(path, " does not exist"));
    return Errno("open", path, errno);
  }
  return std::unique_ptr<LineReader>(new LineReader(file, path));
}

LineReader::~LineReader() {
  std::fclose(file_);
  std::free(buffer_);
}

bool LineReader::Next(std::string_view* line, bool* complete) {
  const ssize_t n = ::getline(&buffer_, &capacity_, file_);
  if (n < 0) {
    if (std::ferror(file_)) status_ = Errno("read", path_, errno);
    return false;
  }
  line_offset_ = end_offset_;
  end_offset_ += static_cast<uint64_t>(n);
  ++line_number_;
  *complete = n > 0 && buffer_[n - 1] == '\n';
  *line = std::string_view(buffer_, static_cast<size_t>(n) - (*complete ? 1 : 0));
  return true;
}

}  // namespace sb::audit::internal
