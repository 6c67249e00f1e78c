// `sbctl user|accesskey|group ...`: IAM users (add, ls, info, rm, enable, disable), their
// access keys (create — the secret is printed once —, ls, rm, enable, disable) and groups
// (add, ls, info, rm, addmember, rmmember) through the IAM admin API. Managed policies are
// in policy_cmd.h.
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddIamCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
