#include "erasure/internal/drive_format.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/ids.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "erasure/internal/fs_util.h"

namespace sb::erasure::internal {
namespace {

constexpr size_t kMaxFormatFileSize = 4096;
constexpr char kFormatName[] = "strongbox-erasure";

// Parser for the flat JSON objects we write: string keys, string or unsigned values.
class FlatJson {
 public:
  explicit FlatJson(std::string_view s) : s_(s) {}

  absl::Status Parse() {
    SkipWs();
    if (!Eat('{')) return Err("expected '{'");
    SkipWs();
    if (Eat('}')) return End();
    while (true) {
      std::string key;
      SkipWs();
      if (!String(&key)) return Err("expected string key");
      SkipWs();
      if (!Eat(':')) return Err("expected ':'");
      SkipWs();
      if (pos_ < s_.size() && s_[pos_] == '"') {
        std::string v;
        if (!String(&v)) return Err("bad string value");
        strings_[key] = std::move(v);
      } else {
        uint64_t v = 0;
        if (!Number(&v)) return Err("bad value for " + key);
        numbers_[key] = v;
      }
      SkipWs();
      if (Eat('}')) return End();
      if (!Eat(',')) return Err("expected ',' or '}'");
    }
  }

  absl::StatusOr<std::string> Str(const std::string& key) const {
    auto it = strings_.find(key);
    if (it == strings_.end()) return Err("missing string field " + key);
    return it->second;
  }
  absl::StatusOr<uint32_t> U32(const std::string& key) const {
    auto it = numbers_.find(key);
    if (it == numbers_.end() || it->second > UINT32_MAX) {
      return Err("missing or bad number field " + key);
    }
    return static_cast<uint32_t>(it->second);
  }

 private:
  static absl::Status Err(const std::string& msg) {
    return absl::InvalidArgumentError("format.json: " + msg);
  }
  absl::Status End() {
    SkipWs();
    return pos_ == s_.size() ? absl::OkStatus() : Err("trailing bytes");
  }
  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\\')) return false;
        c = s_[pos_++];
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
      out->push_back(c);
    }
    return false;
  }
  bool Number(uint64_t* out) {
    size_t start = pos_;
    uint64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      if (pos_ - start >= 19) return false;  // keeps v far from overflow
      v = v * 10 + static_cast<uint64_t>(s_[pos_++] - '0');
    }
    *out = v;
    return pos_ > start;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::map<std::string, std::string> strings_;
  std::map<std::string, uint64_t> numbers_;
};

absl::Status Refuse(const std::string& path, const std::string& why) {
  return absl::FailedPreconditionError(absl::StrCat("drive ", path, ": ", why));
}

// True if the folder holds nothing but what formatting creates or a filesystem adds.
absl::StatusOr<bool> IsEmptyDrive(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return ErrnoError(errno, "opendir " + path);
  bool empty = true;
  while (dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name == "." || name == ".." || name == "lost+found" || name == kFormatDir) continue;
    empty = false;
    break;
  }
  ::closedir(dir);
  return empty;
}

struct Probe {
  bool online = false;
  bool formatted = false;
  DriveFormat format;
};

// Reads a drive's identity. Access problems make it offline; a format file that exists
// but cannot be parsed is an error (never silently reformat a drive).
absl::StatusOr<Probe> ProbeDrive(const std::string& path) {
  Probe p;
  if (absl::Status st = MakeDirs(path, nullptr); !st.ok()) {
    Log(LogLevel::kWarn, "erasure: drive offline", {{"drive", path}, {"error", st.ToString()}});
    return p;
  }
  absl::StatusOr<std::string> json = ReadSmallFile(path + "/" + kFormatFile, kMaxFormatFileSize);
  if (!json.ok() && absl::IsNotFound(json.status())) {
    p.online = true;
    return p;
  }
  if (!json.ok()) {
    Log(LogLevel::kWarn, "erasure: drive offline",
        {{"drive", path}, {"error", json.status().ToString()}});
    return p;
  }
  absl::StatusOr<DriveFormat> f = ParseDriveFormat(*json);
  if (!f.ok())
    return Refuse(path,
                  std::string("corrupt ") + kFormatFile + ": " + std::string(f.status().message()));
  p.online = true;
  p.formatted = true;
  p.format = *f;
  return p;
}

// The deployment most formatted drives agree on (ties: the earliest drive's).
std::string MajorityDeployment(const std::vector<Probe>& probes) {
  std::map<std::string, int> votes;
  for (const Probe& p : probes) {
    if (p.formatted) ++votes[p.format.deployment_id];
  }
  std::string best;
  int best_votes = 0;
  for (const Probe& p : probes) {
    if (!p.formatted) continue;
    int v = votes[p.format.deployment_id];
    if (v > best_votes) {
      best = p.format.deployment_id;
      best_votes = v;
    }
  }
  return best;
}

absl::Status CheckNotDuplicate(const std::vector<std::string>& paths,
                               const std::vector<Probe>& probes) {
  std::map<std::pair<dev_t, ino_t>, std::string> seen;
  for (size_t i = 0; i < paths.size(); ++i) {
    struct stat st {};
    if (!probes[i].online || ::stat(paths[i].c_str(), &st) != 0) continue;
    auto [it, inserted] = seen.emplace(std::make_pair(st.st_dev, st.st_ino), paths[i]);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("drives ", it->second, " and ", paths[i], " are the same directory"));
    }
  }
  return absl::OkStatus();
}

// Validates formatted drives and checks unformatted ones are empty; collects every
// problem so the operator sees all misplaced drives at once.
absl::Status CheckDrives(const std::vector<std::string>& paths, const std::vector<Probe>& probes,
                         const std::string& deployment, uint32_t set_index) {
  std::vector<std::string> problems;
  const uint32_t n = static_cast<uint32_t>(paths.size());
  for (uint32_t i = 0; i < n; ++i) {
    const Probe& p = probes[i];
    const std::string& path = paths[i];
    if (!p.online) continue;
    if (!p.formatted) {
      absl::StatusOr<bool> empty = IsEmptyDrive(path);
      if (empty.ok() && !*empty) {
        problems.push_back(absl::StrCat("drive ", path,
                                        " is not empty and has no format file; refusing to "
                                        "format it (use an empty folder)"));
      }
      continue;
    }
    const DriveFormat& f = p.format;
    if (f.version != kDriveFormatVersion) {
      problems.push_back(
          absl::StrCat("drive ", path, " has unsupported format version ", f.version));
    } else if (f.deployment_id != deployment) {
      problems.push_back(absl::StrCat("drive ", path, " belongs to deployment ", f.deployment_id,
                                      ", not ", deployment));
    } else if (f.drive_count != n) {
      problems.push_back(absl::StrCat("drive ", path, " was formatted for ", f.drive_count,
                                      " drives but ", n, " are configured"));
    } else if (f.set_index != set_index || f.drive_index != i) {
      problems.push_back(absl::StrCat("drive ", path, " is formatted as drive ", f.drive_index,
                                      " of set ", f.set_index, " but is configured as drive ", i,
                                      " of set ", set_index, " (drive order changed?)"));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrJoin(problems, "; "));
}

absl::Status FormatDrive(const std::string& path, const DriveFormat& f) {
  bool created = false;
  absl::Status st = MakeDirs(path + "/" + kFormatDir, &created);
  if (st.ok()) st = WriteFileAtomic(path + "/" + kFormatFile, EncodeDriveFormat(f));
  if (st.ok()) st = FsyncDir(path);
  return st;
}

}  // namespace

std::string EncodeDriveFormat(const DriveFormat& f) {
  return absl::StrCat("{\"format\":\"", kFormatName, "\",\"version\":", f.version,
                      ",\"deployment_id\":\"", f.deployment_id, "\",\"drive_id\":\"", f.drive_id,
                      "\",\"set_index\":", f.set_index, ",\"drive_index\":", f.drive_index,
                      ",\"drive_count\":", f.drive_count, "}\n");
}

absl::StatusOr<DriveFormat> ParseDriveFormat(std::string_view json) {
  FlatJson j(json);
  if (absl::Status st = j.Parse(); !st.ok()) return st;
  DriveFormat f;
  SB_ASSIGN_OR_RETURN(std::string name, j.Str("format"));
  if (name != kFormatName) return absl::InvalidArgumentError("format.json: unknown format");
  SB_ASSIGN_OR_RETURN(f.version, j.U32("version"));
  SB_ASSIGN_OR_RETURN(f.deployment_id, j.Str("deployment_id"));
  SB_ASSIGN_OR_RETURN(f.drive_id, j.Str("drive_id"));
  SB_ASSIGN_OR_RETURN(f.set_index, j.U32("set_index"));
  SB_ASSIGN_OR_RETURN(f.drive_index, j.U32("drive_index"));
  SB_ASSIGN_OR_RETURN(f.drive_count, j.U32("drive_count"));
  if (f.deployment_id.empty() || f.drive_id.empty()) {
    return absl::InvalidArgumentError("format.json: empty id");
  }
  return f;
}

absl::StatusOr<PreparedDrives> PrepareDrives(const std::vector<std::string>& paths,
                                             uint32_t set_index) {
  std::vector<Probe> probes;
  for (const std::string& path : paths) {
    SB_ASSIGN_OR_RETURN(Probe p, ProbeDrive(path));
    probes.push_back(std::move(p));
  }
  SB_RETURN_IF_ERROR(CheckNotDuplicate(paths, probes));
  PreparedDrives out;
  out.deployment_id = MajorityDeployment(probes);
  if (out.deployment_id.empty()) out.deployment_id = NewRandomId();
  SB_RETURN_IF_ERROR(CheckDrives(paths, probes, out.deployment_id, set_index));

  for (size_t i = 0; i < paths.size(); ++i) {
    DriveState d;
    d.path = paths[i];
    d.online = probes[i].online;
    d.format = probes[i].format;
    if (d.online && !probes[i].formatted) {
      d.format.deployment_id = out.deployment_id;
      d.format.drive_id = NewRandomId();
      d.format.set_index = set_index;
      d.format.drive_index = static_cast<uint32_t>(i);
      d.format.drive_count = static_cast<uint32_t>(paths.size());
      if (absl::Status st = FormatDrive(d.path, d.format); !st.ok()) {
        Log(LogLevel::kWarn, "erasure: cannot format drive; offline",
            {{"drive", d.path}, {"error", st.ToString()}});
        d.online = false;
      } else {
        Log(LogLevel::kInfo, "erasure: formatted drive",
            {{"drive", d.path}, {"deployment", out.deployment_id}});
      }
    }
    if (d.online) {
      bool created = false;
      std::string set_dir = absl::StrCat(d.path, "/", set_index);
      absl::Status st = MakeDirs(set_dir, &created);
      if (st.ok() && created) st = FsyncDir(d.path);
      if (!st.ok()) {
        Log(LogLevel::kWarn, "erasure: drive offline",
            {{"drive", d.path}, {"error", st.ToString()}});
        d.online = false;
      }
    }
    out.drives.push_back(std::move(d));
  }
  return out;
}

}  // namespace sb::erasure::internal
