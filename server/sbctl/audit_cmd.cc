#include "server/sbctl/audit_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "policy/audit/verify.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/table.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

constexpr char kAuditPath[] = "/_strongbox/admin/v1/audit/";

absl::StatusOr<json::object> GetJson(AdminClient& client, const std::string& target) {
  SB_ASSIGN_OR_RETURN(Response response, client.Get(target));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(response.body.data(), response.body.size()), ec);
  if (ec || !doc.is_object()) return absl::DataLossError("server returned invalid JSON");
  return doc.as_object();
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

absl::Status RunPubkey(CommandContext& ctx, const std::string& alias) {
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(alias));
  SB_ASSIGN_OR_RETURN(Response response, client.Get(absl::StrCat(kAuditPath, "pubkey")));
  SB_RETURN_IF_ERROR(StatusFromResponse(response));
  ctx.out() << response.body;
  return absl::OkStatus();
}

json::object ReportJson(const audit::VerifyReport& report) {
  json::object out{{"ok", report.ok},
                   {"records_checked", report.records_checked},
                   {"checkpoints_checked", report.checkpoints_checked},
                   {"segments", report.segments},
                   {"head_seq", report.head_seq},
                   {"head_hash", report.head_hash},
                   {"last_checkpoint_seq", report.last_checkpoint_seq},
                   {"anchored_at_seq", report.anchored_at_seq}};
  if (report.failure.has_value()) {
    const auto& f = *report.failure;
    out["kind"] = std::string(audit::VerifyFailureKindName(f.kind));
    out["file"] = f.file;
    out["line"] = f.line;
    out["seq"] = f.seq;
    out["detail"] = f.detail;
  }
  return out;
}

absl::Status PrintReport(CommandContext& ctx, const json::object& report) {
  const bool ok = Str(report, "ok") == "true";
  if (ctx.flags().json) {
    ctx.out() << json::serialize(report) << '\n';
  } else if (ok) {
    ctx.out() << "audit log intact: " << Str(report, "records_checked") << " records, "
              << Str(report, "checkpoints_checked") << " signed checkpoints, head seq "
              << Str(report, "head_seq") << " (signed up to seq "
              << Str(report, "last_checkpoint_seq") << ")";
    if (Str(report, "anchored_at_seq") != "0" && !Str(report, "anchored_at_seq").empty()) {
      ctx.out() << ", from the checkpoint signed at seq " << Str(report, "anchored_at_seq");
    }
    ctx.out() << '\n';
  } else {
    ctx.out() << "AUDIT LOG TAMPERED OR DAMAGED: first bad record seq " << Str(report, "seq")
              << " (" << Str(report, "file") << " line " << Str(report, "line")
              << "): " << Str(report, "kind") << ": " << Str(report, "detail") << '\n';
  }
  if (!ok) return absl::DataLossError("audit log verification failed");
  return absl::OkStatus();
}

struct VerifyArgs {
  std::string alias;
  std::string segments;  // offline: a directory of copied segment files
  std::string pubkey;    // offline: the PEM `sbctl audit pubkey` printed
  std::string from;      // RFC 3339 or unix seconds; empty: from the first record
};

// RFC 3339 (2026-11-22T06:40:00Z) or unix seconds, as the server parses it.
absl::StatusOr<int64_t> ParseInstant(const std::string& text) {
  if (std::optional<int64_t> nanos = ParseInstantNanos(text)) return *nanos;
  return UsageError("--from takes an RFC 3339 time (2026-11-22T06:40:00Z) or unix seconds");
}

absl::Status RunVerify(CommandContext& ctx, const VerifyArgs& a) {
  if (!a.segments.empty() || !a.pubkey.empty()) {
    if (a.segments.empty() || a.pubkey.empty() || !a.alias.empty()) {
      return UsageError("offline verify takes --segments DIR and --pubkey FILE, and no ALIAS");
    }
    std::ifstream in(a.pubkey);
    if (!in) return UsageError(absl::StrCat("cannot read ", a.pubkey));
    std::stringstream pem;
    pem << in.rdbuf();
    audit::VerifyOptions options;
    if (!a.from.empty()) {
      SB_ASSIGN_OR_RETURN(options.from_unix_nanos, ParseInstant(a.from));
    }
    SB_ASSIGN_OR_RETURN(audit::VerifyReport report, audit::Verify(a.segments, pem.str(), options));
    return PrintReport(ctx, ReportJson(report));
  }
  if (a.alias.empty()) return UsageError("give ALIAS, or --segments DIR --pubkey FILE");
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(a.alias));
  std::string target = absl::StrCat(kAuditPath, "verify");
  if (!a.from.empty()) absl::StrAppend(&target, "?from=", UriEncode(a.from, false));
  SB_ASSIGN_OR_RETURN(json::object report, GetJson(client, target));
  return PrintReport(ctx, report);
}

struct QueryArgs {
  std::string target;  // ALIAS[/BUCKET[/KEY-PREFIX]]
  std::string bucket, key, principal, user, operation, since, until, decision;
  int limit = 100;
  bool follow = false;  // tail -f
};

std::string Param(const char* name, const std::string& value) {
  return value.empty() ? "" : absl::StrCat("&", name, "=", UriEncode(value, false));
}

// The query string for `a`, without limit and cursor.
absl::StatusOr<std::string> FilterParams(const QueryArgs& a, AliasPath* path) {
  absl::StatusOr<AliasPath> parsed = ParseAliasPath(a.target);
  if (!parsed.ok()) return AsUsageError(parsed.status());
  *path = *parsed;
  if (!a.decision.empty() && a.decision != "allow" && a.decision != "deny") {
    return UsageError("--decision is allow or deny");
  }
  std::string q;
  absl::StrAppend(&q, Param("bucket", a.bucket.empty() ? parsed->bucket : a.bucket));
  if (!a.key.empty()) {
    absl::StrAppend(&q, Param("key", a.key));
  } else {
    absl::StrAppend(&q, Param("prefix", parsed->prefix));
  }
  absl::StrAppend(&q, Param("principal", a.principal), Param("user", a.user),
                  Param("operation", a.operation), Param("since", a.since), Param("until", a.until),
                  Param("decision", a.decision));
  return q;
}

// Prints records as a table, or as JSON lines; returns the last seq printed (or `after`).
uint64_t PrintRecords(CommandContext& ctx, const json::array& records, bool header,
                      uint64_t after) {
  Table table(
      {"TIME", "SEQ", "PRINCIPAL", "SOURCE", "OPERATION", "RESOURCE", "STATUS", "DECIDED BY"});
  for (const auto& r : records) {
    if (!r.is_object()) continue;
    const auto& o = r.as_object();
    if (const json::value* seq = o.if_contains("seq"); seq != nullptr && seq->is_number()) {
      after = seq->to_number<uint64_t>();
    }
    if (ctx.flags().json) {
      ctx.out() << json::serialize(o) << '\n';
      continue;
    }
    std::string resource = Str(o, "bucket").empty() ? "-" : "/" + Str(o, "bucket");
    if (!Str(o, "key").empty()) absl::StrAppend(&resource, "/", Str(o, "key"));
    std::string decided = Str(o, "decided_by");
    if (!Str(o, "statement").empty() && decided.find('#') == std::string::npos) {
      absl::StrAppend(&decided, "#", Str(o, "statement"));
    }
    std::string who = Str(o, "user");
    if (!Str(o, "access_key").empty()) absl::StrAppend(&who, " (", Str(o, "access_key"), ")");
    std::string status = Str(o, "status");
    if (!Str(o, "error").empty()) absl::StrAppend(&status, " ", Str(o, "error"));
    table.AddRow({Str(o, "time"), Str(o, "seq"), who, Str(o, "source_ip"), Str(o, "operation"),
                  resource, status, decided});
  }
  if (!ctx.flags().json && (header || table.rows() > 0)) {
    if (header) {
      table.Print(ctx.out());
    } else {
      std::ostringstream body;
      table.Print(body);
      std::string text = body.str();
      ctx.out() << text.substr(text.find('\n') + 1);  // no header again while following
    }
  }
  ctx.out() << std::flush;
  return after;
}

absl::Status RunQuery(CommandContext& ctx, const QueryArgs& a) {
  AliasPath path;
  SB_ASSIGN_OR_RETURN(std::string params, FilterParams(a, &path));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(path.alias));
  SB_ASSIGN_OR_RETURN(json::object result,
                      GetJson(client, absl::StrCat(kAuditPath, "query?limit=", a.limit, params)));
  const json::value* records = result.if_contains("records");
  if (records == nullptr || !records->is_array()) return absl::DataLossError("bad query reply");
  PrintRecords(ctx, records->as_array(), true, 0);
  if (Str(result, "truncated") == "true") {
    ctx.err() << "(more records match; raise --limit or narrow the filter)\n";
  }
  return absl::OkStatus();
}

// The newest `limit` records, then (with -f) new ones as they are appended, polling with a
// seq cursor once a second until interrupted.
absl::Status RunTail(CommandContext& ctx, const QueryArgs& a) {
  AliasPath path;
  SB_ASSIGN_OR_RETURN(std::string params, FilterParams(a, &path));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(path.alias));
  uint64_t after = 0;
  bool first = true;
  for (;;) {
    std::string target =
        first ? absl::StrCat(kAuditPath, "query?newest&limit=", a.limit, params)
              : absl::StrCat(kAuditPath, "query?limit=1000&after_seq=", after, params);
    SB_ASSIGN_OR_RETURN(json::object result, GetJson(client, target));
    const json::value* records = result.if_contains("records");
    if (records == nullptr || !records->is_array()) return absl::DataLossError("bad query reply");
    after = PrintRecords(ctx, records->as_array(), first, after);
    first = false;
    if (!a.follow) return absl::OkStatus();
    if (Str(result, "truncated") != "true") std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

void AddFilterOptions(CLI::App* cmd, QueryArgs& a) {
  cmd->add_option("--bucket", a.bucket, "only this bucket");
  cmd->add_option("--key", a.key, "only this exact key");
  cmd->add_option("--principal", a.principal, "only this access key or user");
  cmd->add_option("--user", a.user, "only this user");
  cmd->add_option("--operation", a.operation, "only this operation, e.g. PutObject");
  cmd->add_option("--since", a.since, "from this time (RFC 3339 or unix seconds)");
  cmd->add_option("--until", a.until, "before this time (RFC 3339 or unix seconds)");
  cmd->add_option("--decision", a.decision, "allow or deny");
}

}  // namespace

void AddAuditCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* audit = app.add_subcommand("audit", "Inspect the tamper-evident audit log");
  audit->require_subcommand(1);
  auto alias = std::make_shared<std::string>();
  CLI::App* pubkey = audit->add_subcommand("pubkey", "Print the audit signing public key (PEM)");
  pubkey->add_option("ALIAS", *alias, "Alias of the server")->required();
  pubkey->callback([&ctx, alias] { ctx.set_result(RunPubkey(ctx, *alias)); });

  auto v = std::make_shared<VerifyArgs>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check the hash chain and signed checkpoints (through the server, or offline on copied "
      "segment files); name the first altered, removed or reordered record");
  verify->add_option("ALIAS", v->alias, "Alias of the server (omit with --segments)");
  verify->add_option("--segments", v->segments, "offline: directory of segment files");
  verify->add_option("--pubkey", v->pubkey, "offline: PEM file from 'sbctl audit pubkey'");
  verify->add_option("--from", v->from,
                     "start at the last signed checkpoint at or before this time (RFC 3339 or "
                     "unix seconds); earlier records are vouched for by its signature");
  verify->callback([&ctx, v] { ctx.set_result(RunVerify(ctx, *v)); });

  auto q = std::make_shared<QueryArgs>();
  CLI::App* query = audit->add_subcommand(
      "query", "Who touched ALIAS[/BUCKET[/KEY-PREFIX]], and which rule decided it");
  query->add_option("TARGET", q->target, "ALIAS[/BUCKET[/KEY-PREFIX]]")->required();
  AddFilterOptions(query, *q);
  query->add_option("--limit", q->limit, "at most this many records (default 100)");
  query->callback([&ctx, q] { ctx.set_result(RunQuery(ctx, *q)); });

  auto t = std::make_shared<QueryArgs>();
  t->limit = 10;
  CLI::App* tail = audit->add_subcommand("tail", "Print the newest records; -f follows new ones");
  tail->add_option("TARGET", t->target, "ALIAS[/BUCKET[/KEY-PREFIX]]")->required();
  AddFilterOptions(tail, *t);
  tail->add_option("-n,--lines", t->limit, "how many of the newest records (default 10)");
  tail->add_flag("-f,--follow", t->follow, "keep printing records as they are appended");
  tail->callback([&ctx, t] { ctx.set_result(RunTail(ctx, *t)); });
}

}  // namespace sb::sbctl
