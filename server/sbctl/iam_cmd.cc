#include "server/sbctl/iam_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "server/sbctl/iam_request.h"
#include "server/sbctl/table.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

struct Args {
  std::string alias;
  std::string name;         // user, group or access key id
  std::string member;       // group member commands: the user
  std::string policy_file;  // key create / svcacct add --policy
  std::string description;  // key create / svcacct add --description
  std::string expiry;       // svcacct add --expiry (e.g. 90s, 15m, 24h, 30d)
};

using Runner = std::function<absl::Status(CommandContext&, const Args&)>;

// Adds `parent name ALIAS ARG [MEMBER]` running `run`; returns it for extra options.
CLI::App* AddVerb(CLI::App* parent, CommandContext& ctx, const char* name, const char* help,
                  const char* arg_name, const char* member_name, Runner run,
                  std::shared_ptr<Args> args = std::make_shared<Args>()) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("ALIAS", args->alias, "Alias of the server")->required();
  if (arg_name != nullptr) cmd->add_option(arg_name, args->name, arg_name)->required();
  if (member_name != nullptr) cmd->add_option(member_name, args->member, member_name)->required();
  cmd->callback([&ctx, args, run] { ctx.set_result(run(ctx, *args)); });
  return cmd;
}

const json::array* ArrayOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

// --- users -------------------------------------------------------------------------------

absl::Status UserAdd(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object u, IamCall(ctx, a.alias, "PUT", IamTarget({"users", a.name})));
  if (ctx.flags().json) {
    PrintJson(ctx, u);
  } else {
    ctx.out() << "Added user '" << Field(u, "name") << "' (" << Field(u, "user_id")
              << "). It can do nothing until a policy is attached: sbctl policy attach " << a.alias
              << " POLICY --user " << Field(u, "name") << "\n";
  }
  return absl::OkStatus();
}

absl::Status UserLs(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object r, IamCall(ctx, a.alias, "GET", IamTarget({"users"})));
  if (ctx.flags().json) {
    PrintJson(ctx, r);
    return absl::OkStatus();
  }
  Table table({"NAME", "STATUS", "POLICIES", "GROUPS", "CREATED"});
  if (const json::array* users = ArrayOf(r, "users")) {
    for (const auto& v : *users) {
      if (!v.is_object()) continue;
      const auto& u = v.get_object();
      table.AddRow({Field(u, "name"), Field(u, "enabled") == "true" ? "enabled" : "disabled",
                    Field(u, "policies"), Field(u, "groups"), Field(u, "created")});
    }
  }
  table.Print(ctx.out());
  return absl::OkStatus();
}

void PrintKeys(CommandContext& ctx, const json::array& keys, size_t indent,
               std::string_view only_kind = "") {
  Table table(
      {"ACCESS KEY", "KIND", "STATUS", "POLICY", "CREATED", "EXPIRES", "LAST USED", "DESCRIPTION"});
  for (const auto& v : keys) {
    if (!v.is_object()) continue;
    const auto& k = v.get_object();
    if (!only_kind.empty() && Field(k, "kind") != only_kind) continue;
    std::string expires = Field(k, "expires");
    table.AddRow({Field(k, "access_key_id"), Field(k, "kind"), Field(k, "status"),
                  Field(k, "restricted") == "true" ? "own" : "user's", Field(k, "created"),
                  expires == "-" ? "never" : expires, Field(k, "last_used"),
                  Field(k, "description")});
  }
  table.Print(ctx.out(), indent);
}

absl::Status UserInfo(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object u, IamCall(ctx, a.alias, "GET", IamTarget({"users", a.name})));
  if (ctx.flags().json) {
    PrintJson(ctx, u);
    return absl::OkStatus();
  }
  ctx.out() << "Name:     " << Field(u, "name") << "\n"
            << "User ID:  " << Field(u, "user_id") << "\n"
            << "ARN:      " << Field(u, "arn") << "\n"
            << "Status:   " << (Field(u, "enabled") == "true" ? "enabled" : "disabled") << "\n"
            << "Created:  " << Field(u, "created") << "\n"
            << "Policies: " << Field(u, "policies") << "\n"
            << "Groups:   " << Field(u, "groups") << "\n";
  const json::array* keys = ArrayOf(u, "access_keys");
  if (keys != nullptr && !keys->empty()) {
    ctx.out() << "Access keys:\n";
    PrintKeys(ctx, *keys, 2);
  } else {
    ctx.out() << "Access keys: none\n";
  }
  return absl::OkStatus();
}

absl::Status UserRm(CommandContext& ctx, const Args& a) {
  SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, "DELETE", IamTarget({"users", a.name})).status());
  if (!ctx.flags().json) ctx.out() << "Removed user '" << a.name << "' and its access keys\n";
  return absl::OkStatus();
}

Runner UserStatus(bool enable) {
  return [enable](CommandContext& ctx, const Args& a) -> absl::Status {
    SB_ASSIGN_OR_RETURN(
        json::object u,
        IamCall(ctx, a.alias, "POST", IamTarget({"users", a.name, enable ? "enable" : "disable"})));
    if (ctx.flags().json) {
      PrintJson(ctx, u);
    } else {
      ctx.out() << "User '" << a.name << "' is " << (enable ? "enabled" : "disabled") << "\n";
    }
    return absl::OkStatus();
  };
}

// --- access keys -------------------------------------------------------------------------

// "90s", "15m", "24h", "30d" or plain seconds; InvalidArgument otherwise.
absl::StatusOr<int64_t> ParseExpirySeconds(const std::string& text) {
  std::optional<absl::Duration> d = ParseOperatorDuration(text);
  if (d.has_value() && *d >= absl::Seconds(1)) return absl::ToInt64Seconds(*d);
  return UsageError("--expiry must be a duration such as 90s, 15m, 24h or 30d");
}

// POSTs a new key of `kind` for a.name and prints it: a table, or with --json exactly
// {"accessKey": ..., "secretKey": ...} (the shape other tools script against).
absl::Status CreateKey(CommandContext& ctx, const Args& a, std::string_view kind) {
  json::object options;
  options["kind"] = json::string_view(kind.data(), kind.size());
  if (!a.policy_file.empty()) {
    SB_ASSIGN_OR_RETURN(std::string doc, ReadPolicyFile(ctx, a.policy_file));
    options["policy"] = doc;  // the server parses and validates it
  }
  if (!a.description.empty()) options["description"] = a.description;
  if (!a.expiry.empty()) {
    SB_ASSIGN_OR_RETURN(int64_t seconds, ParseExpirySeconds(a.expiry));
    options["expires_in_seconds"] = seconds;
  }
  SB_ASSIGN_OR_RETURN(json::object k,
                      IamCall(ctx, a.alias, "POST", IamTarget({"users", a.name, "access-keys"}),
                              json::serialize(options)));
  if (ctx.flags().json) {
    PrintJson(ctx, json::object{{"accessKey", Field(k, "access_key_id")},
                                {"secretKey", Field(k, "secret_access_key")}});
    return absl::OkStatus();
  }
  std::string expires = Field(k, "expires");
  ctx.out() << "Created " << (kind == "service-account" ? "a service account" : "an access key")
            << (Field(k, "restricted") == "true" ? " with its own policy" : "") << " for '"
            << Field(k, "user") << "'" << (expires == "-" ? "" : ", expiring " + expires)
            << ". The secret is shown only now; store it safely:\n"
            << "  Access Key: " << Field(k, "access_key_id") << "\n"
            << "  Secret Key: " << Field(k, "secret_access_key") << "\n";
  return absl::OkStatus();
}

absl::Status KeyCreate(CommandContext& ctx, const Args& a) {
  return CreateKey(ctx, a, "access-key");
}

absl::Status SvcacctAdd(CommandContext& ctx, const Args& a) {
  return CreateKey(ctx, a, "service-account");
}

absl::Status SvcacctLs(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object r,
                      IamCall(ctx, a.alias, "GET", IamTarget({"users", a.name, "access-keys"})));
  const json::array* keys = ArrayOf(r, "access_keys");
  if (ctx.flags().json) {
    json::array only;
    if (keys != nullptr) {
      for (const auto& v : *keys) {
        if (v.is_object() && Field(v.get_object(), "kind") == "service-account") only.push_back(v);
      }
    }
    PrintJson(ctx, json::object{{"service_accounts", std::move(only)}});
  } else if (keys != nullptr) {
    PrintKeys(ctx, *keys, 0, "service-account");
  }
  return absl::OkStatus();
}

absl::Status KeyLs(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object r,
                      IamCall(ctx, a.alias, "GET", IamTarget({"users", a.name, "access-keys"})));
  if (ctx.flags().json) {
    PrintJson(ctx, r);
  } else if (const json::array* keys = ArrayOf(r, "access_keys")) {
    PrintKeys(ctx, *keys, 0);
  }
  return absl::OkStatus();
}

absl::Status KeyRm(CommandContext& ctx, const Args& a) {
  SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, "DELETE", IamTarget({"access-keys", a.name})).status());
  if (!ctx.flags().json) ctx.out() << "Removed access key " << a.name << "\n";
  return absl::OkStatus();
}

Runner KeyStatus(bool enable) {
  return [enable](CommandContext& ctx, const Args& a) -> absl::Status {
    SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, "POST",
                               IamTarget({"access-keys", a.name, enable ? "enable" : "disable"}))
                           .status());
    if (!ctx.flags().json) {
      ctx.out() << "Access key " << a.name << " is " << (enable ? "active" : "inactive") << "\n";
    }
    return absl::OkStatus();
  };
}

// --- groups ------------------------------------------------------------------------------

absl::Status GroupAdd(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object g, IamCall(ctx, a.alias, "PUT", IamTarget({"groups", a.name})));
  if (ctx.flags().json) {
    PrintJson(ctx, g);
  } else {
    ctx.out() << "Added group '" << Field(g, "name") << "'\n";
  }
  return absl::OkStatus();
}

absl::Status GroupLs(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object r, IamCall(ctx, a.alias, "GET", IamTarget({"groups"})));
  if (ctx.flags().json) {
    PrintJson(ctx, r);
    return absl::OkStatus();
  }
  Table table({"NAME", "MEMBERS", "POLICIES", "CREATED"});
  if (const json::array* groups = ArrayOf(r, "groups")) {
    for (const auto& v : *groups) {
      if (!v.is_object()) continue;
      const auto& g = v.get_object();
      table.AddRow(
          {Field(g, "name"), Field(g, "members"), Field(g, "policies"), Field(g, "created")});
    }
  }
  table.Print(ctx.out());
  return absl::OkStatus();
}

absl::Status GroupInfo(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(json::object g, IamCall(ctx, a.alias, "GET", IamTarget({"groups", a.name})));
  if (ctx.flags().json) {
    PrintJson(ctx, g);
    return absl::OkStatus();
  }
  ctx.out() << "Name:     " << Field(g, "name") << "\n"
            << "Created:  " << Field(g, "created") << "\n"
            << "Members:  " << Field(g, "members") << "\n"
            << "Policies: " << Field(g, "policies") << "\n";
  return absl::OkStatus();
}

absl::Status GroupRm(CommandContext& ctx, const Args& a) {
  SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, "DELETE", IamTarget({"groups", a.name})).status());
  if (!ctx.flags().json) ctx.out() << "Removed group '" << a.name << "'\n";
  return absl::OkStatus();
}

Runner GroupMember(bool add) {
  return [add](CommandContext& ctx, const Args& a) -> absl::Status {
    SB_RETURN_IF_ERROR(IamCall(ctx, a.alias, add ? "PUT" : "DELETE",
                               IamTarget({"groups", a.name, "members", a.member}))
                           .status());
    if (!ctx.flags().json) {
      ctx.out() << (add ? "Added '" : "Removed '") << a.member << (add ? "' to" : "' from")
                << " group '" << a.name << "'\n";
    }
    return absl::OkStatus();
  };
}

}  // namespace

void AddIamCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* user = app.add_subcommand("user", "Manage IAM users");
  user->require_subcommand(1);
  AddVerb(user, ctx, "add", "Create a user (it has no permissions until a policy is attached)",
          "USER", nullptr, UserAdd);
  AddVerb(user, ctx, "ls", "List users", nullptr, nullptr, UserLs);
  AddVerb(user, ctx, "info", "Show a user and its access keys", "USER", nullptr, UserInfo);
  AddVerb(user, ctx, "rm", "Delete a user and its access keys", "USER", nullptr, UserRm);
  AddVerb(user, ctx, "enable", "Let a user's access keys authenticate again", "USER", nullptr,
          UserStatus(true));
  AddVerb(user, ctx, "disable", "Refuse the user's access keys from the next request on", "USER",
          nullptr, UserStatus(false));

  CLI::App* key = app.add_subcommand("key", "Manage IAM users' access keys");
  key->alias("accesskey");
  key->require_subcommand(1);
  auto create = std::make_shared<Args>();
  CLI::App* create_cmd = AddVerb(key, ctx, "create",
                                 "Create an access key for USER; prints the secret once (--json: "
                                 "{\"accessKey\": ..., \"secretKey\": ...})",
                                 "USER", nullptr, KeyCreate, create);
  create_cmd->add_option("--policy", create->policy_file,
                         "restrict the key: it may do only what this policy (FILE, '-': stdin) "
                         "and its user's policies both allow");
  create_cmd->add_option("--description", create->description, "a note shown by ls");
  AddVerb(key, ctx, "ls", "List USER's access keys and service accounts (never the secrets)",
          "USER", nullptr, KeyLs);
  AddVerb(key, ctx, "rm", "Delete an access key", "ACCESS_KEY", nullptr, KeyRm);
  AddVerb(key, ctx, "enable", "Activate an access key", "ACCESS_KEY", nullptr, KeyStatus(true));
  AddVerb(key, ctx, "disable", "Deactivate an access key", "ACCESS_KEY", nullptr, KeyStatus(false));

  CLI::App* svc = app.add_subcommand("svcacct", "Manage service accounts (machine keys)");
  svc->require_subcommand(1);
  auto add = std::make_shared<Args>();
  CLI::App* add_cmd = AddVerb(svc, ctx, "add",
                              "Create a service account under USER; prints the secret once "
                              "(--json: {\"accessKey\": ..., \"secretKey\": ...})",
                              "USER", nullptr, SvcacctAdd, add);
  add_cmd->add_option("--policy", add->policy_file,
                      "narrow it: it may do only what this policy (FILE, '-': stdin) and USER's "
                      "policies both allow");
  add_cmd->add_option("--expiry", add->expiry,
                      "refuse it after this long: 90s, 15m, 24h, 30d (default: never)");
  add_cmd->add_option("--description", add->description, "a note shown by ls");
  AddVerb(svc, ctx, "ls", "List USER's service accounts", "USER", nullptr, SvcacctLs);
  AddVerb(svc, ctx, "rm", "Delete a service account", "ACCESS_KEY", nullptr, KeyRm);
  AddVerb(svc, ctx, "enable", "Activate a service account", "ACCESS_KEY", nullptr, KeyStatus(true));
  AddVerb(svc, ctx, "disable", "Deactivate a service account", "ACCESS_KEY", nullptr,
          KeyStatus(false));

  CLI::App* group = app.add_subcommand("group", "Manage IAM groups");
  group->require_subcommand(1);
  AddVerb(group, ctx, "add", "Create a group", "GROUP", nullptr, GroupAdd);
  AddVerb(group, ctx, "ls", "List groups", nullptr, nullptr, GroupLs);
  AddVerb(group, ctx, "info", "Show a group's members and policies", "GROUP", nullptr, GroupInfo);
  AddVerb(group, ctx, "rm", "Delete a group (its members stay)", "GROUP", nullptr, GroupRm);
  AddVerb(group, ctx, "addmember", "Add USER to GROUP", "GROUP", "USER", GroupMember(true));
  AddVerb(group, ctx, "rmmember", "Remove USER from GROUP", "GROUP", "USER", GroupMember(false));
}

}  // namespace sb::sbctl
