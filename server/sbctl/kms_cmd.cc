#include "server/sbctl/kms_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/table.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

struct KmsArgs {
  std::string alias;
  std::string key_id;
};

std::string Field(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

absl::StatusOr<AdminClient> Client(CommandContext& ctx, const std::string& alias) {
  absl::StatusOr<AliasPath> parsed = ParseAliasPath(alias);
  if (!parsed.ok()) return AsUsageError(parsed.status());
  if (!parsed->bucket.empty()) {
    return UsageError(absl::StrCat("kms takes an alias, not a bucket: '", alias, "'"));
  }
  return ctx.ClientFor(parsed->alias);
}

absl::StatusOr<json::object> ParseObject(const AdminClient& client, const Response& response) {
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(response.body.data(), response.body.size()), ec);
  if (ec || !doc.is_object()) {
    return absl::DataLossError(absl::StrCat(
        "server at ", client.alias().url, " returned invalid JSON: ", OneLine(response.body, 80)));
  }
  return std::move(doc.as_object());
}

// Sends one request and prints the raw JSON (--json) or hands the parsed object to `print`.
absl::Status Exchange(CommandContext& ctx, const std::string& alias, std::string_view method,
                      const std::string& target, const std::string& body,
                      const std::function<void(const json::object&)>& print) {
  SB_ASSIGN_OR_RETURN(AdminClient client, Client(ctx, alias));
  SB_ASSIGN_OR_RETURN(Response response, client.Send(method, target, body));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  if (ctx.flags().json) {
    ctx.out() << absl::StripTrailingAsciiWhitespace(response.body) << '\n';
    return absl::OkStatus();
  }
  SB_ASSIGN_OR_RETURN(json::object doc, ParseObject(client, response));
  print(doc);
  return absl::OkStatus();
}

std::string KeyTarget(const std::string& key_id, std::string_view action) {
  return absl::StrCat(kKmsKeysPath, "/", UriEncode(key_id, true), "/", AsAbsl(action));
}

void AddKeyIdCommand(CLI::App& key, CommandContext& ctx, const char* name, const char* help,
                     std::function<absl::Status(CommandContext&, const KmsArgs&)> run) {
  auto args = std::make_shared<KmsArgs>();
  CLI::App* cmd = key.add_subcommand(name, help);
  cmd->add_option("ALIAS", args->alias, "Alias of the server")->required();
  cmd->add_option("KEYID", args->key_id, "Master key id")->required();
  cmd->callback([&ctx, args, run] { ctx.set_result(run(ctx, *args)); });
}

}  // namespace

void PrintKmsKeys(const json::object& doc, std::ostream& out) {
  const json::value* keys = doc.if_contains("keys");
  if (keys == nullptr || !keys->is_array() || keys->as_array().empty()) {
    out << "No KMS keys.\n";
    return;
  }
  Table table({"ID", "STATE", "VERSION"});
  for (const json::value& k : keys->as_array()) {
    if (!k.is_object()) continue;
    table.AddRow({Field(k.as_object(), "id"), Field(k.as_object(), "state"),
                  Field(k.as_object(), "latest_version")});
  }
  table.Print(out);
}

void AddKmsCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* kms = app.add_subcommand("kms", "Manage the built-in KMS (SSE-KMS master keys)");
  kms->require_subcommand(1);
  CLI::App* key = kms->add_subcommand("key", "Create, list, rotate, disable and enable keys");
  key->require_subcommand(1);

  auto ls_alias = std::make_shared<std::string>();
  CLI::App* ls = key->add_subcommand("ls", "List master keys with their state and version");
  ls->add_option("ALIAS", *ls_alias, "Alias of the server")->required();
  ls->callback([&ctx, ls_alias] {
    ctx.set_result(Exchange(ctx, *ls_alias, "GET", kKmsKeysPath, "",
                            [&ctx](const json::object& doc) { PrintKmsKeys(doc, ctx.out()); }));
  });

  AddKeyIdCommand(
      *key, ctx, "create", "Create a master key", [](CommandContext& c, const KmsArgs& a) {
        json::object body{{"id", a.key_id}};
        return Exchange(c, a.alias, "POST", kKmsKeysPath, json::serialize(body),
                        [&c](const json::object& doc) {
                          c.out() << "Created KMS key " << OneLine(Field(doc, "id")) << " (version "
                                  << OneLine(Field(doc, "latest_version")) << ")\n";
                        });
      });
  AddKeyIdCommand(*key, ctx, "rotate",
                  "Add a key version and re-wrap existing data keys under it (data untouched)",
                  [](CommandContext& c, const KmsArgs& a) {
                    return Exchange(
                        c, a.alias, "POST", KeyTarget(a.key_id, "rotate"), "",
                        [&c](const json::object& doc) {
                          c.out() << "Rotated KMS key " << OneLine(Field(doc, "id"))
                                  << ": now at version " << OneLine(Field(doc, "latest_version"))
                                  << "; re-wrapped " << OneLine(Field(doc, "rewrapped_data_keys"))
                                  << " data keys (object data unchanged)";
                          const std::string failures = Field(doc, "rewrap_failures");
                          if (!failures.empty() && failures != "0") {
                            c.out() << ", " << OneLine(Field(doc, "rewrap_failures"))
                                    << " could not be opened and keep their old version";
                          }
                          c.out() << "\n";
                        });
                  });
  for (const char* action : {"disable", "enable"}) {
    const std::string verb = action;
    AddKeyIdCommand(*key, ctx, action,
                    verb == "disable" ? "Disable a key: its objects become unreadable"
                                      : "Enable a disabled key again",
                    [verb](CommandContext& c, const KmsArgs& a) {
                      return Exchange(c, a.alias, "POST", KeyTarget(a.key_id, verb), "",
                                      [&c](const json::object& doc) {
                                        c.out()
                                            << "KMS key " << OneLine(Field(doc, "id")) << " is now "
                                            << OneLine(Field(doc, "state")) << "\n";
                                      });
                    });
  }
}

}  // namespace sb::sbctl
