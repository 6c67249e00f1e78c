// `sbctl audit pubkey|verify|query|tail`: the tamper-evident audit log. verify asks the
// server to walk the hash chain and signed checkpoints, or (--segments DIR --pubkey FILE)
// does it offline on copied segment files with no server; query answers "who touched this
// object, and which rule let them" (a table, or JSON lines with --json); tail prints the
// newest records and -f follows new ones.
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddAuditCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
