// Object operations: PutObject, GetObject, HeadObject, DeleteObject, CopyObject.
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/range.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/xml/object_xml.h"

namespace sb::gateway {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

absl::Status CheckKey(const RequestContext& ctx) {
  if (ctx.req.key.size() > kMaxKeyBytes) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kKeyTooLong,
                     "Your key is too long");
  }
  return absl::OkStatus();
}

absl::Status PutObject(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(CheckKey(ctx));
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord tmpl, ObjectTemplateFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(WriteChecks checks, WriteChecksFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(EncryptionSpec encryption, EncryptionFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(
      metadata::ObjectRecord rec,
      s.objects.PutObject(ctx.req.bucket, std::move(tmpl), ctx.body(), checks, encryption));
  ctx.audit.etag = rec.etag();
  HeaderList headers{{"ETag", Quoted(rec.etag())}};
  AppendEncryptionHeaders(rec, headers, true);
  return ctx.Respond(200, std::move(headers), "");
}

// Applies response-* query overrides (S3 "GetObject" request parameters).
void ApplyResponseOverrides(const RequestContext& ctx, HeaderList& headers) {
  static constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
      {"response-content-type", "Content-Type"},
      {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},
      {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"},
      {"response-content-encoding", "Content-Encoding"}};
  for (const auto& [param, header] : kOverrides) {
    const std::string* value = ctx.req.Query(param);
    if (value == nullptr) continue;
    bool replaced = false;
    for (auto& [k, v] : headers) {
      if (k == header) {
        v = *value;
        replaced = true;
      }
    }
    if (!replaced) headers.emplace_back(std::string(header), *value);
  }
}

// Without versioning the only version of a key is "null". Any other id names no version.
absl::Status CheckVersionId(const RequestContext& ctx) {
  const std::string* v = ctx.req.Query("versionId");
  if (v == nullptr || *v == "null") return absl::OkStatus();
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   "Invalid version id specified");
}

// GET and HEAD share everything except sending the bytes.
absl::Status GetOrHeadObject(RequestContext& ctx, Services& s, bool send_body) {
  SB_RETURN_IF_ERROR(CheckVersionId(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord obj, s.meta.GetObject(ctx.req.bucket, ctx.req.key));
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> customer_key, CustomerKeyFromRequest(ctx, false));
  const sse::SseCKey* key = customer_key ? &*customer_key : nullptr;
  // Key problems are reported before anything else (and before a GET's status line): an
  // SSE-C object needs its key even for HEAD; a GET also needs the KMS key to be usable.
  SB_RETURN_IF_ERROR(send_body ? s.objects.CheckReadable(ctx.req.bucket, obj, key)
                               : CheckCustomerKey(obj, key));
  absl::Status cond = CheckConditions(ctx, obj, "");
  if (GetReason(cond) == ErrorReason::kNotModified) {
    // RFC 9110 15.4.5: a 304 carries the validators the 200 would have.
    HeaderList h{
        {"ETag", Quoted(obj.etag())},
        {"Last-Modified", FormatHttpDate(absl::FromUnixNanos(obj.last_modified_unix_nanos()))}};
    ctx.audit.error_code = "NotModified";
    return ctx.Respond(304, std::move(h), "");
  }
  SB_RETURN_IF_ERROR(cond);
  HeaderList headers;
  AppendObjectHeaders(obj, headers);
  AppendEncryptionHeaders(obj, headers, false);
  ApplyResponseOverrides(ctx, headers);
  uint64_t offset = 0;
  uint64_t length = obj.size();
  int status = 200;
  if (const std::string* pn = ctx.req.Query("partNumber")) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(AsAbsl(*pn), &n) || n < 1 || n > 10000) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "Part number must be an integer between 1 and 10000, inclusive");
    }
    if (n > obj.parts_size()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                       "The requested partnumber is not satisfiable");
    }
    for (int i = 0; i < n - 1; ++i) offset += obj.parts(i).size();
    length = obj.parts(static_cast<int>(n - 1)).size();
    if (obj.multipart()) {
      headers.emplace_back("x-amz-mp-parts-count", absl::StrCat(obj.parts_size()));
    }
    if (obj.multipart() || length != obj.size()) {
      status = 206;
      headers.emplace_back(
          "Content-Range",
          length == 0 ? absl::StrCat("bytes */", obj.size())
                      : absl::StrCat("bytes ", offset, "-", offset + length - 1, "/", obj.size()));
    }
  } else if (const std::string* range = ctx.http.Header("range")) {
    SB_ASSIGN_OR_RETURN(std::optional<ByteRange> r, ParseRange(*range, obj.size()));
    if (r.has_value()) {
      offset = r->offset;
      length = r->length;
      status = 206;
      headers.emplace_back("Content-Range", absl::StrCat("bytes ", offset, "-", offset + length - 1,
                                                         "/", obj.size()));
    }
  }
  ctx.audit.etag = obj.etag();
  SB_RETURN_IF_ERROR(ctx.StartResponse(status, std::move(headers), length));
  if (!send_body || length == 0) return absl::OkStatus();
  return s.objects.ReadRange(
      ctx.req.bucket, obj, offset, length,
      [&ctx](std::string_view chunk) { return ctx.SendBody(chunk); }, key);
}

absl::Status DeleteObject(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(CheckVersionId(ctx));
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_RETURN_IF_ERROR(s.objects.DeleteObject(ctx.req.bucket, ctx.req.key));
  return ctx.Respond(204, {}, "");
}

}  // namespace

absl::StatusOr<CopySource> ParseCopySource(const RequestContext& ctx) {
  const std::string* header = ctx.http.Header("x-amz-copy-source");
  auto invalid = [] {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidCopySource,
                     "Copy Source must mention the source bucket and key: "
                     "sourcebucket/sourcekey");
  };
  if (header == nullptr) return invalid();
  std::string_view raw = *header;
  size_t q = raw.find('?');
  std::string_view path = raw.substr(0, q);
  CopySource src;
  if (q != std::string_view::npos) {
    std::string_view query = raw.substr(q + 1);
    if (query.starts_with("versionId=")) src.version_id = std::string(query.substr(10));
  }
  std::string decoded;
  if (!PercentDecode(path, false, &decoded)) return invalid();
  std::string_view p = decoded;
  if (p.starts_with("/")) p.remove_prefix(1);
  size_t slash = p.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == p.size()) return invalid();
  src.bucket = std::string(p.substr(0, slash));
  src.key = std::string(p.substr(slash + 1));
  return src;
}

absl::StatusOr<metadata::ObjectRecord> LoadCopySource(const RequestContext& ctx, Services& s,
                                                      const CopySource& src) {
  if (!src.version_id.empty() && src.version_id != "null") {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchVersion,
                     "The specified version does not exist.");
  }
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord obj, s.meta.GetObject(src.bucket, src.key));
  SB_RETURN_IF_ERROR(CheckConditions(ctx, obj, "x-amz-copy-source-"));
  return obj;
}

namespace {

absl::Status CopyObject(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(CheckKey(ctx));
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx));
  SB_ASSIGN_OR_RETURN(CopySource src, ParseCopySource(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord source, LoadCopySource(ctx, s, src));
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> source_key, CustomerKeyFromRequest(ctx, true));
  SB_ASSIGN_OR_RETURN(EncryptionSpec encryption, EncryptionFromRequest(ctx));
  const std::string* directive = ctx.http.Header("x-amz-metadata-directive");
  bool replace = directive != nullptr && *directive == "REPLACE";
  if (directive != nullptr && *directive != "REPLACE" && *directive != "COPY") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "Unknown metadata directive.");
  }
  metadata::ObjectRecord tmpl;
  if (replace) {
    SB_ASSIGN_OR_RETURN(tmpl, ObjectTemplateFromRequest(ctx));
  } else {
    tmpl = source;
    tmpl.clear_parts();
    tmpl.set_key(ctx.req.key);
    tmpl.set_owner(ctx.auth.principal.user);
    if (const auto* sc = ctx.http.Header("x-amz-storage-class")) tmpl.set_storage_class(*sc);
  }
  if (src.bucket == ctx.req.bucket && src.key == ctx.req.key && !replace &&
      ctx.http.Header("x-amz-storage-class") == nullptr && !HasEncryptionHeaders(ctx)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "This copy request is illegal because it is trying to copy an object to "
                     "itself without changing the object's metadata, storage class, website "
                     "redirect location or encryption attributes.");
  }
  CopySourceObject from{src.bucket, std::move(source), std::move(source_key)};
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord rec,
                      s.objects.CopyObject(from, ctx.req.bucket, std::move(tmpl), encryption));
  ctx.audit.etag = rec.etag();
  HeaderList headers;
  AppendEncryptionHeaders(rec, headers, true);
  return ctx.Respond(200, std::move(headers),
                     xml::CopyObjectResultXml(rec.last_modified_unix_nanos(), rec.etag()));
}

}  // namespace

absl::Status HandleObjectOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutObject:
      return PutObject(ctx, s);
    case Operation::kGetObject:
      return GetOrHeadObject(ctx, s, true);
    case Operation::kHeadObject:
      return GetOrHeadObject(ctx, s, false);
    case Operation::kDeleteObject:
      return DeleteObject(ctx, s);
    case Operation::kCopyObject:
      return CopyObject(ctx, s);
    default:
      return absl::InternalError("not an object operation");
  }
}

}  // namespace sb::gateway
