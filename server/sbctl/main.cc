// sbctl: the Strongbox admin CLI. All logic lives in cli.cc and the *_cmd.cc files.
#include <iostream>
#include <string>
#include <vector>

#include "server/sbctl/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sb::sbctl::RunSbctl(args, sb::sbctl::Environment::FromProcess(), std::cout, std::cerr);
}
