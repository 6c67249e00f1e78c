// Requests of the IAM admin API (/_strongbox/admin/v1/iam/...) shared by the user,
// accesskey, group and policy commands: path building with encoded names, the call itself
// (server errors become Status), and small JSON/time readers for printing. Not thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/sbctl/command_context.h"

namespace sb::sbctl {

// "/_strongbox/admin/v1/iam/" + the segments, each URI-encoded (so '/' in a name cannot
// escape its segment).
std::string IamTarget(std::initializer_list<std::string_view> segments);

// Sends the request to `alias` and returns the response's JSON object ({} for an empty
// body, e.g. 204). Errors: CommandContext::ClientFor's, transport errors, the server's error
// via StatusFromResponse, DataLoss if a non-empty body is not a JSON object.
absl::StatusOr<boost::json::object> IamCall(CommandContext& ctx, const std::string& alias,
                                            std::string_view method, const std::string& target,
                                            std::string_view body = {});

// The member `key` rendered for a table cell: strings as is, arrays joined by ",", null or
// absent as "-", anything else as compact JSON.
std::string Field(const boost::json::object& o, std::string_view key);

// Reads a policy document from `file` ("-": standard input), at most 64 KiB. Usage errors
// for an unreadable or oversized file.
absl::StatusOr<std::string> ReadPolicyFile(CommandContext& ctx, const std::string& file);

// Prints `o` as one line of JSON (the --json output).
void PrintJson(CommandContext& ctx, const boost::json::value& v);

}  // namespace sb::sbctl
