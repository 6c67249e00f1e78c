#include "server/sbctl/policy_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/sbctl/iam_request.h"
#include "server/sbctl/table.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

struct PolicyArgs {
  std::string alias;
  std::string name;
  std::string file;
  std::string user;
  std::string group;
  std::string action;
  std::string resource;
  std::string bucket;
  std::vector<std::string> context;  // KEY=VALUE, repeatable
  std::string access_key;            // simulate as a request signed with this key
};

absl::Status Create(CommandContext& ctx, const PolicyArgs& a) {
  SB_ASSIGN_OR_RETURN(std::string doc, ReadPolicyFile(ctx, a.file));
  SB_ASSIGN_OR_RETURN(json::object p,
                      IamCall(ctx, a.alias, "PUT", IamTarget({"policies", a.name}), doc));
  if (ctx.flags().json) {
    PrintJson(ctx, p);
  } else {
    ctx.out() << "Stored policy '" << Field(p, "name") << "' (attached to "
              << Field(p, "attachments") << " users or groups)\n";
  }
  return absl::OkStatus();
}

absl::Status List(CommandContext& ctx, const PolicyArgs& a) {
  SB_ASSIGN_OR_RETURN(json::object r, IamCall(ctx, a.alias, "GET", IamTarget({"policies"})));
  if (ctx.flags().json) {
    PrintJson(ctx, r);
    return absl::OkStatus();
  }
  Table table({"NAME", "ATTACHMENTS", "UPDATED"});
  if (const json::value* list = r.if_contains("policies"); list != nullptr && list->is_array()) {
    for (const auto& v : list->get_array()) {
      if (!v.is_object()) continue;
      const auto& p = v.get_object();
      table.AddRow({Field(p, "name"), Field(p, "attachments"), Field(p, "updated")});
    }
  }
  table.Print(ctx.out());
  return absl::OkStatus();
}

absl::Status Info(CommandContext& ctx, const PolicyArgs& a) {
  SB_ASSIGN_OR_RETURN(json::object p,
                      IamCall(ctx, a.alias, "GET", IamTarget({"policies", a.name})));
  if (ctx.flags().json) {
    PrintJson(ctx, p);
    return absl::OkStatus();
  }
  ctx.out() << "Name:        " << Field(p, "name") << "\n"
            << "Attachments: " << Field(p, "attachments") << "\n"
            << "Created:     " << Field(p, "created") << "\n"
            << "Updated:     " << Field(p, "updated") << "\n";
  if (const json::value* doc = p.if_contains("document")) {
    ctx.out() << "Document:\n" << json::serialize(*doc) << "\n";
  }
  return absl::OkStatus();
}

absl::Status Remove(CommandContext& ctx, const PolicyArgs& a) {
  SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, "DELETE", IamTarget({"policies", a.name})).status());
  if (!ctx.flags().json) ctx.out() << "Removed policy '" << a.name << "'\n";
  return absl::OkStatus();
}

absl::Status Attachment(CommandContext& ctx, const PolicyArgs& a, bool attach) {
  if (a.user.empty() == a.group.empty()) return UsageError("give exactly one of --user, --group");
  const bool user = !a.user.empty();
  const std::string& owner = user ? a.user : a.group;
  SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, attach ? "PUT" : "DELETE",
                             IamTarget({user ? "users" : "groups", owner, "policies", a.name}))
                         .status());
  if (!ctx.flags().json) {
    ctx.out() << (attach ? "Attached policy '" : "Detached policy '") << a.name
              << (attach ? "' to " : "' from ") << (user ? "user '" : "group '") << owner << "'\n";
  }
  return absl::OkStatus();
}

// "aws:SourceIp=10.0.0.1" pairs; a key given twice becomes a multivalued key.
absl::StatusOr<json::object> ContextJson(const std::vector<std::string>& pairs) {
  json::object out;
  for (const std::string& pair : pairs) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError(absl::StrCat("--context wants KEY=VALUE, got ", pair));
    }
    std::string key = pair.substr(0, eq);
    json::value& slot = out[key];
    if (slot.is_null()) {
      slot = json::array();
    }
    slot.as_array().emplace_back(pair.substr(eq + 1));
  }
  return out;
}

std::string Conditions(const json::object& st) {
  const json::value* list = st.if_contains("conditions");
  if (list == nullptr || !list->is_array() || list->get_array().empty()) return "-";
  std::string out;
  for (const auto& c : list->get_array()) {
    if (!c.is_object()) continue;
    const auto& o = c.get_object();
    if (!out.empty()) out += "; ";
    absl::StrAppend(&out, Field(o, "operator"), " ", Field(o, "key"), "=",
                    Field(o, "result") == "true" ? "match" : "no match",
                    Field(o, "key_present") == "true" ? "" : " (key absent)");
  }
  return out;
}

void PrintSimulation(CommandContext& ctx, const json::object& r) {
  const bool allowed = Field(r, "allowed") == "true";
  ctx.out() << "Decision:   " << (allowed ? "ALLOWED" : "DENIED") << "\n"
            << "Decided by: " << Field(r, "decided_by") << "\n";
  if (const json::value* d = r.if_contains("decision"); d != nullptr && d->is_object()) {
    ctx.out() << "Summary:    " << Field(d->get_object(), "summary") << "\n";
  }
  std::vector<std::string> names;
  if (const json::value* v = r.if_contains("identity_policies"); v != nullptr && v->is_array()) {
    for (const auto& n : v->get_array())
      names.push_back(n.is_string() ? std::string(n.get_string()) : "?");
  }
  ctx.out() << "Identity policies: " << Field(r, "identity_policies") << "\n"
            << "Bucket policy:     " << Field(r, "bucket_policy") << "\n";
  const json::value* list = r.if_contains("statements");
  if (list == nullptr || !list->is_array() || list->get_array().empty()) {
    ctx.out() << "No statement was evaluated.\n";
    return;
  }
  Table table({"POLICY", "STMT", "SID", "EFFECT", "ACTION", "RESOURCE", "PRINCIPAL", "APPLIES",
               "CONDITIONS"});
  for (const auto& v : list->get_array()) {
    if (!v.is_object()) continue;
    const auto& st = v.get_object();
    std::string policy = Field(st, "source");
    if (policy == "identity") {
      const json::value* idx = st.if_contains("policy_index");
      if (idx != nullptr && idx->is_int64() && idx->get_int64() >= 0 &&
          static_cast<size_t>(idx->get_int64()) < names.size()) {
        policy = names[idx->get_int64()];
      }
    }
    auto yes = [&](const char* key) { return Field(st, key) == "true" ? "yes" : "no"; };
    table.AddRow({policy, Field(st, "statement_index"), Field(st, "sid"), Field(st, "effect"),
                  yes("action_matched"), yes("resource_matched"), Field(st, "principal"),
                  yes("applies"), Conditions(st)});
  }
  ctx.out() << "Statements:\n";
  table.Print(ctx.out(), 2);
}

absl::Status Simulate(CommandContext& ctx, const PolicyArgs& a) {
  if (!a.user.empty() && !a.group.empty()) return UsageError("--group is not used by simulate");
  json::object body{{"action", a.action}, {"resource", a.resource}};
  if (!a.access_key.empty()) {
    body["access_key"] = a.access_key;
    if (!a.user.empty()) body["user"] = a.user;
  } else {
    body["user"] = a.user.empty() ? "anonymous" : a.user;
  }
  if (!a.bucket.empty()) body["bucket"] = a.bucket;
  SB_ASSIGN_OR_RETURN(body["context"], ContextJson(a.context));
  SB_ASSIGN_OR_RETURN(json::object r, IamCall(ctx, a.alias, "POST", IamTarget({"simulate"}),
                                              json::serialize(body)));
  if (ctx.flags().json) {
    PrintJson(ctx, r);
  } else {
    PrintSimulation(ctx, r);
  }
  return absl::OkStatus();
}

CLI::App* AddCommand(CLI::App* parent, CommandContext& ctx, const char* name, const char* help,
                     std::shared_ptr<PolicyArgs> args,
                     std::function<absl::Status(CommandContext&, const PolicyArgs&)> run) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("ALIAS", args->alias, "Alias of the server")->required();
  cmd->callback([&ctx, args, run] { ctx.set_result(run(ctx, *args)); });
  return cmd;
}

}  // namespace

void AddPolicyCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* policy = app.add_subcommand("policy", "Manage IAM managed policies");
  policy->require_subcommand(1);

  auto create = std::make_shared<PolicyArgs>();
  AddCommand(policy, ctx, "create", "Create or replace policy NAME from FILE ('-': stdin)", create,
             Create)
      ->add_option("NAME", create->name, "Policy name")
      ->required();
  policy->get_subcommand("create")
      ->add_option("FILE", create->file, "Policy document (JSON)")
      ->required();

  auto ls = std::make_shared<PolicyArgs>();
  AddCommand(policy, ctx, "ls", "List policies", ls, List);

  auto info = std::make_shared<PolicyArgs>();
  AddCommand(policy, ctx, "info", "Show a policy and its document", info, Info)
      ->add_option("NAME", info->name, "Policy name")
      ->required();

  auto rm = std::make_shared<PolicyArgs>();
  AddCommand(policy, ctx, "rm", "Delete a policy (it must be detached everywhere)", rm, Remove)
      ->add_option("NAME", rm->name, "Policy name")
      ->required();

  for (bool attach : {true, false}) {
    auto args = std::make_shared<PolicyArgs>();
    CLI::App* cmd = AddCommand(
        policy, ctx, attach ? "attach" : "detach",
        attach ? "Attach POLICY to a user or group" : "Detach POLICY from a user or group", args,
        [attach](CommandContext& c, const PolicyArgs& a) { return Attachment(c, a, attach); });
    cmd->add_option("POLICY", args->name, "Policy name")->required();
    cmd->add_option("--user", args->user, "the user");
    cmd->add_option("--group", args->group, "the group");
  }

  auto sim = std::make_shared<PolicyArgs>();
  CLI::App* cmd = AddCommand(policy, ctx, "simulate",
                             "Explain how the server would decide a request", sim, Simulate);
  cmd->add_option("--user", sim->user, "the requester: a user, 'root' or 'anonymous' (default)");
  cmd->add_option("--action", sim->action, "IAM action, e.g. s3:GetObject")->required();
  cmd->add_option("--resource", sim->resource, "resource ARN, e.g. arn:aws:s3:::bucket/key")
      ->required();
  cmd->add_option("--access-key", sim->access_key,
                  "as signed with this access key (its user, and its own policy if restricted)");
  cmd->add_option("--bucket", sim->bucket, "bucket whose policy applies (default: from the ARN)");
  cmd->add_option("--context", sim->context,
                  "condition key, e.g. aws:SourceIp=10.0.0.1 (repeatable)");
}

}  // namespace sb::sbctl
