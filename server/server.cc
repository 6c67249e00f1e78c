#include "server/server.h"

#include <csignal>
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "erasure/data_plane.h"
#include "gateway/audit_sink.h"
#include "gateway/handlers/handlers.h"
#include "gateway/http_server.h"
#include "gateway/object_encryption.h"
#include "gateway/object_service.h"
#include "gateway/pipeline.h"
#include "gateway/request_metrics.h"
#include "gateway/stages/stages.h"
#include "gateway/tls_context.h"
#include "metadata/metadata_store.h"
#include "policy/audit/audit_log.h"
#include "policy/authorizer.h"
#include "policy/bucket_policy.h"
#include "policy/iam/iam_store.h"
#include "policy/identity.h"
#include "server/audit_shipper.h"
#include "server/kms_setup.h"
#include "server/lifecycle_worker.h"
#include "server/metrics_setup.h"
#include "server/root_credentials.h"

namespace sb::server {
namespace {

constexpr char kVersion[] = "0.1.0";

absl::Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return absl::PermissionDeniedError("cannot create " + path + ": " + ec.message());
  return absl::OkStatus();
}

void PrintCredentials(const RootCredentials& root) {
  if (root.stored_at.empty()) {
    std::printf("root access key: %s (from STRONGBOX_ROOT_ACCESS_KEY)\n",
                root.credential.access_key.c_str());
  } else if (root.generated_now) {
    std::printf(
        "generated root credentials (shown once; stored in %s, mode 0600):\n"
        "  access key: %s\n  secret key: %s\n",
        root.stored_at.c_str(), root.credential.access_key.c_str(),
        root.credential.secret_key.c_str());
  } else {
    std::printf("root access key: %s (secret in %s)\n", root.credential.access_key.c_str(),
                root.stored_at.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

absl::Status Run(const Config& config) {
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);  // reloads the TLS certificate
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const Clock& clock = SystemClock::Get();
  // Outlives every component it reads (declared first, destroyed last).
  metrics::Registry metrics_registry;
  gateway::RequestMetrics request_metrics(metrics_registry);
  SB_RETURN_IF_ERROR(MakeDirs(config.meta_dir));
  for (const auto& d : config.drives) SB_RETURN_IF_ERROR(MakeDirs(d));
  SB_ASSIGN_OR_RETURN(
      RootCredentials root,
      LoadOrCreateRootCredentials(config.meta_dir, config.root_access_key, config.root_secret_key));
  SB_ASSIGN_OR_RETURN(auto meta, metadata::MetadataStore::Open(config.meta_dir + "/rocksdb"));
  erasure::DataPlaneOptions data_options;
  data_options.drive_paths = config.drives;
  data_options.parity = config.parity;
  SB_ASSIGN_OR_RETURN(auto data, erasure::DataPlane::Open(data_options));

  audit::AuditOptions audit_options;
  audit_options.dir = config.meta_dir + "/audit";
  audit_options.key_path = config.meta_dir + "/audit-signing-key.pem";
  audit_options.clock = &clock;
  audit_options.mode =
      config.audit_best_effort ? audit::AuditMode::kBestEffort : audit::AuditMode::kFailClosed;
  audit_options.sync_seconds = &RegisterAuditSyncHistogram(metrics_registry);
  audit_options.segment_bytes = config.audit_segment_bytes;
  SB_RETURN_IF_ERROR(MakeDirs(audit_options.dir));
  SB_ASSIGN_OR_RETURN(auto audit_log, audit::AuditLog::Open(audit_options));

  // Encryption at rest (built-in KMS): see server/kms_setup.h.
  SB_ASSIGN_OR_RETURN(sse::Key256 kms_root, LoadKmsRootKey(config.meta_dir, config.kms_key_file));
  SB_ASSIGN_OR_RETURN(auto keyring, OpenKeyring(config.meta_dir, kms_root));
  // IAM users, groups and policies; access key secrets are sealed under a key derived from
  // the KMS root key, so they are only as readable as SSE-S3 data.
  SB_ASSIGN_OR_RETURN(auto iam, policy::iam::IamStore::Open(*meta, kms_root, clock));
  policy::IdentityStore identities(root.credential, iam.get());
  policy::BucketPolicyCache bucket_policies(*meta);
  policy::Authorizer authorizer(iam.get(), &bucket_policies, &clock);
  gateway::ObjectService objects(*meta, *data, clock, *keyring);
  gateway::Services services{*meta,
                             objects,
                             *data,
                             clock,
                             config.region,
                             {kVersion, clock.Now(), config.drives},
                             audit_options.dir,
                             audit_log->PublicKeyPem()};
  services.iam = iam.get();
  services.authorizer = &authorizer;
  services.metrics = &metrics_registry;
  services.audit_log = audit_log.get();
  services.sts_min_duration = absl::Seconds(config.sts_min_duration_seconds);
  std::vector<std::unique_ptr<gateway::Stage>> stages;
  stages.push_back(std::make_unique<gateway::ParseStage>(config.domains));
  stages.push_back(std::make_unique<gateway::AuthenticateStage>(identities, clock, config.region));
  stages.push_back(std::make_unique<gateway::AuthorizeStage>(authorizer, meta.get()));
  stages.push_back(std::make_unique<gateway::HandleStage>(
      [&services](gateway::RequestContext& ctx) { return gateway::Dispatch(ctx, services); }));
  gateway::AuditLogSink audit_sink(*audit_log);
  gateway::Pipeline pipeline(std::move(stages), &audit_sink, &request_metrics);

  gateway::HttpServerOptions http_options;
  http_options.host = config.host;
  http_options.port = config.port;
  std::unique_ptr<gateway::TlsContext> tls;
  if (!config.tls_cert_file.empty()) {
    SB_ASSIGN_OR_RETURN(tls, gateway::TlsContext::Load({config.tls_cert_file, config.tls_key_file,
                                                        config.tls_client_ca_file}));
    http_options.tls = tls.get();
  }
  SB_ASSIGN_OR_RETURN(auto http, gateway::HttpServer::Start(http_options, &pipeline));
  RegisterServerMetrics(metrics_registry,
                        {meta.get(), data.get(), audit_log.get(), keyring.get(),
                         [server = http.get()] { return server->OpenConnections(); }},
                        kVersion);

  AuditShipperOptions ship_options;
  ship_options.audit_dir = audit_options.dir;
  ship_options.bucket = config.audit_ship_bucket;
  ship_options.prefix = config.audit_ship_prefix;
  ship_options.interval = absl::Seconds(config.audit_ship_interval_seconds);
  ship_options.local_retention = absl::Seconds(config.audit_local_retention_seconds);
  ship_options.public_key_pem = audit_log->PublicKeyPem();
  AuditShipper shipper(ship_options, objects, *audit_log, clock, metrics_registry);
  if (!config.audit_ship_bucket.empty() || config.audit_local_retention_seconds > 0) {
    shipper.Start();
  }

  LifecycleOptions lifecycle_options;
  lifecycle_options.interval = absl::Seconds(config.lifecycle_interval_seconds);
  lifecycle_options.day = absl::Seconds(config.lifecycle_day_seconds);
  lifecycle_options.max_deletes_per_second = config.lifecycle_max_deletes_per_second;
  LifecycleWorker lifecycle(lifecycle_options, objects, *audit_log, clock, metrics_registry);
  lifecycle.Start();

  PrintCredentials(root);
  gateway::SetStoreUnencryptedByDefault(config.insecure_no_encryption);
  if (config.insecure_no_encryption) {
    Log(LogLevel::kWarn,
        "INSECURE: --insecure-no-encryption is set. New objects without SSE headers are "
        "stored UNENCRYPTED on the drives. This switch exists only to measure the cost of "
        "encryption; never use it for real data.");
  }
  Log(LogLevel::kInfo, "started",
      {{"version", kVersion},
       {"drives", absl::StrJoin(config.drives, ",")},
       {"erasure", absl::StrCat(data->DataShards(), "+", data->ParityShards())},
       {"meta", config.meta_dir},
       {"audit", config.audit_best_effort ? "best-effort" : "fail-closed"}});
  std::printf("listening on %s://%s\n", tls ? "https" : "http", http->BoundAddress().c_str());
  std::fflush(stdout);

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    if (tls == nullptr) {
      Log(LogLevel::kInfo, "SIGHUP: nothing to reload (no TLS)");
      continue;
    }
    // New handshakes use the new certificate; open connections keep theirs. A bad new
    // file keeps the old certificate in service.
    absl::Status reloaded = tls->Reload();
    if (reloaded.ok()) {
      Log(LogLevel::kInfo, "TLS certificate reloaded", {{"cert", config.tls_cert_file}});
    } else {
      Log(LogLevel::kError, "TLS certificate reload failed; keeping the previous one",
          {{"error", reloaded.ToString()}});
    }
  }
  Log(LogLevel::kInfo, "stopping: draining in-flight requests",
      {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  size_t left = http->Drain(absl::Seconds(30));
  shipper.Stop();
  lifecycle.Stop();
  Log(LogLevel::kInfo, "stopped", {{"connections_cut", absl::StrCat(left)}});
  if (left != 0) std::_Exit(0);  // Threads still hold references; do not unwind under them.
  absl::Status closed = audit_log->Close();  // signs the final chain head
  if (!closed.ok()) Log(LogLevel::kError, "audit log close failed", {{"error", closed.ToString()}});
  return absl::OkStatus();
}

}  // namespace sb::server
