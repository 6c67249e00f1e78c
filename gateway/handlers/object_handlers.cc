// Object operations: PutObject, GetObject, HeadObject, DeleteObject, CopyObject, each
// version-aware (?versionId=, x-amz-version-id, delete markers).
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/object_lock_headers.h"
#include "gateway/handlers/range.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/xml/object_attributes_xml.h"
#include "gateway/xml/object_xml.h"
#include "metadata/version_id.h"

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

// Whether x-amz-version-id of a *read* (copy source) should name `rec`'s null version: only
// in a bucket that has versioning configured (a real id always implies one). Writes name
// only real ids: S3 sends no version id for a PUT into a suspended bucket.
bool VersionHeaderWanted(Services& s, std::string_view bucket, const metadata::ObjectRecord& rec) {
  return rec.version_id() != metadata::kNullVersionId ||
         BucketHasVersioning(s.meta, bucket).value_or(false);
}

absl::Status PutObject(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(CheckKey(ctx));
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx, s.meta));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord tmpl, ObjectTemplateFromRequest(ctx));
  SB_RETURN_IF_ERROR(ApplyLockHeaders(ctx, s, tmpl, true));
  SB_ASSIGN_OR_RETURN(WriteChecks checks, WriteChecksFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(EncryptionSpec encryption, EncryptionFromRequest(ctx));
  const WriteCondition condition = WriteConditionFromRequest(ctx);
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord rec,
                      s.objects.PutObject(ctx.req.bucket, std::move(tmpl), ctx.body(), checks,
                                          encryption, condition));
  ctx.audit.etag = rec.etag();
  HeaderList headers{{"ETag", Quoted(rec.etag())}};
  AppendEncryptionHeaders(rec, headers, true);
  AppendVersionIdHeader(rec, false, headers);
  AppendChecksumHeaders(rec.checksum_algorithm(), rec.checksum(), rec.checksum_type(), headers);
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

// The record a GET/HEAD names, or the error response already sent for a delete marker:
// 404 NoSuchKey for a key whose newest version is one, 405 MethodNotAllowed when the
// request names one by id, both with x-amz-delete-marker (S3 GetObject docs).
absl::StatusOr<std::optional<metadata::ObjectRecord>> LoadForRead(RequestContext& ctx, Services& s,
                                                                  bool versioned) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  absl::StatusOr<metadata::ObjectRecord> found =
      version_id != nullptr ? s.meta.GetObjectVersion(ctx.req.bucket, ctx.req.key, *version_id)
                            : s.meta.GetObject(ctx.req.bucket, ctx.req.key);
  if (found.ok() && !found->delete_marker()) return std::optional(*std::move(found));
  std::optional<metadata::ObjectRecord> marker;
  absl::Status error = found.status();
  if (found.ok()) {
    marker = *std::move(found);
    error = MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                      "The specified method is not allowed against this resource.");
  } else if (versioned && version_id == nullptr &&
             GetReason(found.status()) == ErrorReason::kNoSuchKey) {
    absl::StatusOr<metadata::ObjectRecord> latest =
        s.meta.GetLatestVersion(ctx.req.bucket, ctx.req.key);
    if (latest.ok() && latest->delete_marker()) marker = *std::move(latest);
  }
  if (!marker.has_value()) {
    if (GetReason(error) != ErrorReason::kNoSuchKey) return error;
    // s3-tests (check_delete_marker) expects the header on every 404 of a key, as RGW does.
    SB_RETURN_IF_ERROR(RespondError(ctx, error, {{"x-amz-delete-marker", "false"}}));
    return std::optional<metadata::ObjectRecord>();
  }
  HeaderList headers{{"x-amz-delete-marker", "true"}};
  AppendVersionIdHeader(*marker, true, headers);
  headers.emplace_back("Last-Modified",
                       FormatHttpDate(absl::FromUnixNanos(marker->last_modified_unix_nanos())));
  SB_RETURN_IF_ERROR(RespondError(ctx, error, std::move(headers)));
  return std::optional<metadata::ObjectRecord>();
}

// GET and HEAD share everything except sending the bytes.
absl::Status GetOrHeadObject(RequestContext& ctx, Services& s, bool send_body) {
  // A read names no encryption (only SSE-C's key); S3 refuses the write-side headers.
  for (const char* h :
       {"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-context"}) {
    if (ctx.http.Header(h) != nullptr) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       absl::StrCat("Unsupported header '", h, "' received for this API call."));
    }
  }
  SB_ASSIGN_OR_RETURN(bool versioned, BucketHasVersioning(s.meta, ctx.req.bucket));
  SB_ASSIGN_OR_RETURN(std::optional<metadata::ObjectRecord> loaded, LoadForRead(ctx, s, versioned));
  if (!loaded.has_value()) return absl::OkStatus();  // the delete-marker error was sent
  metadata::ObjectRecord obj = *std::move(loaded);
  // A part that does not exist is reported before any key problem (as S3).
  if (const std::string* pn = ctx.req.Query("partNumber")) {
    int64_t n = 0;
    if (absl::SimpleAtoi(AsAbsl(*pn), &n) && n > obj.parts_size() && n <= 10000) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                       "The requested partnumber is not satisfiable");
    }
  }
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
  AppendLockHeaders(ctx, s, obj, headers);
  AppendEncryptionHeaders(obj, headers, false);
  AppendVersionIdHeader(obj, versioned, headers);
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
    const metadata::DataPart& part = obj.parts(static_cast<int>(n - 1));
    length = part.size();
    if (obj.multipart()) {
      headers.emplace_back("x-amz-mp-parts-count", absl::StrCat(obj.parts_size()));
      // The part's own checksum (S3 and Ceph send it for part reads).
      AppendChecksumHeaders(obj.checksum_algorithm(), part.checksum(), obj.checksum_type(),
                            headers);
    } else if (ChecksumModeEnabled(ctx)) {
      AppendChecksumHeaders(obj.checksum_algorithm(), obj.checksum(), obj.checksum_type(), headers);
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
  // A whole-object read with checksum mode gets the stored checksum; a range has none.
  if (ctx.req.Query("partNumber") == nullptr && offset == 0 && length == obj.size() &&
      ChecksumModeEnabled(ctx)) {
    AppendChecksumHeaders(obj.checksum_algorithm(), obj.checksum(), obj.checksum_type(), headers);
  }
  ctx.audit.etag = obj.etag();
  SB_RETURN_IF_ERROR(ctx.StartResponse(status, std::move(headers), length));
  if (!send_body || length == 0) return absl::OkStatus();
  return s.objects.ReadRange(
      ctx.req.bucket, obj, offset, length,
      [&ctx](std::string_view chunk) { return ctx.SendBody(chunk); }, key);
}

// A header's non-negative integer value (x-amz-max-parts, x-amz-part-number-marker).
absl::StatusOr<std::optional<int64_t>> IntegerHeader(const RequestContext& ctx,
                                                     std::string_view name) {
  const std::string* v = ctx.http.Header(name);
  if (v == nullptr) return std::optional<int64_t>();
  SB_ASSIGN_OR_RETURN(int64_t n, ParseNonNegative(name, *v));
  return std::optional<int64_t>(n);
}

// GetObjectAttributes (?attributes): the x-amz-object-attributes selection of the object's
// metadata, without reading data. Delete markers and SSE-C keys as for HEAD.
absl::Status GetObjectAttributes(RequestContext& ctx, Services& s) {
  const std::string* names = ctx.http.Header("x-amz-object-attributes");
  SB_ASSIGN_OR_RETURN(xml::ObjectAttributesRequest request,
                      xml::ParseObjectAttributes(names == nullptr ? "" : *names));
  SB_ASSIGN_OR_RETURN(std::optional<int64_t> max_parts, IntegerHeader(ctx, "x-amz-max-parts"));
  SB_ASSIGN_OR_RETURN(std::optional<int64_t> marker,
                      IntegerHeader(ctx, "x-amz-part-number-marker"));
  if (max_parts) request.max_parts = static_cast<uint32_t>(std::min<int64_t>(*max_parts, 1000));
  if (marker) request.part_number_marker = static_cast<uint32_t>(std::min<int64_t>(*marker, 10000));
  SB_ASSIGN_OR_RETURN(bool versioned, BucketHasVersioning(s.meta, ctx.req.bucket));
  SB_ASSIGN_OR_RETURN(std::optional<metadata::ObjectRecord> loaded, LoadForRead(ctx, s, versioned));
  if (!loaded.has_value()) return absl::OkStatus();  // the delete-marker error was sent
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> customer_key, CustomerKeyFromRequest(ctx, false));
  SB_RETURN_IF_ERROR(CheckCustomerKey(*loaded, customer_key ? &*customer_key : nullptr));
  HeaderList headers{
      {"Last-Modified", FormatHttpDate(absl::FromUnixNanos(loaded->last_modified_unix_nanos()))}};
  AppendVersionIdHeader(*loaded, versioned, headers);
  return ctx.Respond(200, std::move(headers), xml::GetObjectAttributesXml(*loaded, request));
}

// Without versionId: as the bucket's versioning state says (a delete marker when versioning
// is on). With it: that version goes for good. Either way 204, also for absent keys.
absl::Status DeleteObject(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  HeaderList headers;
  if (version_id != nullptr) {
    SB_ASSIGN_OR_RETURN(metadata::DeleteResult result,
                        s.objects.DeleteObjectVersion(ctx.req.bucket, ctx.req.key, *version_id,
                                                      LockOverrideFor(ctx, s, ctx.req.key)));
    if (result.removed.has_value() && result.removed->delete_marker()) {
      headers.emplace_back("x-amz-delete-marker", "true");
    }
    headers.emplace_back("x-amz-version-id", *version_id);
  } else {
    SB_ASSIGN_OR_RETURN(
        metadata::DeleteResult result,
        s.objects.DeleteObject(ctx.req.bucket, ctx.req.key, ctx.auth.principal.user));
    if (result.marker.has_value()) {
      headers.emplace_back("x-amz-delete-marker", "true");
      headers.emplace_back("x-amz-version-id", result.marker->version_id());
    }
  }
  return ctx.Respond(204, std::move(headers), "");
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
    if (query.starts_with("versionId=") &&
        !PercentDecode(query.substr(10), false, &src.version_id)) {
      return invalid();
    }
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
  metadata::ObjectRecord obj;
  if (src.version_id.empty()) {
    SB_ASSIGN_OR_RETURN(obj, s.meta.GetObject(src.bucket, src.key));
  } else {
    if (!metadata::IsValidVersionId(src.version_id)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "Invalid version id specified");
    }
    SB_ASSIGN_OR_RETURN(obj, s.meta.GetObjectVersion(src.bucket, src.key, src.version_id));
    if (obj.delete_marker()) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                       "The source of a copy request may not specifically refer to a delete "
                       "marker by version id.");
    }
  }
  SB_RETURN_IF_ERROR(CheckConditions(ctx, obj, "x-amz-copy-source-"));
  return obj;
}

namespace {

absl::Status CopyObject(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(CheckKey(ctx));
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx, s.meta));
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
    SB_RETURN_IF_ERROR(TagsFromHeader(ctx).status());  // a bad header fails either way
    tmpl = source;
    tmpl.clear_parts();
    tmpl.set_key(ctx.req.key);
    tmpl.set_owner(ctx.auth.principal.user);
    if (const auto* sc = ctx.http.Header("x-amz-storage-class")) tmpl.set_storage_class(*sc);
  }
  // x-amz-tagging-directive: COPY (default) keeps the source's tags, REPLACE takes the
  // request's x-amz-tagging (none if absent).
  const std::string* tagging = ctx.http.Header("x-amz-tagging-directive");
  if (tagging != nullptr && *tagging != "COPY" && *tagging != "REPLACE") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "Unknown tagging directive.");
  }
  tmpl.clear_tags();
  if (tagging != nullptr && *tagging == "REPLACE") {
    SB_ASSIGN_OR_RETURN(auto tags, TagsFromHeader(ctx));
    tmpl.mutable_tags()->insert(tags.begin(), tags.end());
  } else {
    *tmpl.mutable_tags() = source.tags();
  }
  SB_RETURN_IF_ERROR(ApplyLockHeaders(ctx, s, tmpl, false));
  // Copying an older version onto its own key is how S3 users restore it: allowed.
  if (src.bucket == ctx.req.bucket && src.key == ctx.req.key && !replace &&
      src.version_id.empty() && ctx.http.Header("x-amz-storage-class") == nullptr &&
      !HasEncryptionHeaders(ctx)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "This copy request is illegal because it is trying to copy an object to "
                     "itself without changing the object's metadata, storage class, website "
                     "redirect location or encryption attributes.");
  }
  HeaderList headers;
  AppendVersionIdHeader(source, VersionHeaderWanted(s, src.bucket, source), headers,
                        "x-amz-copy-source-version-id");
  CopySourceObject from{src.bucket, std::move(source), std::move(source_key)};
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord rec,
                      s.objects.CopyObject(from, ctx.req.bucket, std::move(tmpl), encryption));
  ctx.audit.etag = rec.etag();
  AppendEncryptionHeaders(rec, headers, true);
  AppendVersionIdHeader(rec, false, headers);
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
    case Operation::kGetObjectAttributes:
      return GetObjectAttributes(ctx, s);
    default:
      return absl::InternalError("not an object operation");
  }
}

}  // namespace sb::gateway
