#include "server/sbctl/cli.h"

#include <CLI/CLI.hpp>

#include "common/absl_compat.h"
#include "server/sbctl/alias_cmd.h"
#include "server/sbctl/audit_cmd.h"
#include "server/sbctl/bench_cmd.h"
#include "server/sbctl/bucket_cmd.h"
#include "server/sbctl/iam_cmd.h"
#include "server/sbctl/info_cmd.h"
#include "server/sbctl/kms_cmd.h"
#include "server/sbctl/policy_cmd.h"
#include "server/sbctl/prometheus_cmd.h"
#include "server/sbctl/response_status.h"

namespace sb::sbctl {
namespace {

constexpr char kDescription[] =
    "sbctl administers Strongbox servers. Targets are ALIAS or ALIAS/BUCKET[/PREFIX]; "
    "aliases live in $SBCTL_CONFIG_DIR/config.json (default ~/.config/sbctl).";

void AddGlobalFlags(CLI::App& app, GlobalFlags& flags) {
  app.set_version_flag("--version", "sbctl " SB_SBCTL_VERSION);
  app.add_flag("--json", flags.json, "Print machine-readable JSON");
  app.add_option("--config-dir", flags.config_dir,
                 "Directory holding config.json (overrides $SBCTL_CONFIG_DIR)");
  app.add_flag("--insecure", flags.insecure, "Do not verify the server's TLS certificate");
  app.add_option("--ca-cert", flags.ca_cert,
                 "PEM file of CA certificates to trust for HTTPS servers (a private CA); "
                 "default $SBCTL_CA_CERT, else the system's");
  app.add_option("--timeout", flags.timeout_seconds, "Request timeout in seconds")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
}

}  // namespace

int RunSbctl(const std::vector<std::string>& args, Environment env, std::ostream& out,
             std::ostream& err) {
  CommandContext ctx(std::move(env), out, err);
  CLI::App app(kDescription, "sbctl");
  app.fallthrough();  // global flags are also accepted after the command: "info local --json"
  app.require_subcommand(1);
  AddGlobalFlags(app, ctx.flags());
  // New command groups register here, one file each.
  AddAliasCommands(app, ctx);
  AddInfoCommand(app, ctx);
  AddKmsCommands(app, ctx);
  AddAuditCommands(app, ctx);
  AddBucketCommands(app, ctx);
  AddIamCommands(app, ctx);
  AddPolicyCommands(app, ctx);
  AddPrometheusCommands(app, ctx);
  AddBenchCommand(app, ctx);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
  try {
    app.parse(std::move(reversed));
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      app.exit(e, out, err);  // --help or --version
      return kExitOk;
    }
    err << "sbctl: " << OneLine(e.what()) << " (see 'sbctl --help')\n";
    return kExitUsage;
  }
  const absl::Status& result = ctx.result();
  if (!result.ok()) err << "sbctl: " << OneLine(AsStd(result.message()), 1000) << '\n';
  return ExitCodeFor(result);
}

}  // namespace sb::sbctl
