// `sbctl audit pubkey|verify|query ALIAS[/BUCKET[/KEY]]`: the tamper-evident audit log.
// verify asks the server to walk the hash chain and signed checkpoints; query answers "who
// touched this object, and which rule let them".
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddAuditCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
