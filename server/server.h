// Server: builds the components in dependency order (metadata, erasure, policy, gateway),
// owns them, and runs until SIGTERM/SIGINT, then drains in-flight requests.
#pragma once

#include "absl/status/status.h"
#include "server/config.h"

namespace sb::server {

// Runs the server; returns when it has been stopped by a signal and drained.
absl::Status Run(const Config& config);

}  // namespace sb::server
