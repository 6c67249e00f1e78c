// strongbox: flags -> LoadConfig -> Run.
#include <cstdio>

#include "server/config.h"
#include "server/server.h"

int main(int argc, char** argv) {
  bool exit_now = false;
  auto config = sb::server::LoadConfig(argc, argv, &exit_now);
  if (exit_now) return 0;
  if (!config.ok()) {
    std::fprintf(stderr, "strongbox: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  absl::Status s = sb::server::Run(*config);
  if (!s.ok()) {
    std::fprintf(stderr, "strongbox: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
