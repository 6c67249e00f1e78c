#include "gateway/handlers/handler_util.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/s3_errors.h"
#include "gateway/xml/error_xml.h"
#include "metadata/version_id.h"

namespace sb::gateway {
namespace {

constexpr size_t kMaxUserMetadataBytes = 2048;  // S3: 2 KB of user-defined metadata

absl::Status Invalid(ErrorReason reason, std::string message) {
  return MakeError(absl::StatusCode::kInvalidArgument, reason, message);
}

}  // namespace

absl::StatusOr<std::string> ReadSmallBody(RequestContext& ctx, size_t limit) {
  std::string out;
  char buf[16384];
  for (;;) {
    SB_ASSIGN_OR_RETURN(size_t n, ctx.body().Read(buf, sizeof(buf)));
    if (n == 0) break;
    if (out.size() + n > limit) {
      return Invalid(ErrorReason::kMalformedXml, "request body is too large");
    }
    out.append(buf, n);
  }
  return out;
}

std::string FormatHttpDate(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
}

WriteCondition WriteConditionFromRequest(const RequestContext& ctx) {
  WriteCondition c;
  if (const std::string* v = ctx.http.Header("if-none-match")) c.if_none_match = Unquote(*v);
  if (const std::string* v = ctx.http.Header("if-match")) c.if_match = Unquote(*v);
  return c;
}

absl::StatusOr<int64_t> ParseNonNegative(std::string_view name, std::string_view value) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(AsAbsl(value), &v) || v < 0) {
    return Invalid(ErrorReason::kInvalidArgument, absl::StrCat("Provided ", std::string(name),
                                                               " not an integer or within "
                                                               "integer range"));
  }
  return v;
}

std::string Quoted(std::string_view etag) { return absl::StrCat("\"", AsAbsl(etag), "\""); }

std::string Unquote(std::string_view etag) {
  std::string_view s = AsStd(absl::StripAsciiWhitespace(AsAbsl(etag)));
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

void AppendObjectHeaders(const metadata::ObjectRecord& o, HeaderList& h) {
  h.emplace_back("ETag", Quoted(o.etag()));
  h.emplace_back("Last-Modified",
                 FormatHttpDate(absl::FromUnixNanos(o.last_modified_unix_nanos())));
  h.emplace_back("Accept-Ranges", "bytes");
  h.emplace_back("Content-Type",
                 o.content_type().empty() ? "binary/octet-stream" : o.content_type());
  if (!o.content_encoding().empty()) h.emplace_back("Content-Encoding", o.content_encoding());
  if (!o.cache_control().empty()) h.emplace_back("Cache-Control", o.cache_control());
  if (!o.content_disposition().empty()) {
    h.emplace_back("Content-Disposition", o.content_disposition());
  }
  if (!o.content_language().empty()) h.emplace_back("Content-Language", o.content_language());
  if (!o.expires().empty()) h.emplace_back("Expires", o.expires());
  for (const auto& [k, v] : o.user_metadata()) h.emplace_back("x-amz-meta-" + k, v);
  if (!o.storage_class().empty() && o.storage_class() != "STANDARD") {
    h.emplace_back("x-amz-storage-class", o.storage_class());
  }
  if (o.tags_size() > 0) h.emplace_back("x-amz-tagging-count", absl::StrCat(o.tags_size()));
}

absl::StatusOr<metadata::ObjectRecord> ObjectTemplateFromRequest(const RequestContext& ctx) {
  metadata::ObjectRecord o;
  o.set_key(ctx.req.key);
  o.set_owner(ctx.auth.principal.user);
  size_t meta_bytes = 0;
  for (const auto& [name, value] : ctx.http.headers) {
    if (name == "content-type") {
      o.set_content_type(value);
    } else if (name == "content-encoding") {
      // aws-chunked is a transport encoding; S3 strips it from the stored value.
      std::string enc;
      for (auto part : absl::StrSplit(AsAbsl(value), ',')) {
        auto p = absl::StripAsciiWhitespace(part);
        if (p.empty() || absl::EqualsIgnoreCase(p, "aws-chunked")) continue;
        if (!enc.empty()) enc += ", ";
        enc += std::string(p);
      }
      o.set_content_encoding(enc);
    } else if (name == "cache-control") {
      o.set_cache_control(value);
    } else if (name == "content-disposition") {
      o.set_content_disposition(value);
    } else if (name == "content-language") {
      o.set_content_language(value);
    } else if (name == "expires") {
      o.set_expires(value);
    } else if (name == "x-amz-storage-class") {
      if (value != "STANDARD" && value != "REDUCED_REDUNDANCY" && value != "STANDARD_IA" &&
          value != "ONEZONE_IA" && value != "INTELLIGENT_TIERING" && value != "GLACIER" &&
          value != "DEEP_ARCHIVE" && value != "GLACIER_IR") {
        return Invalid(ErrorReason::kInvalidStorageClass,
                       "The storage class you specified is not valid");
      }
      o.set_storage_class(value);
    } else if (name.starts_with("x-amz-meta-")) {
      std::string key = name.substr(strlen("x-amz-meta-"));
      meta_bytes += key.size() + value.size();
      (*o.mutable_user_metadata())[key] = value;
    }
  }
  if (meta_bytes > kMaxUserMetadataBytes) {
    return Invalid(ErrorReason::kMetadataTooLarge,
                   "Your metadata headers exceed the maximum allowed metadata size.");
  }
  SB_ASSIGN_OR_RETURN(auto tags, TagsFromHeader(ctx));
  o.mutable_tags()->insert(tags.begin(), tags.end());
  return o;
}

absl::StatusOr<std::map<std::string, std::string>> CheckTags(const std::vector<xml::Tag>& tags,
                                                             size_t max_tags) {
  // S3 counts Unicode characters, not bytes: count every byte that does not continue a
  // UTF-8 sequence.
  auto chars = [](std::string_view s) {
    return std::count_if(s.begin(), s.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; });
  };
  if (tags.size() > max_tags) {
    return Invalid(ErrorReason::kInvalidTag,
                   absl::StrCat("Object tags cannot be greater than ", max_tags));
  }
  std::map<std::string, std::string> out;
  for (const xml::Tag& tag : tags) {
    if (tag.key.empty() || chars(tag.key) > 128) {
      return Invalid(ErrorReason::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (chars(tag.value) > 256) {
      return Invalid(ErrorReason::kInvalidTag, "The TagValue you have provided is invalid");
    }
    if (absl::StartsWith(AsAbsl(tag.key), "aws:")) {
      return Invalid(ErrorReason::kInvalidTag, "System tags cannot be added/updated by requester");
    }
    if (!out.emplace(tag.key, tag.value).second) {
      return Invalid(ErrorReason::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> TagsFromHeader(const RequestContext& ctx) {
  const std::string* header = ctx.http.Header("x-amz-tagging");
  if (header == nullptr || header->empty()) return std::map<std::string, std::string>();
  std::vector<xml::Tag> tags;
  for (absl::string_view pair : absl::StrSplit(AsAbsl(*header), '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    xml::Tag tag;
    if (!PercentDecode(AsStd(pair.substr(0, eq)), true, &tag.key) ||
        (eq != absl::string_view::npos &&
         !PercentDecode(AsStd(pair.substr(eq + 1)), true, &tag.value))) {
      return Invalid(ErrorReason::kInvalidArgument,
                     "The header 'x-amz-tagging' shall be encoded "
                     "as UTF-8 then URLEncoded URL query parameters");
    }
    tags.push_back(std::move(tag));
  }
  return CheckTags(tags, kMaxObjectTags);
}

absl::StatusOr<WriteChecks> WriteChecksFromRequest(const RequestContext& ctx) {
  WriteChecks checks;
  // S3 needs the length up front: plain HTTP chunked uploads are refused (411); aws-chunked
  // bodies may come with Transfer-Encoding: chunked (current SDKs over https) and carry the
  // length in x-amz-decoded-content-length.
  if (!ctx.http.content_length.has_value() && !ctx.auth.sigv4.decoded_content_length.has_value()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMissingContentLength,
                     "You must provide the Content-Length HTTP header.");
  }
  const auto& sig = ctx.auth.sigv4;
  if (sig.decoded_content_length) {
    checks.expected_size = *sig.decoded_content_length;
  } else if (sig.payload_mode != PayloadMode::kStreamingSigned &&
             sig.payload_mode != PayloadMode::kStreamingSignedTrailer &&
             sig.payload_mode != PayloadMode::kStreamingUnsignedTrailer) {
    checks.expected_size = ctx.http.content_length;
  }
  if (const auto* md5 = ctx.http.Header("content-md5")) {
    std::string raw;
    if (!absl::Base64Unescape(AsAbsl(*md5), &raw) || raw.size() != 16) {
      return Invalid(ErrorReason::kInvalidDigest, "The Content-MD5 you specified is not valid.");
    }
    checks.content_md5 = raw;
  }
  checks.checksum = ctx.checksum;
  return checks;
}

void AppendChecksumHeaders(std::string_view algorithm, std::string_view value,
                           std::string_view type, HeaderList& headers) {
  if (algorithm.empty() || value.empty()) return;
  headers.emplace_back(absl::StrCat("x-amz-checksum-", absl::AsciiStrToLower(AsAbsl(algorithm))),
                       std::string(value));
  if (!type.empty()) headers.emplace_back("x-amz-checksum-type", std::string(type));
}

bool ChecksumModeEnabled(const RequestContext& ctx) {
  const std::string* mode = ctx.http.Header("x-amz-checksum-mode");
  return mode != nullptr && absl::EqualsIgnoreCase(AsAbsl(*mode), "ENABLED");
}

bool IsPublicAcl(std::string_view acl) {
  return acl == "public-read" || acl == "public-read-write" || acl == "authenticated-read" ||
         acl.find("acs.amazonaws.com/groups/global/AllUsers") != std::string_view::npos ||
         acl.find("acs.amazonaws.com/groups/global/AuthenticatedUsers") != std::string_view::npos;
}

absl::Status CheckPublicAclsAllowed(metadata::MetadataStore& meta, std::string_view bucket) {
  absl::StatusOr<metadata::BucketRecord> record = meta.GetBucket(bucket);
  if (record.ok() && record->public_access_block().block_public_acls()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorReason::kAccessDenied,
                     "Access Denied: the bucket's public access block has BlockPublicAcls");
  }
  return absl::OkStatus();
}

absl::Status CheckAclHeaders(const RequestContext& ctx, metadata::MetadataStore& meta) {
  for (const auto& [name, value] : ctx.http.headers) {
    if ((name == "x-amz-acl" || name.starts_with("x-amz-grant-")) && IsPublicAcl(value)) {
      SB_RETURN_IF_ERROR(CheckPublicAclsAllowed(meta, ctx.req.bucket));
    }
  }
  for (const auto& [name, value] : ctx.http.headers) {
    if (name.starts_with("x-amz-grant-")) {
      return MakeError(absl::StatusCode::kInvalidArgument,
                       ErrorReason::kAccessControlListNotSupported,
                       "The bucket does not allow ACLs");
    }
  }
  const std::string* acl = ctx.http.Header("x-amz-acl");
  if (acl == nullptr || *acl == "private" || *acl == "bucket-owner-full-control") {
    return absl::OkStatus();
  }
  static constexpr std::string_view kCanned[] = {"public-read",        "public-read-write",
                                                 "authenticated-read", "aws-exec-read",
                                                 "bucket-owner-read",  "log-delivery-write"};
  for (auto c : kCanned) {
    if (*acl == c) {
      return MakeError(absl::StatusCode::kInvalidArgument,
                       ErrorReason::kAccessControlListNotSupported,
                       "The bucket does not allow ACLs");
    }
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   "Invalid canned ACL");
}

absl::Status CheckConditions(const RequestContext& ctx, const metadata::ObjectRecord& object,
                             std::string_view prefix) {
  auto header = [&](std::string_view name) {
    return ctx.http.Header(absl::StrCat(AsAbsl(prefix), AsAbsl(name)));
  };
  auto matches = [&](const std::string& list) {
    for (auto tag : absl::StrSplit(AsAbsl(list), ',')) {
      std::string t = Unquote(AsStd(tag));
      if (t == "*" || t == object.etag()) return true;
    }
    return false;
  };
  absl::Time modified = absl::FromUnixNanos(object.last_modified_unix_nanos());
  // HTTP dates have second precision.
  modified = absl::FromUnixSeconds(absl::ToUnixSeconds(modified));
  auto failed = [] {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kPreconditionFailed,
                     "At least one of the pre-conditions you specified did not hold");
  };
  const bool copy = !prefix.empty();
  auto not_modified = [copy, &failed] {
    if (copy) return failed();
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorReason::kNotModified,
                     "Not Modified");
  };
  const std::string* if_match = header("if-match");
  if (if_match != nullptr) {
    if (!matches(*if_match)) return failed();
  } else if (const auto* ius = header("if-unmodified-since")) {
    auto t = ParseHttpDate(*ius);
    if (t && modified > *t) return failed();
  }
  const std::string* if_none = header("if-none-match");
  if (if_none != nullptr) {
    if (matches(*if_none)) return not_modified();
  } else if (const auto* ims = header("if-modified-since")) {
    auto t = ParseHttpDate(*ims);
    if (t && modified <= *t) return not_modified();
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> BucketHasVersioning(metadata::MetadataStore& meta, std::string_view bucket) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, meta.GetBucket(bucket));
  return record.versioning() != metadata::VERSIONING_UNVERSIONED;
}

void AppendVersionIdHeader(const metadata::ObjectRecord& object, bool bucket_versioned,
                           HeaderList& headers, std::string_view name) {
  const std::string& id = object.version_id();
  if (id.empty()) return;
  if (id == metadata::kNullVersionId && !bucket_versioned) return;
  headers.emplace_back(std::string(name), id);
}

absl::StatusOr<const std::string*> RequestedVersionId(const RequestContext& ctx) {
  const std::string* id = ctx.req.Query("versionId");
  if (id != nullptr && !metadata::IsValidVersionId(*id)) {
    return Invalid(ErrorReason::kInvalidArgument, "Invalid version id specified");
  }
  return id;
}

absl::Status RespondError(RequestContext& ctx, const absl::Status& error, HeaderList headers) {
  S3Error err = MapStatus(error);
  ctx.audit.error_code = std::string(err.code);
  ctx.audit.error_message = std::string(error.message());
  xml::ErrorDocument doc;
  doc.code = std::string(err.code);
  doc.message = err.message;
  doc.resource = ctx.req.raw_path.empty() ? ctx.req.Resource() : ctx.req.raw_path;
  doc.request_id = ctx.req.request_id;
  doc.host_id = ctx.req.request_id;
  if (err.code == "NoSuchKey") doc.extra.emplace_back("Key", ctx.req.key);
  if (err.http_status == 405) headers.emplace_back("Allow", "GET, PUT, POST, DELETE, HEAD");
  return ctx.Respond(err.http_status, std::move(headers), xml::ErrorXml(doc));
}

}  // namespace sb::gateway
