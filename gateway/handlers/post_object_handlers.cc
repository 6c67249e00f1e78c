// POST Object: a browser form upload. The Authenticate stage has read the form fields and
// checked the policy (gateway/stages/post_auth.h); this stores the file with the object
// properties the fields set and answers as success_action_redirect/_status ask.
// Reference: AWS S3 API "POST Object" (form fields, responses).
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/handlers/object_lock_headers.h"
#include "gateway/handlers/sse_headers.h"
#include "gateway/internal/sigv4_canonical.h"
#include "gateway/xml/object_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

// Form fields that carry what a PutObject carries in headers (same names, lowercased).
constexpr std::string_view kHeaderFields[] = {
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "x-amz-storage-class",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-context",
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-server-side-encryption-customer-key-md5",
};

bool IsHeaderField(std::string_view name) {
  if (name.starts_with("x-amz-meta-")) return true;
  for (std::string_view f : kHeaderFields) {
    if (name == f) return true;
  }
  return false;
}

// The request head a PutObject of the same object would have: the form's property fields
// as headers, and `acl` as x-amz-acl. x-amz-tagging is an XML document in a form (not the
// header's URL encoding), so it is parsed separately.
HttpRequestHead FormHead(const RequestContext& ctx, const PostForm& form) {
  HttpRequestHead head;
  head.method = "POST";
  head.target = ctx.http.target;
  head.remote_ip = ctx.http.remote_ip;
  head.tls = ctx.http.tls;
  for (const auto& [name, value] : form.fields) {
    if (IsHeaderField(name)) {
      head.headers.emplace_back(name, value);
    } else if (name == "acl") {
      head.headers.emplace_back("x-amz-acl", value);
    }
  }
  if (form.Field("content-type") == nullptr && !form.file_content_type.empty()) {
    head.headers.emplace_back("content-type", form.file_content_type);
  }
  return head;
}

// The form's view of the request never answers: the real context does.
class NoResponse final : public ResponseWriter {
 public:
  absl::Status WriteHead(int, const HeaderList&, uint64_t) override {
    return absl::InternalError("the form view does not respond");
  }
  absl::Status WriteBody(std::string_view) override {
    return absl::InternalError("the form view does not respond");
  }
  bool head_written() const override { return false; }
  void SetCompletionGate(std::function<absl::Status()>) override {}
};

std::string UriEncoded(std::string_view s, bool encode_slash) {
  std::string out;
  internal::AppendUriEncoded(s, encode_slash, &out);
  return out;
}

// The object's URL, addressed as the client addressed the bucket: path style
// (host/bucket/key), or virtual-host style (bucket.domain/key), where a POST's path is "/".
std::string ObjectLocation(const RequestContext& ctx) {
  const std::string* host = ctx.http.Header("host");
  std::string url =
      absl::StrCat(ctx.http.tls ? "https://" : "http://", host != nullptr ? *host : "", "/");
  if (ctx.req.raw_path != "/") absl::StrAppend(&url, UriEncoded(ctx.req.bucket, true), "/");
  absl::StrAppend(&url, UriEncoded(ctx.req.key, false));
  return url;
}

absl::Status Respond(RequestContext& ctx, const PostForm& form, const metadata::ObjectRecord& rec) {
  const std::string& etag = rec.etag();
  const std::string location = ObjectLocation(ctx);
  HeaderList headers{{"ETag", Quoted(etag)}, {"Location", location}};
  AppendEncryptionHeaders(rec, headers, true);
  AppendVersionIdHeader(rec, false, headers);
  AppendChecksumHeaders(rec.checksum_algorithm(), rec.checksum(), rec.checksum_type(), headers);
  const std::string* redirect = form.Field("success_action_redirect");
  if (redirect == nullptr) redirect = form.Field("redirect");  // the 2006 API's name
  if (redirect != nullptr &&
      (redirect->starts_with("http://") || redirect->starts_with("https://"))) {
    // AWS appends bucket, key and etag (quoted) as query parameters.
    std::string url = *redirect;
    url += url.find('?') == std::string::npos ? '?' : '&';
    absl::StrAppend(&url, "bucket=", UriEncoded(ctx.req.bucket, true),
                    "&key=", UriEncoded(ctx.req.key, true),
                    "&etag=", UriEncoded(Quoted(etag), true));
    headers[1].second = url;
    return ctx.Respond(303, std::move(headers), "");
  }
  const std::string* status = form.Field("success_action_status");
  if (status != nullptr && *status == "200") return ctx.Respond(200, std::move(headers), "");
  if (status != nullptr && *status == "201") {
    return ctx.Respond(201, std::move(headers),
                       xml::PostResponseXml(location, ctx.req.bucket, ctx.req.key, etag));
  }
  return ctx.Respond(204, std::move(headers), "");  // the default, also for other values
}

}  // namespace

absl::Status HandlePostObject(RequestContext& ctx, Services& s) {
  if (!ctx.auth.post.has_value()) return absl::InternalError("POST Object without its form");
  const PostForm& form = ctx.auth.post->form;
  if (ctx.req.key.size() > kMaxKeyBytes) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kKeyTooLong,
                     "Your key is too long");
  }
  const HttpRequestHead head = FormHead(ctx, form);
  NoResponse no_response;
  RequestContext view(head, ctx.body(), no_response, ctx.start);
  view.req = ctx.req;
  view.req.http = &head;
  view.auth.principal = ctx.auth.principal;
  SB_RETURN_IF_ERROR(CheckAclHeaders(view, s.meta));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord tmpl, ObjectTemplateFromRequest(view));
  if (const std::string* tagging = form.Field("x-amz-tagging")) {
    SB_ASSIGN_OR_RETURN(std::vector<xml::Tag> parsed, xml::ParseTagging(*tagging));
    SB_ASSIGN_OR_RETURN(auto tags, CheckTags(parsed, kMaxObjectTags));
    tmpl.mutable_tags()->insert(tags.begin(), tags.end());
  }
  // No lock fields in a form: the bucket's default retention applies.
  SB_RETURN_IF_ERROR(ApplyLockHeaders(view, s, tmpl, false));
  SB_ASSIGN_OR_RETURN(EncryptionSpec encryption, EncryptionFromRequest(view));
  // The file's length is known only at its closing boundary.
  WriteChecks checks;
  checks.checksum = ctx.checksum;
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord rec,
                      s.objects.PutObject(ctx.req.bucket, std::move(tmpl), ctx.body(), checks,
                                          encryption, WriteCondition{}));
  ctx.audit.etag = rec.etag();
  return Respond(ctx, form, rec);
}

}  // namespace sb::gateway
