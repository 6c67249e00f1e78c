#include "server/sbctl/iam_request.h"

#include <boost/json.hpp>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {

namespace json = boost::json;

std::string IamTarget(std::initializer_list<std::string_view> segments) {
  std::string out = "/_strongbox/admin/v1/iam";
  for (std::string_view s : segments) absl::StrAppend(&out, "/", UriEncode(s, false));
  return out;
}

absl::StatusOr<json::object> IamCall(CommandContext& ctx, const std::string& alias,
                                     std::string_view method, const std::string& target,
                                     std::string_view body) {
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(alias));
  SB_ASSIGN_OR_RETURN(Response response, client.Send(method, target, body));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  if (response.body.empty()) return json::object();
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(response.body.data(), response.body.size()), ec);
  if (ec || !doc.is_object()) return absl::DataLossError("server returned invalid JSON");
  return std::move(doc.as_object());
}

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& e : v->get_array()) {
      if (!out.empty()) out += ",";
      out += e.is_string() ? std::string(e.get_string()) : json::serialize(e);
    }
    return out.empty() ? "-" : out;
  }
  return json::serialize(*v);
}

absl::StatusOr<std::string> ReadPolicyFile(CommandContext& ctx, const std::string& file) {
  constexpr size_t kMaxPolicyFile = 64 * 1024;
  std::string doc;
  if (file == "-") {
    if (ctx.env().in == nullptr) return UsageError("no standard input to read the policy from");
    doc.assign(std::istreambuf_iterator<char>(*ctx.env().in), {});
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return UsageError(absl::StrCat("cannot read ", file));
    doc.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (doc.size() > kMaxPolicyFile) return UsageError(absl::StrCat(file, " is too large"));
  return doc;
}

void PrintJson(CommandContext& ctx, const json::value& v) {
  ctx.out() << json::serialize(v) << '\n';
}

}  // namespace sb::sbctl
