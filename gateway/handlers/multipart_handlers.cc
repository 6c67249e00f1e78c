// Multipart upload operations: Create, UploadPart, UploadPartCopy, Complete, Abort,
// ListParts and ListMultipartUploads.
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/ids.h"
#include "common/status_macros.h"
#include "gateway/checksum_combine.h"
#include "gateway/checksum_source.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/object_lock_headers.h"
#include "gateway/handlers/range.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/xml/multipart_xml.h"
#include "gateway/xml/object_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

const std::string& UploadId(const RequestContext& ctx) { return *ctx.req.Query("uploadId"); }

absl::StatusOr<uint32_t> PartNumber(const RequestContext& ctx) {
  const std::string* pn = ctx.req.Query("partNumber");
  int64_t n = 0;
  if (pn == nullptr || !absl::SimpleAtoi(AsAbsl(*pn), &n) || n < 1 || n > kMaxPartNumber) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "Part number must be an integer between 1 and 10000, inclusive");
  }
  return static_cast<uint32_t>(n);
}

absl::StatusOr<int> MaxParam(const RequestContext& ctx, std::string_view name) {
  const std::string* v = ctx.req.Query(name);
  if (v == nullptr) return 1000;
  SB_ASSIGN_OR_RETURN(int64_t n, ParseNonNegative(name, *v));
  return static_cast<int>(std::min<int64_t>(n, 1000));
}

// x-amz-checksum-algorithm / x-amz-checksum-type of CreateMultipartUpload into the upload's
// template: InvalidRequest for an unknown algorithm, a type without an algorithm, or a
// combination S3 does not allow (FULL_OBJECT with SHA*, COMPOSITE with CRC64NVME).
absl::Status ApplyChecksumHeaders(const RequestContext& ctx, metadata::ObjectRecord& tmpl) {
  const std::string* algorithm = ctx.http.Header("x-amz-checksum-algorithm");
  const std::string* type = ctx.http.Header("x-amz-checksum-type");
  if (algorithm == nullptr) {
    if (type == nullptr) return absl::OkStatus();
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     "The x-amz-checksum-type header can only be used with the "
                     "x-amz-checksum-algorithm header.");
  }
  const std::string name = absl::AsciiStrToUpper(AsAbsl(*algorithm));
  const std::string kind = type != nullptr ? absl::AsciiStrToUpper(AsAbsl(*type))
                                           : std::string(DefaultChecksumType(name));
  if (!ChecksumCalculator::Create(name).ok() || !ChecksumTypeAllowed(name, kind)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidRequest,
                     absl::StrCat("The checksum type ", kind, " is not supported with the ", name,
                                  " algorithm"));
  }
  tmpl.set_checksum_algorithm(name);
  tmpl.set_checksum_type(kind);
  return absl::OkStatus();
}

// CompleteMultipartUpload's claims about the whole object's checksum.
ExpectedChecksum ExpectedChecksumFromRequest(const RequestContext& ctx) {
  ExpectedChecksum expected;
  for (const auto& [name, value] : ctx.http.headers) {
    if (!name.starts_with("x-amz-checksum-")) continue;
    std::string suffix = absl::AsciiStrToUpper(AsAbsl(name.substr(strlen("x-amz-checksum-"))));
    if (suffix == "TYPE") {
      expected.type = absl::AsciiStrToUpper(AsAbsl(value));
    } else if (suffix != "ALGORITHM" && suffix != "MODE") {
      expected.algorithm = std::move(suffix);
      expected.value = value;
    }
  }
  return expected;
}

absl::Status CreateUpload(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  SB_RETURN_IF_ERROR(CheckAclHeaders(ctx, s.meta));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord tmpl, ObjectTemplateFromRequest(ctx));
  SB_RETURN_IF_ERROR(ApplyLockHeaders(ctx, s, tmpl, false));  // applied at Complete
  SB_ASSIGN_OR_RETURN(EncryptionSpec requested, EncryptionFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(EncryptionSpec encryption,
                      s.objects.ResolveForBucket(ctx.req.bucket, requested));
  SetEncryptionFields(encryption, &tmpl);
  SB_RETURN_IF_ERROR(ApplyChecksumHeaders(ctx, tmpl));
  metadata::UploadRecord upload;
  upload.set_bucket(ctx.req.bucket);
  upload.set_key(ctx.req.key);
  upload.set_upload_id(NewTimeOrderedId(s.clock.Now()) + NewRandomId().substr(0, 6));
  upload.set_initiated_unix_nanos(absl::ToUnixNanos(s.clock.Now()));
  upload.set_owner(ctx.auth.principal.user);
  *upload.mutable_object_template() = std::move(tmpl);
  SB_RETURN_IF_ERROR(s.meta.CreateUpload(upload));
  HeaderList headers;
  AppendEncryptionHeaders(upload.object_template(), headers, true);
  if (!upload.object_template().checksum_algorithm().empty()) {
    headers.emplace_back("x-amz-checksum-algorithm", upload.object_template().checksum_algorithm());
    headers.emplace_back("x-amz-checksum-type", upload.object_template().checksum_type());
  }
  return ctx.Respond(
      200, std::move(headers),
      xml::InitiateMultipartUploadXml(ctx.req.bucket, ctx.req.key, upload.upload_id()));
}

absl::Status UploadPart(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(uint32_t number, PartNumber(ctx));
  SB_ASSIGN_OR_RETURN(WriteChecks checks, WriteChecksFromRequest(ctx));
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> customer_key, CustomerKeyFromRequest(ctx, false));
  SB_ASSIGN_OR_RETURN(metadata::UploadRecord upload,
                      s.meta.GetUpload(ctx.req.bucket, ctx.req.key, UploadId(ctx)));
  SB_ASSIGN_OR_RETURN(
      metadata::DataPart part,
      s.objects.UploadPart(ctx.req.bucket, ctx.req.key, UploadId(ctx), number, ctx.body(), checks,
                           customer_key ? &*customer_key : nullptr));
  ctx.audit.etag = part.etag();
  HeaderList headers{{"ETag", Quoted(part.etag())}};
  AppendEncryptionHeaders(upload.object_template(), headers, false);
  if (!part.checksum().empty()) {
    AppendChecksumHeaders(upload.object_template().checksum_algorithm(), part.checksum(), "",
                          headers);
  } else if (ctx.checksum != nullptr) {
    AppendChecksumHeaders(ctx.checksum->algorithm(), ctx.checksum->value(), "", headers);
  }
  return ctx.Respond(200, std::move(headers), "");
}

absl::Status UploadPartCopy(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(uint32_t number, PartNumber(ctx));
  SB_ASSIGN_OR_RETURN(CopySource src, ParseCopySource(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord source, LoadCopySource(ctx, s, src));
  ByteRange range{0, source.size()};
  if (const auto* r = ctx.http.Header("x-amz-copy-source-range")) {
    SB_ASSIGN_OR_RETURN(range, ParseCopySourceRange(*r, source.size()));
  }
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> source_key, CustomerKeyFromRequest(ctx, true));
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> customer_key, CustomerKeyFromRequest(ctx, false));
  SB_ASSIGN_OR_RETURN(metadata::UploadRecord upload,
                      s.meta.GetUpload(ctx.req.bucket, ctx.req.key, UploadId(ctx)));
  HeaderList headers;
  AppendVersionIdHeader(
      source,
      source.version_id() != "null" || BucketHasVersioning(s.meta, src.bucket).value_or(false),
      headers, "x-amz-copy-source-version-id");
  CopySourceObject from{src.bucket, std::move(source), std::move(source_key)};
  SB_ASSIGN_OR_RETURN(
      metadata::DataPart part,
      s.objects.CopyPart(from, range.offset, range.length, ctx.req.bucket, ctx.req.key,
                         UploadId(ctx), number, customer_key ? &*customer_key : nullptr));
  AppendEncryptionHeaders(upload.object_template(), headers, false);
  return ctx.Respond(200, std::move(headers),
                     xml::CopyPartResultXml(absl::ToUnixNanos(s.clock.Now()), part.etag()));
}

absl::Status CompleteUpload(RequestContext& ctx, Services& s) {
  const WriteCondition condition = WriteConditionFromRequest(ctx);
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(auto parsed, xml::ParseCompleteMultipartUpload(body));
  std::vector<CompletedPart> parts;
  parts.reserve(parsed.size());
  for (auto& p : parsed) {
    parts.push_back(
        {p.part_number, std::move(p.etag), std::move(p.checksum_algorithm), std::move(p.checksum)});
  }
  SB_ASSIGN_OR_RETURN(std::optional<sse::SseCKey> customer_key, CustomerKeyFromRequest(ctx, false));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord rec,
                      s.objects.CompleteUpload(ctx.req.bucket, ctx.req.key, UploadId(ctx), parts,
                                               condition, customer_key ? &*customer_key : nullptr,
                                               ExpectedChecksumFromRequest(ctx)));
  ctx.audit.etag = rec.etag();
  std::string location = absl::StrCat("/", ctx.req.bucket, "/", ctx.req.key);
  if (const auto* host = ctx.http.Header("host")) {
    location = absl::StrCat(ctx.http.tls ? "https://" : "http://", *host, ctx.req.raw_path);
  }
  HeaderList headers;
  AppendEncryptionHeaders(rec, headers, false);
  AppendVersionIdHeader(rec, false, headers);  // real ids only, as PutObject
  return ctx.Respond(200, std::move(headers),
                     xml::CompleteMultipartUploadXml(location, ctx.req.bucket, ctx.req.key,
                                                     rec.etag(), rec.checksum_algorithm(),
                                                     rec.checksum(), rec.checksum_type()));
}

absl::Status AbortUpload(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.objects.AbortUpload(ctx.req.bucket, ctx.req.key, UploadId(ctx)));
  return ctx.Respond(204, {}, "");
}

absl::Status ListParts(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::UploadRecord upload,
                      s.meta.GetUpload(ctx.req.bucket, ctx.req.key, UploadId(ctx)));
  SB_ASSIGN_OR_RETURN(int max_parts, MaxParam(ctx, "max-parts"));
  uint32_t marker = 0;
  if (const auto* m = ctx.req.Query("part-number-marker")) {
    SB_ASSIGN_OR_RETURN(int64_t v, ParseNonNegative("part-number-marker", *m));
    marker = static_cast<uint32_t>(std::min<int64_t>(v, kMaxPartNumber));
  }
  SB_ASSIGN_OR_RETURN(
      auto result, s.meta.ListParts(ctx.req.bucket, ctx.req.key, UploadId(ctx), marker, max_parts));
  return ctx.Respond(200, {}, xml::ListPartsXml(upload, marker, max_parts, result));
}

absl::Status ListUploads(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta.GetBucket(ctx.req.bucket).status());
  xml::ListUploadsRequest req;
  req.bucket = ctx.req.bucket;
  auto get = [&](std::string_view name) {
    const std::string* v = ctx.req.Query(name);
    return v == nullptr ? std::string() : *v;
  };
  req.prefix = get("prefix");
  req.delimiter = get("delimiter");
  req.key_marker = get("key-marker");
  req.upload_id_marker = get("upload-id-marker");
  SB_ASSIGN_OR_RETURN(req.max_uploads, MaxParam(ctx, "max-uploads"));
  if (const auto* enc = ctx.req.Query("encoding-type")) {
    if (*enc != "url") {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                       "Invalid Encoding Method specified in Request");
    }
    req.url_encode = true;
  }
  metadata::ListUploadsOptions opts;
  opts.prefix = req.prefix;
  opts.delimiter = req.delimiter;
  opts.key_marker = req.key_marker;
  opts.upload_id_marker = req.upload_id_marker;
  opts.max_uploads = req.max_uploads;
  SB_ASSIGN_OR_RETURN(auto result, s.meta.ListUploads(ctx.req.bucket, opts));
  return ctx.Respond(200, {}, xml::ListMultipartUploadsXml(req, result));
}

}  // namespace

absl::Status HandleMultipartOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kCreateMultipartUpload:
      return CreateUpload(ctx, s);
    case Operation::kUploadPart:
      return UploadPart(ctx, s);
    case Operation::kUploadPartCopy:
      return UploadPartCopy(ctx, s);
    case Operation::kCompleteMultipartUpload:
      return CompleteUpload(ctx, s);
    case Operation::kAbortMultipartUpload:
      return AbortUpload(ctx, s);
    case Operation::kListParts:
      return ListParts(ctx, s);
    case Operation::kListMultipartUploads:
      return ListUploads(ctx, s);
    default:
      return absl::InternalError("not a multipart operation");
  }
}

}  // namespace sb::gateway
