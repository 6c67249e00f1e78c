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
    // Exit 2 (the systemd unit's RestartPreventExitStatus) when a restart cannot help: a
    // missing key file, a foreign drive, a bad certificate. Other failures may be transient.
    switch (s.code()) {
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kPermissionDenied:
        return 2;
      default:
        return 1;
    }
  }
  return 0;
}
