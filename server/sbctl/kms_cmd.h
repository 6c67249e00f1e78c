// `sbctl kms key create|ls|rotate|disable|enable ALIAS [KEYID]`: manages the master keys of
// the server's built-in KMS through /_strongbox/admin/v1/kms/keys (root only). Output is a
// short confirmation or a table, or the server's JSON with --json. Not thread-safe.
#pragma once

#include <boost/json/fwd.hpp>
#include <ostream>

#include "server/sbctl/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sb::sbctl {

inline constexpr char kKmsKeysPath[] = "/_strongbox/admin/v1/kms/keys";

// Adds the "kms" command group to `app`; results are left in `ctx`, which must outlive the
// parse.
void AddKmsCommands(CLI::App& app, CommandContext& ctx);

// Prints a {"keys": [...]} document as a table (ID, STATE, VERSION); tolerates missing and
// mistyped fields. Never fails.
void PrintKmsKeys(const boost::json::object& doc, std::ostream& out);

}  // namespace sb::sbctl
