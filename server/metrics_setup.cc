#include "server/metrics_setup.h"

#include <string>
#include <utility>
#include <vector>

#include "common/metrics/process_metrics.h"

namespace sb::server {
namespace {

using metrics::MetricType;
using metrics::Sample;

constexpr char kSet[] = "0";  // one erasure set for now

double D(uint64_t v) { return static_cast<double>(v); }

void RegisterDrives(metrics::Registry& r, const erasure::DataPlane* data) {
  // One probe per family and scrape; each probe is a few syscalls per drive.
  auto per_drive = [data](double (*get)(const erasure::DriveHealth&)) {
    return [data, get](std::vector<Sample>& out) {
      for (const erasure::DriveHealth& d : data->ProbeDrives()) {
        out.push_back({{{"set", kSet}, {"drive", d.path}}, get(d)});
      }
    };
  };
  r.AddCallback("strongbox_drive_online",
                "1 if the drive is usable now (format file in place, folder writable), else 0.",
                MetricType::kGauge,
                per_drive([](const erasure::DriveHealth& d) { return d.online ? 1.0 : 0.0; }));
  r.AddCallback("strongbox_drive_errors_total",
                "Shard reads and writes that failed on the drive (missing, unreadable, corrupt).",
                MetricType::kCounter,
                per_drive([](const erasure::DriveHealth& d) { return D(d.errors); }));
  r.AddCallback("strongbox_drive_total_bytes", "Size of the drive's file system (statvfs).",
                MetricType::kGauge,
                per_drive([](const erasure::DriveHealth& d) { return D(d.total_bytes); }));
  r.AddCallback("strongbox_drive_free_bytes",
                "Bytes available to the server on the drive's file system (statvfs).",
                MetricType::kGauge,
                per_drive([](const erasure::DriveHealth& d) { return D(d.free_bytes); }));

  auto per_set = [data](double (*get)(const erasure::DataPlane&)) {
    return [data, get](std::vector<Sample>& out) { out.push_back({{{"set", kSet}}, get(*data)}); };
  };
  r.AddCallback("strongbox_erasure_set_drives", "Drives in the erasure set.", MetricType::kGauge,
                per_set([](const erasure::DataPlane& d) { return D(d.DriveCount()); }));
  r.AddCallback("strongbox_erasure_set_drives_online", "Drives of the erasure set online now.",
                MetricType::kGauge, per_set([](const erasure::DataPlane& d) {
                  uint64_t n = 0;
                  for (const auto& h : d.ProbeDrives()) n += h.online ? 1 : 0;
                  return D(n);
                }));
  r.AddCallback("strongbox_erasure_set_read_quorum", "Drives a read needs (data shards K).",
                MetricType::kGauge,
                per_set([](const erasure::DataPlane& d) { return D(d.ReadQuorum()); }));
  r.AddCallback("strongbox_erasure_set_write_quorum",
                "Drives a write needs (K, or K+1 when K equals the parity M).", MetricType::kGauge,
                per_set([](const erasure::DataPlane& d) { return D(d.WriteQuorum()); }));

  auto stat = [data](uint64_t erasure::DataPlaneStats::*field) {
    return [data, field](std::vector<Sample>& out) {
      out.push_back({{}, D(data->Stats().*field)});
    };
  };
  r.AddCallback("strongbox_bitrot_detected_total",
                "Blocks or shard headers that failed checksum verification on read.",
                MetricType::kCounter, stat(&erasure::DataPlaneStats::bitrot_detected));
  r.AddCallback("strongbox_shard_read_errors_total",
                "Shards missing, unreadable or truncated on read.", MetricType::kCounter,
                stat(&erasure::DataPlaneStats::shard_errors));
  r.AddCallback("strongbox_stripes_reconstructed_total",
                "Stripes whose requested bytes were rebuilt from parity on read.",
                MetricType::kCounter, stat(&erasure::DataPlaneStats::stripes_reconstructed));
}

void RegisterAudit(metrics::Registry& r, const audit::AuditLog* log) {
  auto one = [log](double (*get)(const audit::AuditStats&)) {
    return [log, get](std::vector<Sample>& out) { out.push_back({{}, get(log->Stats())}); };
  };
  r.AddCallback("strongbox_audit_records_total",
                "Sequence number of the last durable audit record (records ever appended).",
                MetricType::kCounter,
                one([](const audit::AuditStats& s) { return D(s.head_seq); }));
  r.AddCallback("strongbox_audit_pending_records",
                "Audit appends waiting for or inside the batch being written (the log's lag).",
                MetricType::kGauge, one([](const audit::AuditStats& s) { return D(s.pending); }));
  r.AddCallback("strongbox_audit_fsyncs_total", "fdatasync calls on audit segments.",
                MetricType::kCounter, one([](const audit::AuditStats& s) { return D(s.syncs); }));
  r.AddCallback("strongbox_audit_dropped_records_total",
                "Records best-effort mode could not write.", MetricType::kCounter,
                one([](const audit::AuditStats& s) { return D(s.dropped); }));
  r.AddCallback("strongbox_audit_failed",
                "1 if a write or sync failed and the log refuses appends until restart.",
                MetricType::kGauge,
                one([](const audit::AuditStats& s) { return s.failed ? 1.0 : 0.0; }));
}

void RegisterKms(metrics::Registry& r, const sse::Keyring* keyring) {
  r.AddCallback(
      "strongbox_kms_operations_total",
      "Data-key operations of the built-in KMS: generate (seal a new key), unwrap (unseal), "
      "rewrap.",
      MetricType::kCounter, [keyring](std::vector<Sample>& out) {
        const sse::KmsStats s = keyring->Stats();
        const char* names[] = {"generate", "unwrap", "rewrap"};
        for (int op = 0; op < sse::KmsStats::kOpCount; ++op) {
          out.push_back({{{"operation", names[op]}, {"result", "ok"}}, D(s.count[op][0])});
          out.push_back({{{"operation", names[op]}, {"result", "error"}}, D(s.count[op][1])});
        }
      });
}

void RegisterMetadata(metrics::Registry& r, const metadata::MetadataStore* meta) {
  struct Series {
    const char* name;
    const char* help;
    MetricType type;
    double (*get)(const metadata::MetadataStats&);
  };
  const Series series[] = {
      {"strongbox_metadata_live_data_bytes", "RocksDB rocksdb.estimate-live-data-size.",
       MetricType::kGauge, [](const metadata::MetadataStats& s) { return D(s.live_data_bytes); }},
      {"strongbox_metadata_sst_files_bytes", "RocksDB rocksdb.total-sst-files-size.",
       MetricType::kGauge, [](const metadata::MetadataStats& s) { return D(s.sst_files_bytes); }},
      {"strongbox_metadata_memtable_bytes", "RocksDB rocksdb.cur-size-all-mem-tables.",
       MetricType::kGauge, [](const metadata::MetadataStats& s) { return D(s.memtable_bytes); }},
      {"strongbox_metadata_keys", "RocksDB rocksdb.estimate-num-keys.", MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return D(s.estimated_keys); }},
      {"strongbox_metadata_pending_compaction_bytes",
       "RocksDB rocksdb.estimate-pending-compaction-bytes.", MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return D(s.pending_compaction_bytes); }},
      {"strongbox_metadata_compaction_pending",
       "Column families with a compaction pending (rocksdb.compaction-pending).",
       MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return D(s.compaction_pending); }},
      {"strongbox_metadata_running_compactions", "RocksDB rocksdb.num-running-compactions.",
       MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return D(s.running_compactions); }},
      {"strongbox_metadata_delayed_write_rate_bytes",
       "RocksDB rocksdb.actual-delayed-write-rate in bytes per second (0: writes not delayed).",
       MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return D(s.delayed_write_rate); }},
      {"strongbox_metadata_writes_stopped",
       "1 while RocksDB stops writes (rocksdb.is-write-stopped).", MetricType::kGauge,
       [](const metadata::MetadataStats& s) { return s.writes_stopped ? 1.0 : 0.0; }},
  };
  for (const Series& s : series) {
    r.AddCallback(s.name, s.help, s.type, [meta, get = s.get](std::vector<Sample>& out) {
      out.push_back({{}, get(meta->Stats())});
    });
  }
}

}  // namespace

metrics::Histogram& RegisterAuditSyncHistogram(metrics::Registry& registry) {
  return registry
      .AddHistogram("strongbox_audit_fsync_seconds", "Duration of audit segment fdatasync calls.",
                    {}, metrics::LatencyBuckets())
      .Get({});
}

void RegisterServerMetrics(metrics::Registry& registry, MetricsSources sources,
                           std::string_view version) {
  registry.AddCallback("strongbox_build_info", "Always 1; the version label says which build.",
                       MetricType::kGauge, [v = std::string(version)](std::vector<Sample>& out) {
                         out.push_back({{{"version", v}}, 1});
                       });
  if (sources.open_connections) {
    registry.AddCallback("strongbox_open_connections", "Open client connections.",
                         MetricType::kGauge,
                         [f = sources.open_connections](std::vector<Sample>& out) {
                           out.push_back({{}, D(f())});
                         });
  }
  if (sources.data != nullptr) RegisterDrives(registry, sources.data);
  if (sources.audit != nullptr) RegisterAudit(registry, sources.audit);
  if (sources.keyring != nullptr) RegisterKms(registry, sources.keyring);
  if (sources.meta != nullptr) RegisterMetadata(registry, sources.meta);
  metrics::RegisterProcessMetrics(registry);
}

}  // namespace sb::server
