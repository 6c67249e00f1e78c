#include "server/sbctl/info_cmd.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/table.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

using Fields = std::vector<std::pair<std::string, std::string>>;

// Fields rendered specially; everything else is printed under its own key.
constexpr const char* kKnownFields[] = {"version",     "uptime_seconds", "deployment_id",
                                        "data_shards", "parity_shards",  "buckets",
                                        "objects",     "drives"};

std::string Render(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::null:
      return "-";
    case json::kind::double_:
      return absl::StrCat(v.get_double());  // Boost.JSON would print 1.5 as "1.5E0"
    default:
      return json::serialize(v);  // numbers, bools, and nested values in compact JSON
  }
}

std::optional<uint64_t> AsCount(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
  return std::nullopt;
}

void AddIfPresent(const json::object& info, const char* key, const char* label, Fields& fields) {
  if (const json::value* v = info.if_contains(key); v != nullptr) {
    fields.emplace_back(label, Render(*v));
  }
}

Fields SummaryFields(const json::object& info) {
  Fields fields;
  AddIfPresent(info, "version", "Version", fields);
  if (const json::value* up = info.if_contains("uptime_seconds"); up != nullptr) {
    std::optional<uint64_t> secs = AsCount(up);
    fields.emplace_back("Uptime", secs ? FormatDuration(*secs) : Render(*up));
  }
  AddIfPresent(info, "deployment_id", "Deployment ID", fields);
  std::optional<uint64_t> data = AsCount(info.if_contains("data_shards"));
  std::optional<uint64_t> parity = AsCount(info.if_contains("parity_shards"));
  if (data && parity) {
    fields.emplace_back("Erasure coding",
                        absl::StrCat(*data, " data + ", *parity, " parity shards (tolerates ",
                                     *parity, " lost drive", *parity == 1 ? "" : "s", ")"));
  } else {
    AddIfPresent(info, "data_shards", "Data shards", fields);
    AddIfPresent(info, "parity_shards", "Parity shards", fields);
  }
  AddIfPresent(info, "buckets", "Buckets", fields);
  AddIfPresent(info, "objects", "Objects", fields);
  for (const auto& [key, value] : info) {
    const std::string_view name(key.data(), key.size());
    const bool known = std::any_of(std::begin(kKnownFields), std::end(kKnownFields),
                                   [name](const char* k) { return name == k; });
    // A "drives" that is not a list cannot be tabulated; show it like an unknown field.
    if (!known || (key == "drives" && !value.is_array())) {
      fields.emplace_back(std::string(key), Render(value));
    }
  }
  return fields;
}

void PrintDrives(const json::array& drives, std::ostream& out) {
  // Columns: path and state first, then any other keys in order of first appearance.
  std::vector<std::string> columns = {"path", "state"};
  std::map<std::string, size_t> state_counts;
  for (const json::value& d : drives) {
    if (!d.is_object()) continue;
    for (const auto& [key, value] : d.as_object()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) {
        columns.emplace_back(key);
      }
    }
    if (const json::value* s = d.as_object().if_contains("state"); s != nullptr) {
      ++state_counts[Render(*s)];
    }
  }
  std::vector<std::string> summary;
  summary.reserve(state_counts.size());
  for (const auto& [state, count] : state_counts)
    summary.push_back(absl::StrCat(count, " ", state));
  out << "Drives: " << drives.size();
  if (!summary.empty()) out << " (" << absl::StrJoin(summary, ", ") << ")";
  out << '\n';
  if (drives.empty()) return;

  std::vector<std::string> header;
  header.reserve(columns.size());
  for (const std::string& c : columns) header.push_back(absl::AsciiStrToUpper(c));
  Table table(std::move(header));
  for (const json::value& d : drives) {
    std::vector<std::string> row;
    row.reserve(columns.size());
    if (d.is_object()) {
      for (const std::string& c : columns) {
        const json::value* v = d.as_object().if_contains(c);
        row.push_back(v == nullptr ? "" : Render(*v));
      }
    } else {
      row.push_back(Render(d));
    }
    table.AddRow(std::move(row));
  }
  table.Print(out, 2);
}

absl::Status RunInfo(CommandContext& ctx, const std::string& target) {
  absl::StatusOr<AliasPath> parsed = ParseAliasPath(target);
  if (!parsed.ok()) return AsUsageError(parsed.status());
  const AliasPath& path = *parsed;
  if (!path.bucket.empty()) {
    return UsageError(absl::StrCat("info takes an alias, not a bucket: '", target, "'"));
  }
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(path.alias));
  SB_ASSIGN_OR_RETURN(Response response, client.Get(kInfoPath));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(response.body.data(), response.body.size()), ec);
  if (ec || !doc.is_object()) {
    return absl::DataLossError(
        absl::StrCat("server at ", client.alias().url,
                     " returned an invalid info document: ", OneLine(response.body, 80)));
  }
  if (ctx.flags().json) {
    ctx.out() << absl::StripTrailingAsciiWhitespace(response.body) << '\n';
    return absl::OkStatus();
  }
  PrintInfo(doc.as_object(), path.alias, client.alias().url, ctx.out());
  return absl::OkStatus();
}

}  // namespace

std::string FormatDuration(uint64_t seconds) {
  const uint64_t days = seconds / 86400;
  const uint64_t hours = seconds % 86400 / 3600;
  const uint64_t minutes = seconds % 3600 / 60;
  const uint64_t secs = seconds % 60;
  std::vector<std::string> parts;
  if (days > 0) parts.push_back(absl::StrCat(days, "d"));
  if (hours > 0) parts.push_back(absl::StrCat(hours, "h"));
  if (minutes > 0) parts.push_back(absl::StrCat(minutes, "m"));
  if (secs > 0 || parts.empty()) parts.push_back(absl::StrCat(secs, "s"));
  return absl::StrJoin(parts, " ");
}

void PrintInfo(const json::object& info, std::string_view alias, std::string_view url,
               std::ostream& out) {
  Fields fields = SummaryFields(info);
  fields.insert(fields.begin(), {"Server", absl::StrCat(AsAbsl(alias), " (", AsAbsl(url), ")")});
  size_t width = 0;
  for (const auto& [label, value] : fields) width = std::max(width, label.size());
  for (const auto& [label, value] : fields) {
    out << OneLine(label, 64) << ':' << std::string(width - std::min(width, label.size()) + 2, ' ')
        << OneLine(value) << '\n';
  }
  if (const json::value* drives = info.if_contains("drives"); drives && drives->is_array()) {
    out << '\n';
    PrintDrives(drives->as_array(), out);
  }
}

void AddInfoCommand(CLI::App& app, CommandContext& ctx) {
  auto target = std::make_shared<std::string>();
  CLI::App* info = app.add_subcommand("info", "Show server version, uptime, drives and counts");
  info->add_option("ALIAS", *target, "Alias of the server")->required();
  info->callback([&ctx, target] { ctx.set_result(RunInfo(ctx, *target)); });
}

}  // namespace sb::sbctl
