#include "gateway/stages/request_conditions.h"

#include <array>
#include <string>

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
constexpr std::array<std::string_view, 9> kHeaderKeys = {
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-acl",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
    "x-amz-storage-class",
    "x-amz-content-sha256",
    "x-amz-object-lock-mode",
};

}  // namespace

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
  for (std::string_view name : kHeaderKeys) {
    if (const std::string* v = ctx.http.Header(name)) {
      Put(m, std::string("s3:") + std::string(name), *v);
    }
  }
  const SigV4Result& sig = ctx.auth.sigv4;
  if (!sig.anonymous && !sig.access_key.empty()) {
    Put(m, "s3:signatureversion", "AWS4-HMAC-SHA256");
    Put(m, "s3:authType", sig.presigned ? "REST-QUERY-STRING" : "REST-HEADER");
  }
  return m;
}

}  // namespace sb::gateway
