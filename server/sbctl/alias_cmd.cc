#include "server/sbctl/alias_cmd.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/table.h"

namespace sb::sbctl {
namespace {

struct SetArgs {
  std::string name;
  std::string url;
  std::string access_key;
  std::string secret_key;
};

struct LsArgs {
  std::string name;
};

struct RmArgs {
  std::string name;
};

// Turns off terminal echo on stdin for its lifetime, so a typed secret is not displayed.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// Reads the secret key from the environment's input, so it stays out of shell history
// and process listings.
absl::StatusOr<std::string> ReadSecret(CommandContext& ctx) {
  if (ctx.env().in == nullptr)
    return UsageError("SECRET_KEY not given and no input to read it from");
  std::string line;
  if (ctx.env().in_is_terminal) {
    ctx.err() << "Enter secret key: " << std::flush;
    EchoOff echo_off;
    std::getline(*ctx.env().in, line);
    ctx.err() << '\n';
  } else {
    std::getline(*ctx.env().in, line);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) return UsageError("no secret key given (empty input)");
  return line;
}

absl::Status RunSet(CommandContext& ctx, const SetArgs& args) {
  SB_RETURN_IF_ERROR(AsUsageError(ValidateAliasName(args.name)));
  Alias alias{args.name, args.url, args.access_key, args.secret_key};
  if (alias.secret_key.empty()) {
    SB_ASSIGN_OR_RETURN(alias.secret_key, ReadSecret(ctx));
  }
  SB_ASSIGN_OR_RETURN(ConfigStore store, ctx.Config());
  absl::Status status = store.Set(alias);
  // Validation failures of the arguments are usage errors; I/O failures are not.
  if (status.code() == absl::StatusCode::kInvalidArgument) return AsUsageError(status);
  SB_RETURN_IF_ERROR(status);
  ctx.out() << "Added alias '" << alias.name << "' (" << store.path() << ")\n";
  return absl::OkStatus();
}

absl::Status RunLs(CommandContext& ctx, const LsArgs& args) {
  SB_ASSIGN_OR_RETURN(ConfigStore store, ctx.Config());
  std::vector<Alias> aliases;
  if (args.name.empty()) {
    SB_ASSIGN_OR_RETURN(aliases, store.List());
  } else {
    SB_RETURN_IF_ERROR(AsUsageError(ValidateAliasName(args.name)));
    SB_ASSIGN_OR_RETURN(Alias alias, store.Get(args.name));
    aliases.push_back(std::move(alias));
  }
  if (ctx.flags().json) {
    boost::json::array list;
    for (const Alias& a : aliases) {
      list.push_back(boost::json::object{{"name", a.name},
                                         {"url", a.url},
                                         {"access_key", a.access_key},
                                         {"secret_key", MaskSecret(a.secret_key)}});
    }
    ctx.out() << boost::json::serialize(list) << '\n';
    return absl::OkStatus();
  }
  if (aliases.empty()) {
    ctx.out() << "No aliases. Add one with: sbctl alias set NAME URL ACCESS_KEY SECRET_KEY\n";
    return absl::OkStatus();
  }
  Table table({"NAME", "URL", "ACCESS KEY", "SECRET KEY"});
  for (const Alias& a : aliases) {
    table.AddRow({a.name, a.url, a.access_key, MaskSecret(a.secret_key)});
  }
  table.Print(ctx.out());
  return absl::OkStatus();
}

absl::Status RunRm(CommandContext& ctx, const RmArgs& args) {
  SB_RETURN_IF_ERROR(AsUsageError(ValidateAliasName(args.name)));
  SB_ASSIGN_OR_RETURN(ConfigStore store, ctx.Config());
  SB_RETURN_IF_ERROR(store.Remove(args.name));
  ctx.out() << "Removed alias '" << args.name << "'\n";
  return absl::OkStatus();
}

}  // namespace

void AddAliasCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* group = app.add_subcommand("alias", "Manage server aliases (URL + access keys)");
  group->require_subcommand(1);

  auto set_args = std::make_shared<SetArgs>();
  CLI::App* set = group->add_subcommand("set", "Add or replace an alias");
  set->add_option("NAME", set_args->name, "Alias name, e.g. 'local'")->required();
  set->add_option("URL", set_args->url, "Server URL, e.g. http://127.0.0.1:9000")->required();
  set->add_option("ACCESS_KEY", set_args->access_key, "Access key id")->required();
  set->add_option("SECRET_KEY", set_args->secret_key,
                  "Secret key (read from stdin if omitted, keeping it out of shell history)");
  set->callback([&ctx, set_args] { ctx.set_result(RunSet(ctx, *set_args)); });

  auto ls_args = std::make_shared<LsArgs>();
  CLI::App* ls = group->add_subcommand("ls", "List aliases (secret keys are masked)");
  ls->alias("list");
  ls->add_option("NAME", ls_args->name, "Show only this alias");
  ls->callback([&ctx, ls_args] { ctx.set_result(RunLs(ctx, *ls_args)); });

  auto rm_args = std::make_shared<RmArgs>();
  CLI::App* rm = group->add_subcommand("rm", "Remove an alias");
  rm->alias("remove");
  rm->add_option("NAME", rm_args->name, "Alias to remove")->required();
  rm->callback([&ctx, rm_args] { ctx.set_result(RunRm(ctx, *rm_args)); });
}

}  // namespace sb::sbctl
