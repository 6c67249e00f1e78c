// The request side of the policy condition context: the keys the Authorize stage can read
// from the HTTP request (aws:SourceIp, aws:SecureTransport, aws:UserAgent, aws:Referer,
// s3:prefix / s3:delimiter / s3:max-keys for listings, s3:x-amz-* headers, s3:VersionId,
// s3:signatureversion, s3:authType). Keys derived from the principal and the clock are added
// by policy::Authorizer. Pure; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gateway/request_context.h"
#include "policy/eval/context.h"

namespace sb::gateway {

policy::eval::ContextMap RequestConditions(const RequestContext& ctx);

// s3:RequestObjectTag/<key> for each tag and s3:RequestObjectTagKeys, from the x-amz-tagging
// header (RequestConditions does that) or a PutObjectTagging body.
void AddRequestObjectTags(const std::vector<std::pair<std::string, std::string>>& tags,
                          policy::eval::ContextMap& m);

}  // namespace sb::gateway
