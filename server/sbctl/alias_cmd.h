// `sbctl alias set|ls|rm`: manage the aliases in the config store. Secrets are never printed
// in full. Registered on the root CLI::App by cli.cc; not thread-safe.
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

// Adds the "alias" command group to `app`; results are left in `ctx`, which must outlive
// the parse.
void AddAliasCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
