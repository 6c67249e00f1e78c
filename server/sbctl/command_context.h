// CommandContext: what every sbctl command needs — output streams, the global flags, the
// process environment (injected so tests can run commands in-process) — and where the
// command leaves its result. Also the exit-code convention. Not thread-safe.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/sbctl/admin_client.h"
#include "server/sbctl/config_store.h"

namespace sb::sbctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;    // bad command line
inline constexpr int kExitRuntime = 2;  // anything that failed while running

struct Environment {
  std::string sbctl_config_dir;  // $SBCTL_CONFIG_DIR; empty if unset
  std::string home;              // $HOME; empty if unset
  std::string sbctl_ca_cert;     // $SBCTL_CA_CERT; empty if unset
  std::istream* in = nullptr;    // where secrets are read from when not given as arguments
  bool in_is_terminal = false;   // if so, prompts are shown and echo is turned off on fd 0

  // Snapshot of this process's environment and stdin.
  static Environment FromProcess();
};

struct GlobalFlags {
  bool json = false;
  std::string config_dir;  // --config-dir; overrides $SBCTL_CONFIG_DIR
  bool insecure = false;
  std::string ca_cert;  // --ca-cert / $SBCTL_CA_CERT: PEM bundle trusted for HTTPS servers
  int timeout_seconds = 60;
};

class CommandContext {
 public:
  CommandContext(Environment env, std::ostream& out, std::ostream& err);

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  const Environment& env() const { return env_; }
  GlobalFlags& flags() { return flags_; }
  // --ca-cert, else $SBCTL_CA_CERT; empty: the system's CA store.
  const std::string& CaCert() const {
    return flags_.ca_cert.empty() ? env_.sbctl_ca_cert : flags_.ca_cert;
  }

  // The alias store chosen by --config-dir, $SBCTL_CONFIG_DIR or $HOME.
  // Returns FailedPrecondition when none of them is set.
  absl::StatusOr<ConfigStore> Config() const;

  // A client for alias `name` using the global flags. Returns InvalidArgument (usage) for a
  // malformed name, NotFound for an unknown alias, plus the errors of ConfigStore::Get.
  absl::StatusOr<AdminClient> ClientFor(std::string_view name) const;

  void set_result(absl::Status status) { result_ = std::move(status); }
  const absl::Status& result() const { return result_; }

 private:
  Environment env_;
  std::ostream& out_;
  std::ostream& err_;
  GlobalFlags flags_;
  absl::Status result_;
};

// An InvalidArgument status marked as a command-line mistake (exit code 1).
absl::Status UsageError(std::string_view message);
// Marks an existing error as a command-line mistake; OK stays OK.
absl::Status AsUsageError(absl::Status status);
bool IsUsageError(const absl::Status& status);

// kExitOk for OK, kExitUsage for usage errors, kExitRuntime otherwise.
int ExitCodeFor(const absl::Status& status);

}  // namespace sb::sbctl
