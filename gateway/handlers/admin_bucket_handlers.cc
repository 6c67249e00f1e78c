// The admin API's buckets (/_strongbox/admin/v1/buckets[/NAME]): list and describe them as
// JSON for operators (owner, versioning, policy, encryption, and on describe the object and
// byte counts), create and delete. Create and delete run the S3 operations' own code, so
// naming rules, the emptiness check and every guard on removal (Object Lock) hold here too.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handlers.h"

namespace sb::gateway {
namespace {

constexpr std::string_view kBucketsPath = "/_strongbox/admin/v1/buckets/";

std::string_view VersioningName(metadata::VersioningState state) {
  if (state == metadata::VERSIONING_ENABLED) return "Enabled";
  if (state == metadata::VERSIONING_SUSPENDED) return "Suspended";
  return "Off";
}

boost::json::object BucketJson(const metadata::BucketRecord& b) {
  return boost::json::object{
      {"name", b.name()},
      {"created", absl::FormatTime(absl::RFC3339_sec, absl::FromUnixNanos(b.created_unix_nanos()),
                                   absl::UTCTimeZone())},
      {"owner", b.owner()},
      {"region", b.region()},
      {"versioning", VersioningName(b.versioning())},
      {"policy", !b.policy().empty()},
      {"tags", b.tags_size()},
  };
}

absl::Status ListBuckets(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(auto buckets, s.meta.ListBuckets());
  boost::json::array out;
  for (const metadata::BucketRecord& b : buckets) out.push_back(BucketJson(b));
  return ctx.Respond(200, {}, boost::json::serialize(boost::json::object{{"buckets", out}}),
                     "application/json");
}

// Walks every version once: O(versions) reads, so describing a bucket of millions of
// objects takes seconds. Counts are a snapshot, not a transaction.
absl::Status DescribeBucket(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(metadata::BucketRecord bucket, s.meta.GetBucket(ctx.req.bucket));
  uint64_t objects = 0, bytes = 0, versions = 0, version_bytes = 0, delete_markers = 0;
  metadata::ListVersionsOptions options;
  for (;;) {
    SB_ASSIGN_OR_RETURN(metadata::ListVersionsResult page,
                        s.meta.ListObjectVersions(ctx.req.bucket, options));
    for (const metadata::VersionEntry& v : page.versions) {
      if (v.record.delete_marker()) {
        ++delete_markers;
        continue;
      }
      ++versions;
      version_bytes += v.record.size();
      if (v.is_latest) {
        ++objects;
        bytes += v.record.size();
      }
    }
    if (!page.is_truncated) break;
    options.key_marker = page.next_key_marker;
    options.version_id_marker = page.next_version_id_marker;
  }
  uint64_t uploads = 0;
  metadata::ListUploadsOptions upload_options;
  for (;;) {
    SB_ASSIGN_OR_RETURN(auto page, s.meta.ListUploads(ctx.req.bucket, upload_options));
    uploads += page.uploads.size();
    if (!page.is_truncated) break;
    upload_options.key_marker = page.next_key_marker;
    upload_options.upload_id_marker = page.next_upload_id_marker;
  }
  boost::json::object out = BucketJson(bucket);
  out["objects"] = objects;
  out["bytes"] = bytes;
  out["versions"] = versions;
  out["version_bytes"] = version_bytes;
  out["delete_markers"] = delete_markers;
  out["multipart_uploads"] = uploads;
  return ctx.Respond(200, {}, boost::json::serialize(out), "application/json");
}

}  // namespace

absl::Status HandleAdminBucketOperation(RequestContext& ctx, Services& s) {
  if (ctx.req.op == Operation::kAdminListBuckets) return ListBuckets(ctx, s);
  // The router admits exactly one path segment after buckets/.
  ctx.req.bucket = std::string(std::string_view(ctx.req.raw_path).substr(kBucketsPath.size()));
  if (ctx.req.op == Operation::kAdminGetBucket) return DescribeBucket(ctx, s);
  // HandleBucketOperation runs S3's CreateBucket / DeleteBucket for these two.
  return HandleBucketOperation(ctx, s);
}

}  // namespace sb::gateway
