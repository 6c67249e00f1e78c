// sbctl's command line: global flags, command registration and the exit-code policy
// (0 ok, 1 usage error, 2 runtime error; errors are one line on `err`, never a secret).
// Separate from main.cc so tests run whole command lines in-process. Not thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "server/sbctl/command_context.h"

namespace sb::sbctl {

// Runs one sbctl invocation. `args` excludes the program name. Returns the exit code.
int RunSbctl(const std::vector<std::string>& args, Environment env, std::ostream& out,
             std::ostream& err);

}  // namespace sb::sbctl
