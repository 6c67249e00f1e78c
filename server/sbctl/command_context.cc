#include "server/sbctl/command_context.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/cord.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"

namespace sb::sbctl {
namespace {

constexpr char kUsagePayloadUrl[] = "type.strongbox/sbctl.UsageError";

std::string GetEnv(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  env.sbctl_config_dir = GetEnv("SBCTL_CONFIG_DIR");
  env.home = GetEnv("HOME");
  env.sbctl_ca_cert = GetEnv("SBCTL_CA_CERT");
  env.in = &std::cin;
  env.in_is_terminal = ::isatty(STDIN_FILENO) == 1;
  return env;
}

CommandContext::CommandContext(Environment env, std::ostream& out, std::ostream& err)
    : env_(std::move(env)), out_(out), err_(err) {}

absl::StatusOr<ConfigStore> CommandContext::Config() const {
  SB_ASSIGN_OR_RETURN(std::string dir,
                      ResolveConfigDir(flags_.config_dir, env_.sbctl_config_dir, env_.home));
  return ConfigStore(std::move(dir));
}

absl::StatusOr<AdminClient> CommandContext::ClientFor(std::string_view name) const {
  SB_RETURN_IF_ERROR(AsUsageError(ValidateAliasName(name)));
  SB_ASSIGN_OR_RETURN(ConfigStore store, Config());
  SB_ASSIGN_OR_RETURN(Alias alias, store.Get(name));
  ClientOptions options;
  options.insecure_tls = flags_.insecure;
  options.ca_cert = CaCert();
  options.timeout = std::chrono::seconds(flags_.timeout_seconds);
  return AdminClient(std::move(alias), options);
}

absl::Status UsageError(std::string_view message) {
  return AsUsageError(absl::InvalidArgumentError(AsAbsl(message)));
}

absl::Status AsUsageError(absl::Status status) {
  if (!status.ok()) status.SetPayload(kUsagePayloadUrl, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayloadUrl).has_value();
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  return IsUsageError(status) ? kExitUsage : kExitRuntime;
}

}  // namespace sb::sbctl
