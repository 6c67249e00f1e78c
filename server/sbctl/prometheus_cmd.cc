#include "server/sbctl/prometheus_cmd.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "policy/token/bearer_token.h"
#include "server/sbctl/alias_path.h"

namespace sb::sbctl {
namespace {

struct ConfigArgs {
  std::string alias;
  std::string expiry = "87600h";  // ten years, like MinIO's long-lived scrape tokens
  std::string job = "strongbox";
};

bool SafeYamlScalar(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}

absl::Status RunConfig(CommandContext& ctx, const ConfigArgs& args) {
  absl::StatusOr<AliasPath> parsed = ParseAliasPath(args.alias);
  if (!parsed.ok()) return AsUsageError(parsed.status());
  if (!parsed->bucket.empty()) {
    return UsageError(
        absl::StrCat("prometheus config takes an alias, not a bucket: '", args.alias, "'"));
  }
  absl::Duration expiry;
  if (!absl::ParseDuration(args.expiry, &expiry) || expiry <= absl::ZeroDuration()) {
    return UsageError(
        absl::StrCat("--expiry wants a positive duration such as 8760h, got '", args.expiry, "'"));
  }
  if (!SafeYamlScalar(args.job)) {
    return UsageError("--job may hold only letters, digits and - _ . / :");
  }
  SB_ASSIGN_OR_RETURN(ConfigStore store, ctx.Config());
  SB_ASSIGN_OR_RETURN(Alias alias, store.Get(parsed->alias));
  const absl::Time now = absl::Now();
  policy::token::Claims claims;
  claims.access_key = alias.access_key;
  claims.audience = policy::token::kPrometheusAudience;
  claims.issued_at = absl::ToUnixSeconds(now);
  claims.expires_at = absl::ToUnixSeconds(now + expiry);
  const std::string token = policy::token::Issue(claims, alias.secret_key);
  SB_ASSIGN_OR_RETURN(std::string yaml, ScrapeConfigYaml(alias.url, args.job, token));
  ctx.out() << yaml;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ScrapeConfigYaml(std::string_view url, std::string_view job,
                                             std::string_view token) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return absl::InvalidArgumentError(absl::StrCat("server URL has no scheme: ", AsAbsl(url)));
  }
  const std::string_view scheme = url.substr(0, sep);
  std::string_view rest = url.substr(sep + 3);
  const size_t slash = rest.find('/');
  const std::string_view host = rest.substr(0, slash);
  const std::string_view base = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("server URL has no host: ", AsAbsl(url)));
  }
  return absl::StrCat("scrape_configs:\n",                                     //
                      "  - job_name: ", AsAbsl(job), "\n",                     //
                      "    bearer_token: ", AsAbsl(token), "\n",               //
                      "    metrics_path: ", AsAbsl(base), kMetricsPath, "\n",  //
                      "    scheme: ", AsAbsl(scheme), "\n",                    //
                      "    static_configs:\n",                                 //
                      "      - targets: ['", AsAbsl(host), "']\n");
}

void AddPrometheusCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* prom = app.add_subcommand("prometheus", "Prometheus integration");
  prom->require_subcommand(1);
  auto args = std::make_shared<ConfigArgs>();
  CLI::App* config = prom->add_subcommand(
      "config", "Print a scrape_configs entry with a bearer token for /_strongbox/metrics");
  config->add_option("ALIAS", args->alias, "Alias of the server")->required();
  config->add_option("--expiry", args->expiry, "Token lifetime (e.g. 8760h)")
      ->capture_default_str();
  config->add_option("--job", args->job, "Prometheus job_name")->capture_default_str();
  config->callback([&ctx, args] { ctx.set_result(RunConfig(ctx, *args)); });
}

}  // namespace sb::sbctl
