// Object and bucket tagging: Put/Get/DeleteObjectTagging (optionally ?versionId=) and
// Put/Get/DeleteBucketTagging. Tags live in the object version's record and in the bucket
// record; the rules (counts, lengths, duplicates) are CheckTags' (handler_util).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/stages/request_conditions.h"
#include "gateway/stages/stages.h"
#include "gateway/xml/object_xml.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway {
namespace {

template <typename Map>
std::vector<std::pair<std::string, std::string>> Sorted(const Map& tags) {
  std::map<std::string, std::string> sorted(tags.begin(), tags.end());
  return {sorted.begin(), sorted.end()};
}

absl::StatusOr<std::map<std::string, std::string>> TagsFromBody(RequestContext& ctx,
                                                                size_t max_tags) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, xml::kMaxRequestXmlBytes));
  SB_ASSIGN_OR_RETURN(std::vector<xml::Tag> tags, xml::ParseTagging(body));
  return CheckTags(tags, max_tags);
}

// The version a tagging request names (?versionId=, else the newest), with `update`
// applied; a delete marker has no tags (405 MethodNotAllowed, as S3).
absl::StatusOr<metadata::ObjectRecord> UpdateTags(
    RequestContext& ctx, Services& s, const std::function<void(metadata::ObjectRecord&)>& update) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  return s.meta.UpdateObjectVersion(
      ctx.req.bucket, ctx.req.key, version_id == nullptr ? "" : *version_id,
      [&update](metadata::ObjectRecord& record) {
        if (record.delete_marker()) {
          return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                           "The specified method is not allowed against this resource.");
        }
        update(record);
        return absl::OkStatus();
      });
}

HeaderList VersionHeader(Services& s, const RequestContext& ctx,
                         const metadata::ObjectRecord& record) {
  HeaderList headers;
  AppendVersionIdHeader(record, BucketHasVersioning(s.meta, ctx.req.bucket).value_or(false),
                        headers);
  return headers;
}

absl::Status PutObjectTagging(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto tags, TagsFromBody(ctx, kMaxObjectTags));
  // AWS evaluates s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys on the body's tags.
  policy::eval::ContextMap conditions = RequestConditions(ctx);
  AddRequestObjectTags({tags.begin(), tags.end()}, conditions);
  SB_RETURN_IF_ERROR(AuthorizeWithBody(ctx, s.authorizer, s.meta, conditions));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                      UpdateTags(ctx, s, [&tags](metadata::ObjectRecord& r) {
                        r.clear_tags();
                        r.mutable_tags()->insert(tags.begin(), tags.end());
                      }));
  return ctx.Respond(200, VersionHeader(s, ctx, record), "");
}

absl::Status DeleteObjectTagging(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                      UpdateTags(ctx, s, [](metadata::ObjectRecord& r) { r.clear_tags(); }));
  return ctx.Respond(204, VersionHeader(s, ctx, record), "");
}

absl::Status GetObjectTagging(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(const std::string* version_id, RequestedVersionId(ctx));
  SB_ASSIGN_OR_RETURN(metadata::ObjectRecord record,
                      version_id == nullptr
                          ? s.meta.GetObject(ctx.req.bucket, ctx.req.key)
                          : s.meta.GetObjectVersion(ctx.req.bucket, ctx.req.key, *version_id));
  if (record.delete_marker()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMethodNotAllowed,
                     "The specified method is not allowed against this resource.");
  }
  return ctx.Respond(200, VersionHeader(s, ctx, record), xml::TaggingXml(Sorted(record.tags())));
}

absl::Status PutBucketTagging(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto tags, TagsFromBody(ctx, kMaxBucketTags));
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [&tags](metadata::BucketRecord& record) {
                                         record.clear_tags();
                                         record.mutable_tags()->insert(tags.begin(), tags.end());
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

absl::Status DeleteBucketTagging(RequestContext& ctx, Services& s) {
  SB_RETURN_IF_ERROR(s.meta
                         .UpdateBucket(ctx.req.bucket,
                                       [](metadata::BucketRecord& record) {
                                         record.clear_tags();
                                         return absl::OkStatus();
                                       })
                         .status());
  return ctx.Respond(204, {}, "");
}

absl::Status GetBucketTagging(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord record, s.meta.GetBucket(ctx.req.bucket));
  if (record.tags().empty()) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchTagSet,
                     "The TagSet does not exist");
  }
  return ctx.Respond(200, {}, xml::TaggingXml(Sorted(record.tags())));
}

}  // namespace

absl::Status HandleTaggingOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kPutObjectTagging:
      return PutObjectTagging(ctx, s);
    case Operation::kGetObjectTagging:
      return GetObjectTagging(ctx, s);
    case Operation::kDeleteObjectTagging:
      return DeleteObjectTagging(ctx, s);
    case Operation::kPutBucketTagging:
      return PutBucketTagging(ctx, s);
    case Operation::kGetBucketTagging:
      return GetBucketTagging(ctx, s);
    case Operation::kDeleteBucketTagging:
      return DeleteBucketTagging(ctx, s);
    default:
      return absl::InternalError("not a tagging operation");
  }
}

}  // namespace sb::gateway
