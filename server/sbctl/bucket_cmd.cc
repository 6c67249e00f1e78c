// sbctl bucket ls|mk|rm|info: buckets through the server's own S3 API (SigV4-signed like
// every sbctl request), so the commands exercise exactly what S3 clients see. Responses are
// S3 XML, read with pugixml. sbctl bucket restore: point-in-time restore through the admin
// API (POST /_strongbox/admin/v1/restore, JSON).
#include "server/sbctl/bucket_cmd.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>
#include <pugixml.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/iam_request.h"
#include "server/sbctl/response_status.h"
#include "server/sbctl/table.h"
#include "server/sbctl/uri_encode.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

// bucket info counts objects page by page; past this it reports a lower bound.
constexpr uint64_t kMaxCountedObjects = 100000;

struct Args {
  std::string target;  // ALIAS or ALIAS/BUCKET
};

absl::StatusOr<pugi::xml_document> ParseXml(const Response& r) {
  pugi::xml_document doc;
  if (!doc.load_buffer(r.body.data(), r.body.size())) {
    return absl::DataLossError("the server's response is not XML");
  }
  return doc;
}

// Sends an S3 request; the server's error (as a Status) unless 2xx.
absl::StatusOr<Response> S3Call(AdminClient& client, std::string_view method,
                                const std::string& target) {
  SB_ASSIGN_OR_RETURN(Response r, client.Send(method, target, {}, ""));
  SB_RETURN_IF_ERROR(StatusFromResponse(r));
  return r;
}

// ALIAS[/BUCKET[/PREFIX]]; a malformed one is a usage error (exit code 1).
absl::StatusOr<AliasPath> ParseTarget(const std::string& arg) {
  absl::StatusOr<AliasPath> p = ParseAliasPath(arg);
  if (!p.ok()) return AsUsageError(p.status());
  return p;
}

absl::StatusOr<AliasPath> BucketTarget(const std::string& arg) {
  SB_ASSIGN_OR_RETURN(AliasPath p, ParseTarget(arg));
  if (p.bucket.empty() || !p.prefix.empty()) {
    return UsageError(absl::StrCat("expected ALIAS/BUCKET, got '", arg, "' (e.g. local/photos)"));
  }
  return p;
}

absl::Status Ls(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(AliasPath p, ParseTarget(a.target));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(p.alias));
  SB_ASSIGN_OR_RETURN(Response r, S3Call(client, "GET", "/"));
  SB_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(r));
  json::array buckets;
  Table table({"NAME", "CREATED"});
  for (pugi::xml_node b : doc.child("ListAllMyBucketsResult").child("Buckets").children("Bucket")) {
    std::string name = b.child_value("Name");
    std::string created = b.child_value("CreationDate");
    buckets.push_back(json::object{{"name", name}, {"created", created}});
    table.AddRow({name, created});
  }
  if (ctx.flags().json) {
    PrintJson(ctx, json::object{{"buckets", std::move(buckets)}});
  } else {
    table.Print(ctx.out());
  }
  return absl::OkStatus();
}

absl::Status Mk(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(AliasPath p, BucketTarget(a.target));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(p.alias));
  SB_RETURN_IF_ERROR(S3Call(client, "PUT", "/" + UriEncode(p.bucket, false)).status());
  if (ctx.flags().json) {
    PrintJson(ctx, json::object{{"bucket", p.bucket}, {"created", true}});
  } else {
    ctx.out() << "Created bucket '" << p.bucket << "'\n";
  }
  return absl::OkStatus();
}

absl::Status Rm(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(AliasPath p, BucketTarget(a.target));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(p.alias));
  SB_RETURN_IF_ERROR(S3Call(client, "DELETE", "/" + UriEncode(p.bucket, false)).status());
  if (ctx.flags().json) {
    PrintJson(ctx, json::object{{"bucket", p.bucket}, {"removed", true}});
  } else {
    ctx.out() << "Removed bucket '" << p.bucket << "'\n";
  }
  return absl::OkStatus();
}

// A bucket sub-resource that may legitimately be absent (404): its body, or "" if absent.
absl::StatusOr<std::string> OptionalSubresource(AdminClient& client, const std::string& bucket,
                                                std::string_view sub) {
  SB_ASSIGN_OR_RETURN(Response r, client.Send("GET", bucket + "?" + std::string(sub), {}, ""));
  if (r.status == 404) return std::string();
  SB_RETURN_IF_ERROR(StatusFromResponse(r));
  return r.body;
}

absl::Status Info(CommandContext& ctx, const Args& a) {
  SB_ASSIGN_OR_RETURN(AliasPath p, BucketTarget(a.target));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(p.alias));
  const std::string bucket = "/" + UriEncode(p.bucket, false);
  SB_ASSIGN_OR_RETURN(Response loc, S3Call(client, "GET", bucket + "?location"));
  SB_ASSIGN_OR_RETURN(pugi::xml_document loc_doc, ParseXml(loc));
  std::string region = loc_doc.child_value("LocationConstraint");
  if (region.empty()) region = "us-east-1";

  SB_ASSIGN_OR_RETURN(Response ver, S3Call(client, "GET", bucket + "?versioning"));
  SB_ASSIGN_OR_RETURN(pugi::xml_document ver_doc, ParseXml(ver));
  std::string versioning = ver_doc.child("VersioningConfiguration").child_value("Status");
  if (versioning.empty()) versioning = "Unversioned";

  SB_ASSIGN_OR_RETURN(std::string enc, OptionalSubresource(client, bucket, "encryption"));
  std::string encryption = "SSE-S3 (server default)";
  if (!enc.empty()) {
    pugi::xml_document enc_doc;
    enc_doc.load_buffer(enc.data(), enc.size());
    pugi::xml_node by_default = enc_doc.child("ServerSideEncryptionConfiguration")
                                    .child("Rule")
                                    .child("ApplyServerSideEncryptionByDefault");
    encryption = by_default.child_value("SSEAlgorithm");
    if (std::string key = by_default.child_value("KMSMasterKeyID"); !key.empty()) {
      encryption += " key " + key;
    }
  }
  SB_ASSIGN_OR_RETURN(std::string policy, OptionalSubresource(client, bucket, "policy"));

  uint64_t objects = 0;
  uint64_t bytes = 0;
  std::string token;
  do {
    std::string target = bucket + "?list-type=2&max-keys=1000";
    if (!token.empty()) target += "&continuation-token=" + UriEncode(token, false);
    SB_ASSIGN_OR_RETURN(Response page, S3Call(client, "GET", target));
    SB_ASSIGN_OR_RETURN(pugi::xml_document doc, ParseXml(page));
    pugi::xml_node result = doc.child("ListBucketResult");
    for (pugi::xml_node c : result.children("Contents")) {
      ++objects;
      bytes += c.child("Size").text().as_ullong();
    }
    token = std::string(result.child("IsTruncated").text().as_bool()
                            ? result.child_value("NextContinuationToken")
                            : "");
  } while (!token.empty() && objects < kMaxCountedObjects);
  const bool partial = !token.empty();

  if (ctx.flags().json) {
    PrintJson(ctx, json::object{{"bucket", p.bucket},
                                {"region", region},
                                {"versioning", versioning},
                                {"encryption", encryption},
                                {"policy", !policy.empty()},
                                {"objects", objects},
                                {"bytes", bytes},
                                {"counts_partial", partial}});
    return absl::OkStatus();
  }
  ctx.out() << "Bucket:      " << p.bucket << "\n"
            << "Region:      " << region << "\n"
            << "Versioning:  " << versioning << "\n"
            << "Encryption:  " << encryption << "\n"
            << "Policy:      " << (policy.empty() ? "none" : "set (sbctl: GetBucketPolicy)") << "\n"
            << "Objects:     " << (partial ? "at least " : "") << objects << "\n"
            << "Size:        " << (partial ? "at least " : "") << bytes << " bytes\n";
  return absl::OkStatus();
}

struct RestoreArgs {
  std::string target;  // ALIAS/BUCKET
  std::string to;
  std::string prefix;
  bool dry_run = false;
};

absl::Status Restore(CommandContext& ctx, const RestoreArgs& a) {
  SB_ASSIGN_OR_RETURN(AliasPath p, BucketTarget(a.target));
  SB_ASSIGN_OR_RETURN(AdminClient client, ctx.ClientFor(p.alias));
  std::string target =
      absl::StrCat("/_strongbox/admin/v1/restore?bucket=", UriEncode(p.bucket, false),
                   "&to=", UriEncode(a.to, false));
  if (!a.prefix.empty()) absl::StrAppend(&target, "&prefix=", UriEncode(a.prefix, false));
  if (a.dry_run) absl::StrAppend(&target, "&dry-run=true");
  SB_ASSIGN_OR_RETURN(Response r, S3Call(client, "POST", target));
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(r.body.data(), r.body.size()), ec);
  if (ec || !doc.is_object()) return absl::DataLossError("server returned invalid JSON");
  const json::object& o = doc.as_object();
  if (ctx.flags().json) {
    PrintJson(ctx, o);
    return absl::OkStatus();
  }
  Table table({"KEY", "ACTION", "FROM VERSION", "NEW VERSION"});
  if (const json::value* actions = o.if_contains("actions"); actions && actions->is_array()) {
    for (const json::value& v : actions->as_array()) {
      if (!v.is_object()) continue;
      auto str = [&v](const char* k) {
        const json::value* f = v.as_object().if_contains(k);
        return f != nullptr && f->is_string() ? std::string(f->get_string()) : std::string("-");
      };
      table.AddRow({str("key"), str("action"), str("from_version"), str("version")});
    }
  }
  table.Print(ctx.out());
  auto num = [&o](const char* k) {
    const json::value* f = o.if_contains(k);
    return f != nullptr ? json::serialize(*f) : std::string("0");
  };
  ctx.out() << (a.dry_run ? "Dry run, nothing changed: " : "") << num("restored") << " restored, "
            << num("deleted") << " deleted, " << num("unchanged") << " unchanged of "
            << num("examined") << " keys\n";
  return absl::OkStatus();
}

void AddVerb(CLI::App* parent, CommandContext& ctx, const char* name, const char* help,
             const char* target_help, absl::Status (*run)(CommandContext&, const Args&)) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("TARGET", args->target, target_help)->required();
  cmd->callback([&ctx, args, run] { ctx.set_result(run(ctx, *args)); });
}

}  // namespace

void AddBucketCommands(CLI::App& app, CommandContext& ctx) {
  CLI::App* bucket = app.add_subcommand("bucket", "Create, list, inspect and remove buckets");
  bucket->require_subcommand(1);
  AddVerb(bucket, ctx, "ls", "List buckets", "ALIAS", Ls);
  AddVerb(bucket, ctx, "mk", "Create a bucket", "ALIAS/BUCKET", Mk);
  AddVerb(bucket, ctx, "rm", "Remove an empty bucket", "ALIAS/BUCKET", Rm);
  AddVerb(bucket, ctx, "info",
          "Show a bucket's region, versioning, default encryption, policy and object count",
          "ALIAS/BUCKET", Info);
  auto restore_args = std::make_shared<RestoreArgs>();
  CLI::App* restore = bucket->add_subcommand(
      "restore",
      "Make every key (under --prefix) current again as it was at --to; shares data, no copy");
  restore->add_option("TARGET", restore_args->target, "ALIAS/BUCKET")->required();
  restore
      ->add_option("--to", restore_args->to, "RFC 3339 time (2026-11-22T06:40:00Z) or unix seconds")
      ->required();
  restore->add_option("--prefix", restore_args->prefix, "only keys starting with this");
  restore->add_flag("--dry-run", restore_args->dry_run, "show what would change, change nothing");
  restore->callback([&ctx, restore_args] { ctx.set_result(Restore(ctx, *restore_args)); });
}

}  // namespace sb::sbctl
