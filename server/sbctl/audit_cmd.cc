#include "server/sbctl/audit_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

constexpr char kAuditPath[] = "/_strongbox/admin/v1/audit/";

absl::StatusOr<json::object> GetJson(AdminClient& client, const std::string& target) {
  SB_ASSIGN_OR_RETURN(Response response, client.Get(target));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(response.body.data(), response.body.size()), ec);
  if (ec || !doc.is_object()) return absl::DataLossError("server returned invalid JSON");
  return doc.as_object();
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

absl::Status RunPubkey(CommandContext& ctx, const std::string& alias) {
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(alias));
  SB_ASSIGN_OR_RETURN(Response response, client.Get(absl::StrCat(kAuditPath, "pubkey")));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  ctx.out() << response.body;
  return absl::OkStatus();
}

absl::Status RunVerify(CommandContext& ctx, const std::string& alias) {
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(alias));
  SB_ASSIGN_OR_RETURN(json::object report, GetJson(client, absl::StrCat(kAuditPath, "verify")));
  if (ctx.flags().json) {
    ctx.out() << json::serialize(report) << '\n';
  } else if (Str(report, "ok") == "true") {
    ctx.out() << "audit log intact: " << Str(report, "records_checked") << " records, "
              << Str(report, "checkpoints_checked") << " signed checkpoints, head seq "
              << Str(report, "head_seq") << '\n';
  } else {
    ctx.out() << "AUDIT LOG TAMPERED OR DAMAGED: first bad record seq " << Str(report, "seq")
              << " (" << Str(report, "file") << " line " << Str(report, "line")
              << "): " << Str(report, "kind") << ": " << Str(report, "detail") << '\n';
  }
  if (Str(report, "ok") != "true") return absl::DataLossError("audit log verification failed");
  return absl::OkStatus();
}

absl::Status RunQuery(CommandContext& ctx, const std::string& target, const std::string& user,
                      const std::string& op, int limit) {
  absl::StatusOr<AliasPath> parsed = ParseAliasPath(target);
  if (!parsed.ok()) return AsUsageError(parsed.status());
  std::string query = absl::StrCat("limit=", limit);
  if (!parsed->bucket.empty())
    absl::StrAppend(&query, "&bucket=", UriEncode(parsed->bucket, false));
  if (!parsed->prefix.empty())
    absl::StrAppend(&query, "&prefix=", UriEncode(parsed->prefix, false));
  if (!user.empty()) absl::StrAppend(&query, "&user=", UriEncode(user, false));
  if (!op.empty()) absl::StrAppend(&query, "&operation=", UriEncode(op, false));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(parsed->alias));
  SB_ASSIGN_OR_RETURN(json::object result,
                      GetJson(client, absl::StrCat(kAuditPath, "query?", query)));
  if (ctx.flags().json) {
    ctx.out() << json::serialize(result) << '\n';
    return absl::OkStatus();
  }
  const json::value* records = result.if_contains("records");
  if (records == nullptr || !records->is_array()) return absl::DataLossError("bad query reply");
  for (const auto& r : records->as_array()) {
    if (!r.is_object()) continue;
    const auto& o = r.as_object();
    ctx.out() << Str(o, "time") << "  seq " << Str(o, "seq") << "  " << Str(o, "user") << " ("
              << Str(o, "access_key") << ")  " << Str(o, "operation") << " /" << Str(o, "bucket")
              << (Str(o, "key").empty() ? "" : "/") << Str(o, "key") << "  -> " << Str(o, "status")
              << (Str(o, "error").empty() ? "" : " ") << Str(o, "error") << "  decided by "
              << Str(o, "decided_by") << '\n';
  }
  return absl::OkStatus();
}

}  // namespace

void AddAuditCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* audit = app.add_subcommand("audit", "Inspect the tamper-evident audit log");
  audit->require_subcommand(1);
  auto alias = std::make_shared<std::string>();
  CLI::App* pubkey = audit->add_subcommand("pubkey", "Print the audit signing public key (PEM)");
  pubkey->add_option("ALIAS", *alias, "Alias of the server")->required();
  pubkey->callback([&ctx, alias] { ctx.set_result(RunPubkey(ctx, *alias)); });
  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the hash chain and signed checkpoints; name the first bad record");
  verify->add_option("ALIAS", *alias, "Alias of the server")->required();
  verify->callback([&ctx, alias] { ctx.set_result(RunVerify(ctx, *alias)); });
  auto target = std::make_shared<std::string>();
  auto user = std::make_shared<std::string>();
  auto op = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(100);
  CLI::App* query =
      audit->add_subcommand("query", "Who touched ALIAS/BUCKET/KEY-PREFIX, and what decided it");
  query->add_option("TARGET", *target, "ALIAS[/BUCKET[/KEY-PREFIX]]")->required();
  query->add_option("--user", *user, "only this user");
  query->add_option("--operation", *op, "only this operation, e.g. PutObject");
  query->add_option("--limit", *limit, "at most this many records (default 100)");
  query->callback([&ctx, target, user, op, limit] {
    ctx.set_result(RunQuery(ctx, *target, *user, *op, *limit));
  });
}

}  // namespace sb::sbctl
