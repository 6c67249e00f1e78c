#include "server/audit_shipper.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "gateway/body_source.h"
#include "metadata/proto/records.pb.h"
#include "policy/audit/segments.h"

namespace sb::server {
namespace {

constexpr char kShippedFile[] = "shipped.log";  // one shipped segment name a line
constexpr char kPrincipal[] = "system:audit-shipper";

class StringSource final : public gateway::BodySource {
 public:
  explicit StringSource(const std::string& bytes) : bytes_(bytes) {}
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    const size_t n = std::min(max, bytes_.size() - offset_);
    std::memcpy(buf, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  const std::string& bytes_;
  size_t offset_ = 0;
};

class FileSource final : public gateway::BodySource {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  ~FileSource() override { ::close(fd_); }
  absl::StatusOr<size_t> Read(char* buf, size_t max) override {
    for (;;) {
      const ssize_t n = ::read(fd_, buf, max);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return absl::InternalError(std::strerror(errno));
    }
  }

 private:
  int fd_;
};

}  // namespace

AuditShipper::AuditShipper(AuditShipperOptions options, gateway::ObjectService& objects,
                           audit::AuditLog& audit_log, const Clock& clock,
                           metrics::Registry& metrics)
    : options_(std::move(options)),
      objects_(objects),
      audit_log_(audit_log),
      clock_(clock),
      shipped_(metrics
                   .AddCounter("strongbox_audit_shipped_segments_total",
                               "Sealed audit segments copied into the audit ship bucket.")
                   .Get({})),
      ship_errors_(metrics
                       .AddCounter("strongbox_audit_ship_errors_total",
                                   "Audit shipping passes that failed (bucket missing or not "
                                   "COMPLIANCE-locked, write errors); retried next interval.")
                       .Get({})),
      pruned_(metrics
                  .AddCounter("strongbox_audit_pruned_segments_total",
                              "Local audit segments deleted after the local retention.")
                  .Get({})) {}

AuditShipper::~AuditShipper() { Stop(); }

void AuditShipper::Start() {
  thread_.Start(options_.interval, [this] {
    if (!RunOnce().ok()) ship_errors_.Inc();
  });
}

void AuditShipper::Stop() { thread_.Stop(); }

absl::Status AuditShipper::RunOnce() {
  absl::MutexLock lock(&run_mu_);
  if (!shipped_loaded_) {
    LoadShipped();
    shipped_loaded_ = true;
  }
  SB_ASSIGN_OR_RETURN(std::vector<audit::SealedSegment> sealed,
                      audit::ListSealedSegments(options_.audit_dir));
  absl::Status status = options_.bucket.empty() ? absl::OkStatus() : CheckBucket();
  for (const audit::SealedSegment& s : sealed) {
    if (!status.ok() || options_.bucket.empty()) break;
    if (!shipped_names_.contains(s.name)) status = Ship(s.name, s.path, s.last_seq);
  }
  if (!status.ok() && status.ToString() != last_error_) {
    last_error_ = status.ToString();
    Log(LogLevel::kError, "audit shipping failed; retrying every interval",
        {{"bucket", options_.bucket}, {"error", last_error_}});
  } else if (status.ok()) {
    last_error_.clear();
  }
  absl::Status pruned = Prune(sealed);
  return status.ok() ? pruned : status;
}

absl::Status AuditShipper::CheckBucket() {
  absl::StatusOr<metadata::BucketRecord> bucket = objects_.meta().GetBucket(options_.bucket);
  if (!bucket.ok() || !bucket->object_lock_enabled() ||
      bucket->object_lock_default().mode() != metadata::LOCK_MODE_COMPLIANCE) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kInvalidBucketState,
                     absl::StrCat("audit ship bucket ", options_.bucket,
                                  " must exist with Object Lock and a COMPLIANCE default "
                                  "retention (so shipped segments are WORM)"));
  }
  return absl::OkStatus();
}

absl::Status AuditShipper::Ship(const std::string& name, const std::string& path,
                                uint64_t last_seq) {
  if (!key_shipped_) {
    std::string etag;
    const std::string key = options_.prefix + "audit-key.pub.pem";
    SB_RETURN_IF_ERROR(PutBytes(key, options_.public_key_pem, &etag));
    Record("AuditShip", key, etag, options_.public_key_pem.size());
    key_shipped_ = true;
  }
  std::string etag;
  const std::string segment_key = options_.prefix + name;
  SB_RETURN_IF_ERROR(PutFile(segment_key, path, &etag));
  // The checkpoints through the segment's seal: the shipped set verifies on its own.
  SB_ASSIGN_OR_RETURN(std::string checkpoints,
                      audit::CheckpointsThrough(options_.audit_dir, last_seq));
  std::string cp_etag;
  const std::string cp_key = options_.prefix + "checkpoints.log";
  SB_RETURN_IF_ERROR(PutBytes(cp_key, checkpoints, &cp_etag));
  SB_RETURN_IF_ERROR(MarkShipped(name));
  shipped_.Inc();
  Record("AuditShip", segment_key, etag, 0);
  Record("AuditShip", cp_key, cp_etag, checkpoints.size());
  Log(LogLevel::kInfo, "audit segment shipped",
      {{"segment", name}, {"bucket", options_.bucket}, {"key", segment_key}});
  return absl::OkStatus();
}

absl::Status AuditShipper::Put(const std::string& key, std::string_view content_type,
                               gateway::BodySource& body, const gateway::WriteChecks& checks,
                               std::string* etag) {
  metadata::ObjectRecord tmpl;
  tmpl.set_key(key);
  tmpl.set_owner(kPrincipal);
  tmpl.set_content_type(std::string(content_type));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord written,
                      objects_.PutObject(options_.bucket, std::move(tmpl), body, checks));
  *etag = written.etag();
  return absl::OkStatus();
}

absl::Status AuditShipper::PutBytes(const std::string& key, const std::string& bytes,
                                    std::string* etag) {
  StringSource body(bytes);
  gateway::WriteChecks checks;
  checks.expected_size = bytes.size();
  return Put(key, "text/plain", body, checks, etag);
}

absl::Status AuditShipper::PutFile(const std::string& key, const std::string& path,
                                   std::string* etag) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, ": ", std::strerror(errno)));
  FileSource body(fd);
  return Put(key, "application/x-ndjson", body, {}, etag);
}

absl::Status AuditShipper::Prune(const std::vector<audit::SealedSegment>& sealed) {
  if (options_.local_retention <= absl::ZeroDuration()) return absl::OkStatus();
  const int64_t cutoff = absl::ToUnixNanos(clock_.Now() - options_.local_retention);
  for (const audit::SealedSegment& s : sealed) {
    // Oldest first; stop at the first one that must stay, so the local log stays one piece.
    if (s.mtime_unix_nanos > cutoff) break;
    if (!options_.bucket.empty() && !shipped_names_.contains(s.name)) break;
    if (::unlink(s.path.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("unlink ", s.path, ": ", std::strerror(errno)));
    }
    pruned_.Inc();
    Record("AuditPrune", s.name, "", 0);
    Log(LogLevel::kInfo, "audit segment pruned (local retention)", {{"segment", s.name}});
  }
  return absl::OkStatus();
}

void AuditShipper::Record(std::string_view operation, const std::string& key,
                          const std::string& etag, uint64_t bytes) {
  audit::AuditRecord r;
  r.request_id = absl::StrCat("audit-ship-", absl::ToUnixNanos(clock_.Now()));
  r.principal.user = kPrincipal;
  r.operation = std::string(operation);
  r.bucket = operation == "AuditShip" ? options_.bucket : "";
  r.key = key;
  r.decision = {true, "system", "", ""};
  r.http_status = 200;
  r.bytes_in = bytes;
  r.etag = etag;
  absl::Status s = audit_log_.Append(r);
  if (!s.ok()) {
    Log(LogLevel::kError, "audit: could not record an audit shipping action",
        {{"error", s.ToString()}});
  }
}

void AuditShipper::LoadShipped() {
  std::ifstream in(absl::StrCat(options_.audit_dir, "/", kShippedFile));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) shipped_names_.insert(line);
  }
}

absl::Status AuditShipper::MarkShipped(const std::string& name) {
  const std::string path = absl::StrCat(options_.audit_dir, "/", kShippedFile);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, ": ", std::strerror(errno)));
  const std::string line = name + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok) return absl::InternalError(absl::StrCat("write ", path));
  shipped_names_.insert(name);
  return absl::OkStatus();
}

}  // namespace sb::server
