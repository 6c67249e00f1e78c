// Helpers shared by the IAM admin handlers (iam_handlers.cc, iam_policy_handlers.cc): JSON
// renderings of users, keys, groups and policies, JSON request bodies, and names from the
// request path. Not part of the gateway's public API.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gateway/handlers/handlers.h"
#include "policy/iam/iam_types.h"

namespace sb::gateway::iam_json {

boost::json::object UserJson(const policy::iam::UserInfo& user);
boost::json::object KeyJson(const policy::iam::AccessKeyInfo& key);
boost::json::object GroupJson(const policy::iam::GroupInfo& group);
// `with_document`: the document as a JSON value (it is valid JSON: it parsed as a policy).
boost::json::object PolicyJson(const policy::iam::PolicyInfo& policy, bool with_document);
std::string FormatIsoTime(absl::Time t);  // RFC 3339, UTC

absl::Status RespondJson(RequestContext& ctx, int status, const boost::json::object& body);

// Reads a JSON object body of at most 64 KiB (an empty body is {} if `allow_empty`).
// InvalidArgument(kInvalidArgument) if it is not one.
absl::StatusOr<boost::json::object> ReadJsonObject(RequestContext& ctx, bool allow_empty = false);
// The string member `key` of `o`; InvalidArgument naming it if absent or not a string.
absl::StatusOr<std::string> RequiredString(const boost::json::object& o, std::string_view key);

// Path segment `index` after /_strongbox/admin/v1/iam/ (decoded); InvalidArgument if absent.
absl::StatusOr<std::string> PathSegment(const RequestContext& ctx, size_t index);

// NotImplemented unless the server was started with IAM; returns the store.
absl::StatusOr<policy::iam::IamStore*> RequireIam(Services& s);

// Policies, attachments and simulate (iam_policy_handlers.cc).
absl::Status HandleIamPolicyOperation(RequestContext& ctx, Services& s);

}  // namespace sb::gateway::iam_json
