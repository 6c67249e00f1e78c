// ListObjects (V1), ListObjectsV2 and ListObjectVersions.
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/xml/list_objects_xml.h"
#include "gateway/xml/list_versions_xml.h"

namespace sb::gateway {
namespace {

std::string Param(const RequestContext& ctx, std::string_view name) {
  const std::string* v = ctx.req.Query(name);
  return v == nullptr ? std::string() : *v;
}

absl::StatusOr<int> MaxKeys(const RequestContext& ctx) {
  const std::string* v = ctx.req.Query("max-keys");
  if (v == nullptr) return 1000;
  SB_ASSIGN_OR_RETURN(int64_t n, ParseNonNegative("max-keys", *v));
  return static_cast<int>(std::min<int64_t>(n, 1000));
}

absl::StatusOr<bool> UrlEncoding(const RequestContext& ctx) {
  const std::string* enc = ctx.req.Query("encoding-type");
  if (enc == nullptr) return false;
  if (*enc != "url") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "Invalid Encoding Method specified in Request");
  }
  return true;
}

// One page of the bucket's keys after `start_after`, shared by V1 and V2.
absl::StatusOr<metadata::ListObjectsResult> ListPage(const RequestContext& ctx, Services& s,
                                                     const std::string& prefix,
                                                     const std::string& delimiter,
                                                     std::string start_after, int max_keys) {
  metadata::ListObjectsOptions opts;
  opts.prefix = prefix;
  opts.delimiter = delimiter;
  opts.start_after = std::move(start_after);
  opts.max_keys = max_keys;
  SB_ASSIGN_OR_RETURN(auto result, s.meta.ListObjects(ctx.req.bucket, opts));
  // S3 answers max-keys=0 with an empty, untruncated page.
  if (opts.max_keys == 0) result.is_truncated = false;
  return result;
}

absl::Status ListV1(RequestContext& ctx, Services& s) {
  xml::ListObjectsV1Request req;
  req.bucket = ctx.req.bucket;
  req.prefix = Param(ctx, "prefix");
  req.marker = Param(ctx, "marker");
  req.delimiter = Param(ctx, "delimiter");
  SB_ASSIGN_OR_RETURN(req.max_keys, MaxKeys(ctx));
  SB_ASSIGN_OR_RETURN(req.url_encode, UrlEncoding(ctx));
  SB_ASSIGN_OR_RETURN(auto result,
                      ListPage(ctx, s, req.prefix, req.delimiter, req.marker, req.max_keys));
  return ctx.Respond(200, {}, xml::ListObjectsV1Xml(req, result));
}

absl::Status ListV2(RequestContext& ctx, Services& s) {
  xml::ListObjectsV2Request req;
  req.bucket = ctx.req.bucket;
  req.prefix = Param(ctx, "prefix");
  req.delimiter = Param(ctx, "delimiter");
  req.start_after = Param(ctx, "start-after");
  req.continuation_token = Param(ctx, "continuation-token");
  req.continuation_token_given = ctx.req.HasQuery("continuation-token");
  req.fetch_owner = Param(ctx, "fetch-owner") == "true";
  SB_ASSIGN_OR_RETURN(req.max_keys, MaxKeys(ctx));
  SB_ASSIGN_OR_RETURN(req.url_encode, UrlEncoding(ctx));
  std::string start_after = req.start_after;
  if (!req.continuation_token.empty()) {
    // The token, not start-after, says where the previous page ended.
    SB_ASSIGN_OR_RETURN(start_after, xml::MarkerFromContinuationToken(req.continuation_token));
  }
  SB_ASSIGN_OR_RETURN(auto result, ListPage(ctx, s, req.prefix, req.delimiter,
                                            std::move(start_after), req.max_keys));
  return ctx.Respond(200, {}, xml::ListObjectsV2Xml(req, result));
}

absl::Status ListVersions(RequestContext& ctx, Services& s) {
  xml::ListVersionsRequest req;
  req.bucket = ctx.req.bucket;
  req.prefix = Param(ctx, "prefix");
  req.delimiter = Param(ctx, "delimiter");
  req.key_marker = Param(ctx, "key-marker");
  req.version_id_marker = Param(ctx, "version-id-marker");
  SB_ASSIGN_OR_RETURN(req.max_keys, MaxKeys(ctx));
  SB_ASSIGN_OR_RETURN(req.url_encode, UrlEncoding(ctx));
  metadata::ListVersionsOptions opts;
  opts.prefix = req.prefix;
  opts.delimiter = req.delimiter;
  opts.key_marker = req.key_marker;
  opts.version_id_marker = req.version_id_marker;
  opts.max_keys = req.max_keys;
  SB_ASSIGN_OR_RETURN(auto result, s.meta.ListObjectVersions(ctx.req.bucket, opts));
  if (opts.max_keys == 0) result.is_truncated = false;  // as ListPage
  return ctx.Respond(200, {}, xml::ListVersionsXml(req, result));
}

}  // namespace

absl::Status HandleListOperation(RequestContext& ctx, Services& s) {
  if (ctx.req.op == Operation::kListObjectVersions) return ListVersions(ctx, s);
  if (ctx.req.op == Operation::kListObjectsV2) return ListV2(ctx, s);
  return ListV1(ctx, s);
}

}  // namespace sb::gateway
