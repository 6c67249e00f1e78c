#include "gateway/stages/request_conditions.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "gateway/stages/object_lock_conditions.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

void Put(policy::eval::ContextMap& m, std::string_view key, std::string value) {
  m.insert_or_assign(std::string(key), std::vector<std::string>{std::move(value)});
}

bool IsListing(Operation op) {
  return op == Operation::kListObjects || op == Operation::kListObjectsV2 ||
         op == Operation::kListObjectVersions;
}

// Request headers AWS exposes as s3: condition keys of the same name.
constexpr std::array<std::string_view, 11> kHeaderKeys = {
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-acl",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
    "x-amz-storage-class",
    "x-amz-content-sha256",
    "x-amz-object-lock-mode",
    "x-amz-object-lock-retain-until-date",
    "x-amz-object-lock-legal-hold",
};

// The tag pairs of an x-amz-tagging header ("k1=v1&k2=v2", URL-encoded). Undecodable pairs
// are skipped: the handler refuses the header itself, and a condition over a missing key
// fails closed.
std::vector<std::pair<std::string, std::string>> HeaderTags(std::string_view tagging) {
  std::vector<std::pair<std::string, std::string>> tags;
  while (!tagging.empty()) {
    size_t amp = tagging.find('&');
    std::string_view pair = tagging.substr(0, amp);
    tagging = amp == std::string_view::npos ? std::string_view() : tagging.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string key;
    std::string value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) || key.empty() ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value))) {
      continue;
    }
    tags.emplace_back(std::move(key), std::move(value));
  }
  return tags;
}

// A POST upload's form fields are its request headers: the same s3: keys from the fields
// (the canned ACL is the `acl` field), and the tags of its x-amz-tagging XML document.
void AddPostFormConditions(const PostForm& form, policy::eval::ContextMap& m) {
  for (std::string_view name : kHeaderKeys) {
    const std::string* v = form.Field(name == "x-amz-acl" ? "acl" : name);
    if (v != nullptr) Put(m, std::string("s3:") + std::string(name), *v);
  }
  if (const std::string* tagging = form.Field("x-amz-tagging")) {
    absl::StatusOr<std::vector<xml::Tag>> tags = xml::ParseTagging(*tagging);
    if (!tags.ok()) return;  // the handler refuses it; a tag condition fails closed
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const xml::Tag& t : *tags) pairs.emplace_back(t.key, t.value);
    AddRequestObjectTags(pairs, m);
  }
}

}  // namespace

void AddRequestObjectTags(const std::vector<std::pair<std::string, std::string>>& tags,
                          policy::eval::ContextMap& m) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : tags) {
    Put(m, "s3:RequestObjectTag/" + key, value);
    keys.push_back(key);
  }
  if (!keys.empty()) m.insert_or_assign("s3:RequestObjectTagKeys", std::move(keys));
}

policy::eval::ContextMap RequestConditions(const RequestContext& ctx) {
  policy::eval::ContextMap m;
  if (!ctx.http.remote_ip.empty()) Put(m, "aws:SourceIp", ctx.http.remote_ip);
  Put(m, "aws:SecureTransport", ctx.http.tls ? "true" : "false");
  if (const std::string* v = ctx.http.Header("user-agent")) Put(m, "aws:UserAgent", *v);
  if (const std::string* v = ctx.http.Header("referer")) Put(m, "aws:Referer", *v);
  if (IsListing(ctx.req.op)) {
    // AWS: present only when the request carries the parameter.
    for (std::string_view name : {"prefix", "delimiter", "max-keys"}) {
      if (const std::string* v = ctx.req.Query(name))
        Put(m, std::string("s3:") + std::string(name), *v);
    }
  }
  if (const std::string* v = ctx.req.Query("versionId")) Put(m, "s3:VersionId", *v);
  AddObjectLockHeaderConditions(ctx, m);
  for (std::string_view name : kHeaderKeys) {
    if (const std::string* v = ctx.http.Header(name)) {
      Put(m, std::string("s3:") + std::string(name), *v);
    }
  }
  if (const std::string* v = ctx.http.Header("x-amz-tagging")) {
    AddRequestObjectTags(HeaderTags(*v), m);
  }
  if (ctx.auth.post.has_value()) AddPostFormConditions(ctx.auth.post->form, m);
  const SigV4Result& sig = ctx.auth.sigv4;
  if (!sig.anonymous && !sig.access_key.empty()) {
    const bool v2 = ctx.auth.post.has_value() && ctx.auth.post->signature_v2;
    Put(m, "s3:signatureversion", v2 ? "AWS" : "AWS4-HMAC-SHA256");
    Put(m, "s3:authType",
        ctx.auth.post.has_value() ? "POST"
        : sig.presigned           ? "REST-QUERY-STRING"
                                  : "REST-HEADER");
  }
  return m;
}

}  // namespace sb::gateway
