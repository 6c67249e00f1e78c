// `sbctl info ALIAS`: fetches GET /_strongbox/admin/v1/info and prints it as a readable
// summary (or the raw JSON with --json). Rendering tolerates missing, extra and mistyped
// fields so sbctl keeps working against newer and older servers. Not thread-safe.
#pragma once

#include <boost/json/fwd.hpp>
#include <ostream>
#include <string_view>

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

inline constexpr char kInfoPath[] = "/_strongbox/admin/v1/info";

// Adds the "info" command to `app`; results are left in `ctx`, which must outlive the parse.
void AddInfoCommand(CLI::App& app, CommandContext& ctx);

// Renders the info document for alias `alias` at `url`: known fields first with friendly
// labels, then any unknown top-level fields, then a table of drives. Never fails.
void PrintInfo(const boost::json::object& info, std::string_view alias, std::string_view url,
               std::ostream& out);

// "1d 2h 3m 4s" style duration; "0s" for zero.
std::string FormatDuration(uint64_t seconds);

}  // namespace sb::sbctl
