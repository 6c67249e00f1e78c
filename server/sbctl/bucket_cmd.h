// sbctl bucket ls|mk|rm|info (through the server's S3 API).
#pragma once

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddBucketCommands(CLI::App& app, CommandContext& ctx);

}  // namespace sb::sbctl
