// sbctl bench: a load generator for a Strongbox deployment (like MinIO's warp). Real SigV4
// traffic over keep-alive connections, one libcurl handle per worker thread; it creates its
// own bucket and removes it afterwards. See docs/sbctl.md and docs/benchmarks.md.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

void AddBenchCommand(CLI::App& app, CommandContext& ctx);

// "4KiB", "1MiB", "64MiB", "1GiB", "4KB" (powers of 1000), "4096" (bytes). InvalidArgument
// for anything else or zero.
absl::StatusOr<uint64_t> ParseByteSize(std::string_view text);

// "10s", "500ms", "2m", "1h", or a plain number of seconds; positive. InvalidArgument
// otherwise. Returns milliseconds.
absl::StatusOr<int64_t> ParseDurationMs(std::string_view text);

}  // namespace sb::sbctl
