// `sbctl prometheus config ALIAS [--expiry DURATION] [--job NAME]`: prints a Prometheus
// scrape_configs entry for the server behind ALIAS, with a bearer token for
// /_strongbox/metrics. The token is issued locally from the alias's credentials
// (policy/token/bearer_token.h, the same code the server verifies with), as MinIO's
// `mc admin prometheus generate` does: no request is sent. The server accepts it while that
// access key exists and its principal is allowed admin:Prometheus (root always). Not
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

inline constexpr char kMetricsPath[] = "/_strongbox/metrics";

// Adds the "prometheus" command group to `app`; results are left in `ctx`.
void AddPrometheusCommands(CLI::App& app, CommandContext& ctx);

// The scrape config YAML for a server at `url` ("http[s]://host[:port][/base]").
// InvalidArgument for a URL without scheme or host.
absl::StatusOr<std::string> ScrapeConfigYaml(std::string_view url, std::string_view job,
                                             std::string_view token);

}  // namespace sb::sbctl
