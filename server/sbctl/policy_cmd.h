// `sbctl policy create|ls|info|rm|attach|detach|simulate`: IAM managed policies through the
// IAM admin API. `simulate` asks the server how it would decide a request (which policy and
// statement, and why every other statement did not apply) without sending the request.
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddPolicyCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
