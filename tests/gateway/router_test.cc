// Route(): method x bucket/key presence x subresources -> Operation, as the S3 API
// reference defines each operation's request line.
#include <string>
#include <utility>
#include <vector>

#include "gateway/s3_router.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

struct Req {
  std::string method;
  std::string path;  // "/", "/b", "/b/k", or /_strongbox/...
  Query query;
  bool copy_source = false;
};

Operation RouteOf(const Req& r) {
  RouteInput in;
  in.method = r.method;
  in.raw_path = r.path;
  std::string_view rest = std::string_view(r.path).substr(1);
  size_t slash = rest.find('/');
  in.has_bucket = !rest.substr(0, slash).empty();
  in.has_key = slash != std::string_view::npos && slash + 1 < rest.size();
  in.query = &r.query;
  in.has_copy_source = r.copy_source;
  return Route(in);
}

struct Case {
  Req req;
  Operation want;
};

TEST(RouterTest, ServiceOperations) {
  EXPECT_EQ(RouteOf({"GET", "/", {}}), Operation::kListBuckets);
  EXPECT_EQ(RouteOf({"PUT", "/", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"DELETE", "/", {}}), Operation::kUnknown);
  // STS's query protocol shares the root.
  EXPECT_EQ(RouteOf({"POST", "/", {}}), Operation::kSts);
  EXPECT_EQ(RouteOf({"GET", "/", {{"Action", "AssumeRole"}}}), Operation::kSts);
}

TEST(RouterTest, BucketOperations) {
  const std::vector<Case> cases = {
      {{"PUT", "/b", {}}, Operation::kCreateBucket},
      {{"HEAD", "/b", {}}, Operation::kHeadBucket},
      {{"DELETE", "/b", {}}, Operation::kDeleteBucket},
      {{"GET", "/b", {}}, Operation::kListObjects},
      {{"GET", "/b", {{"prefix", "a"}, {"marker", "m"}}}, Operation::kListObjects},
      {{"GET", "/b", {{"list-type", "2"}}}, Operation::kListObjectsV2},
      {{"GET", "/b", {{"prefix", "x"}, {"list-type", "2"}}}, Operation::kListObjectsV2},
      {{"GET", "/b", {{"location", ""}}}, Operation::kGetBucketLocation},
      {{"GET", "/b", {{"versioning", ""}}}, Operation::kGetBucketVersioning},
      {{"GET", "/b", {{"uploads", ""}}}, Operation::kListMultipartUploads},
      {{"GET", "/b", {{"uploads", ""}, {"prefix", "p"}}}, Operation::kListMultipartUploads},
      {{"GET", "/b", {{"versions", ""}}}, Operation::kListObjectVersions},
      {{"GET", "/b", {{"versions", ""}, {"prefix", "p"}}}, Operation::kListObjectVersions},
      {{"POST", "/b", {{"delete", ""}}}, Operation::kDeleteObjects},
      // Browser form POST uploads (multipart/form-data).
      {{"POST", "/b", {}}, Operation::kPostObject},
      // PutBucketVersioning is not implemented (GET is).
      {{"PUT", "/b", {{"versioning", ""}}}, Operation::kPutBucketVersioning},
      {{"PATCH", "/b", {}}, Operation::kUnknown},
      {{"OPTIONS", "/b", {}}, Operation::kCorsPreflight},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RouteOf(c.req), c.want)
        << c.req.method << " " << c.req.path << " expected " << OperationName(c.want);
  }
}

TEST(RouterTest, BucketPolicyStatus) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"policyStatus", ""}}}), Operation::kGetBucketPolicyStatus);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"policyStatus", ""}, {"cors", ""}}}),
            Operation::kNotImplemented);
}

TEST(RouterTest, TrailingSlashOnBucketIsABucketRequest) {
  EXPECT_EQ(RouteOf({"GET", "/b/", {}}), Operation::kListObjects);
  EXPECT_EQ(RouteOf({"PUT", "/b/", {}}), Operation::kCreateBucket);
}

TEST(RouterTest, ObjectOperations) {
  const std::vector<Case> cases = {
      {{"PUT", "/b/k", {}}, Operation::kPutObject},
      {{"PUT", "/b/k", {}, true}, Operation::kCopyObject},
      {{"GET", "/b/k", {}}, Operation::kGetObject},
      {{"GET", "/b/k", {{"partNumber", "2"}}}, Operation::kGetObject},
      {{"GET", "/b/k", {{"response-content-type", "text/plain"}}}, Operation::kGetObject},
      {{"HEAD", "/b/k", {}}, Operation::kHeadObject},
      {{"HEAD", "/b/k", {{"partNumber", "1"}}}, Operation::kHeadObject},
      {{"DELETE", "/b/k", {}}, Operation::kDeleteObject},
      {{"POST", "/b/k", {{"uploads", ""}}}, Operation::kCreateMultipartUpload},
      {{"PUT", "/b/k", {{"partNumber", "3"}, {"uploadId", "u"}}}, Operation::kUploadPart},
      {{"PUT", "/b/k", {{"uploadId", "u"}, {"partNumber", "3"}}}, Operation::kUploadPart},
      {{"PUT", "/b/k", {{"partNumber", "3"}, {"uploadId", "u"}}, true}, Operation::kUploadPartCopy},
      {{"POST", "/b/k", {{"uploadId", "u"}}}, Operation::kCompleteMultipartUpload},
      {{"DELETE", "/b/k", {{"uploadId", "u"}}}, Operation::kAbortMultipartUpload},
      {{"GET", "/b/k", {{"uploadId", "u"}}}, Operation::kListParts},
      {{"GET", "/b/k", {{"uploadId", "u"}, {"max-parts", "10"}}}, Operation::kListParts},
      {{"POST", "/b/k", {}}, Operation::kNotImplemented},
      {{"PATCH", "/b/k", {}}, Operation::kUnknown},
      {{"OPTIONS", "/b/k", {}}, Operation::kCorsPreflight},
      // Keys that look like subresources or bucket paths are still keys.
      {{"GET", "/b/uploads", {}}, Operation::kGetObject},
      {{"GET", "/b/a/b/c/", {}}, Operation::kGetObject},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RouteOf(c.req), c.want)
        << c.req.method << " " << c.req.path << " expected " << OperationName(c.want);
  }
}

// The subresource operations that are implemented; every other combination with a
// subresource from the list below is NotImplemented.
bool Implemented(std::string_view method, std::string_view path, std::string_view sub) {
  const bool bucket = path == "/b";
  if (sub == "versions") return method == "GET" && bucket;
  if (sub == "acl") return method == "GET" || method == "PUT";
  if (sub == "tagging") return method == "GET" || method == "PUT" || method == "DELETE";
  if (sub == "policy") return bucket && (method == "GET" || method == "PUT" || method == "DELETE");
  if (sub == "policyStatus") return bucket && method == "GET";
  if (sub == "attributes") return !bucket && method == "GET";
  if (sub == "object-lock") return bucket && (method == "GET" || method == "PUT");
  if (sub == "retention" || sub == "legal-hold") {
    return !bucket && (method == "GET" || method == "PUT");
  }
  if (sub == "encryption" || sub == "cors" || sub == "publicAccessBlock" || sub == "lifecycle" ||
      sub == "ownershipControls")
    return bucket && (method == "GET" || method == "PUT" || method == "DELETE");
  return false;
}

TEST(RouterTest, Tagging) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"tagging", ""}}}), Operation::kGetBucketTagging);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"tagging", ""}}}), Operation::kPutBucketTagging);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"tagging", ""}}}), Operation::kDeleteBucketTagging);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"tagging", ""}}}), Operation::kGetObjectTagging);
  EXPECT_EQ(RouteOf({"PUT", "/b/k", {{"tagging", ""}, {"versionId", "v"}}}),
            Operation::kPutObjectTagging);
  EXPECT_EQ(RouteOf({"DELETE", "/b/k", {{"tagging", ""}}}), Operation::kDeleteObjectTagging);
  EXPECT_EQ(RouteOf({"POST", "/b/k", {{"tagging", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"PUT", "/b/k", {{"tagging", ""}, {"acl", ""}}}), Operation::kNotImplemented);
}

TEST(RouterTest, BucketEncryption) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"encryption", ""}}}), Operation::kGetBucketEncryption);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"encryption", ""}}}), Operation::kPutBucketEncryption);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"encryption", ""}}}), Operation::kDeleteBucketEncryption);
  EXPECT_EQ(RouteOf({"HEAD", "/b", {{"encryption", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"POST", "/b", {{"encryption", ""}}}), Operation::kNotImplemented);
  // Never a plain bucket/object operation: not CreateBucket, DeleteBucket or GetObject.
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"encryption", ""}, {"cors", ""}}}), Operation::kNotImplemented);
  for (const char* method : {"GET", "PUT", "DELETE", "HEAD", "POST"}) {
    EXPECT_EQ(RouteOf({method, "/b/k", {{"encryption", ""}}}), Operation::kNotImplemented)
        << method;
  }
}

TEST(RouterTest, KmsAdminEndpoints) {
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/kms/keys", {}}), Operation::kAdminKmsListKeys);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keys", {}}), Operation::kAdminKmsCreateKey);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keys/app/rotate", {}}),
            Operation::kAdminKmsRotateKey);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keys/aws%2Fs3/disable", {}}),
            Operation::kAdminKmsDisableKey);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keys/a/b/enable", {}}),
            Operation::kAdminKmsEnableKey);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/kms/keys/app/rotate", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keys/app/explode", {}}),
            Operation::kUnknown);
  EXPECT_EQ(RouteOf({"DELETE", "/_strongbox/admin/v1/kms/keys", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"POST", "/_strongbox/admin/v1/kms/keysx", {}}), Operation::kUnknown);
}

TEST(RouterTest, SubresourceOperations) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"versions", ""}}}), Operation::kListObjectVersions);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"acl", ""}}}), Operation::kGetBucketAcl);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"acl", ""}}}), Operation::kPutBucketAcl);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"acl", ""}}}), Operation::kGetObjectAcl);
  EXPECT_EQ(RouteOf({"PUT", "/b/k", {{"acl", ""}}}), Operation::kPutObjectAcl);
  EXPECT_EQ(RouteOf({"PUT", "/b/k", {{"acl", ""}, {"versionId", "null"}}}),
            Operation::kPutObjectAcl);
}

TEST(RouterTest, UnsupportedSubresourcesAreNotImplementedForEveryMethod) {
  const std::vector<std::string> subresources = {"acl",
                                                 "policy",
                                                 "cors",
                                                 "lifecycle",
                                                 "tagging",
                                                 "encryption",
                                                 "object-lock",
                                                 "website",
                                                 "logging",
                                                 "notification",
                                                 "replication",
                                                 "accelerate",
                                                 "requestPayment",
                                                 "versions",
                                                 "retention",
                                                 "legal-hold",
                                                 "torrent",
                                                 "restore",
                                                 "select",
                                                 "analytics",
                                                 "inventory",
                                                 "metrics",
                                                 "intelligent-tiering",
                                                 "ownershipControls",
                                                 "publicAccessBlock",
                                                 "attributes",
                                                 "policyStatus"};
  for (const auto& sub : subresources) {
    for (const char* method : {"GET", "PUT", "DELETE", "POST", "HEAD"}) {
      for (const char* path : {"/b", "/b/k"}) {
        if (Implemented(method, path, sub)) continue;
        EXPECT_EQ(RouteOf({method, path, {{sub, ""}}}), Operation::kNotImplemented)
            << method << " " << path << "?" << sub;
      }
    }
  }
  // Never silently run the plain operation when a subresource is also present.
  EXPECT_EQ(RouteOf({"PUT", "/b/k", {{"tagging", ""}}, true}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"list-type", "2"}, {"website", ""}}}),
            Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"DELETE", "/b/k", {{"uploadId", "u"}, {"tagging", ""}}}),
            Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"versionId", "v"}, {"retention", ""}}}),
            Operation::kGetObjectRetention);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"retention", ""}, {"tagging", ""}}}),
            Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"acl", ""}}}), Operation::kNotImplemented);
}

TEST(RouterTest, StrongboxInternalEndpoints) {
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/health/live", {}}), Operation::kHealthLive);
  EXPECT_EQ(RouteOf({"HEAD", "/_strongbox/health/live", {}}), Operation::kHealthLive);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/health/ready", {}}), Operation::kHealthReady);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/metrics", {}}), Operation::kMetrics);
  EXPECT_EQ(RouteOf({"PUT", "/_strongbox/metrics", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/metrics/x", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/info", {}}), Operation::kAdminInfo);
  EXPECT_EQ(RouteOf({"PUT", "/_strongbox/admin/v1/info", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/nope", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/buckets", {}}), Operation::kAdminListBuckets);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/buckets/b1", {}}), Operation::kAdminGetBucket);
  EXPECT_EQ(RouteOf({"PUT", "/_strongbox/admin/v1/buckets/b1", {}}), Operation::kAdminCreateBucket);
  EXPECT_EQ(RouteOf({"DELETE", "/_strongbox/admin/v1/buckets/b1", {}}),
            Operation::kAdminDeleteBucket);
  EXPECT_EQ(RouteOf({"PUT", "/_strongbox/admin/v1/buckets", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/buckets/", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/buckets/b1/x", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/admin/v1/bucketsx", {}}), Operation::kUnknown);
  EXPECT_EQ(RouteOf({"GET", "/_strongbox/health/live/extra", {}}), Operation::kUnknown);
  // Internal paths never fall through to bucket/object routing.
  EXPECT_EQ(RouteOf({"PUT", "/_strongbox/x", {}}), Operation::kUnknown);
}

TEST(RouterTest, NullQueryIsNoSubresources) {
  RouteInput in;
  in.method = "GET";
  in.raw_path = "/b";
  in.has_bucket = true;
  EXPECT_EQ(Route(in), Operation::kListObjects);
}

TEST(RouterTest, OperationNamesAreDistinctAndStable) {
  EXPECT_EQ(OperationName(Operation::kPutObject), "PutObject");
  EXPECT_EQ(OperationName(Operation::kListObjectsV2), "ListObjectsV2");
  EXPECT_EQ(OperationName(Operation::kUploadPartCopy), "UploadPartCopy");
  std::vector<std::string_view> names;
  for (int i = static_cast<int>(Operation::kUnknown);
       i <= static_cast<int>(Operation::kGetObjectAttributes); ++i) {
    std::string_view name = OperationName(static_cast<Operation>(i));
    EXPECT_FALSE(name.empty());
    if (i != static_cast<int>(Operation::kUnknown)) {
      EXPECT_NE(name, "Unknown") << i;
    }
    for (auto other : names) EXPECT_NE(name, other) << i;
    names.push_back(name);
  }
}

TEST(RouterTest, CorsSubresourceAndPreflight) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"cors", ""}}}), Operation::kGetBucketCors);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"cors", ""}}}), Operation::kPutBucketCors);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"cors", ""}}}), Operation::kDeleteBucketCors);
  EXPECT_EQ(RouteOf({"POST", "/b", {{"cors", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"cors", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"cors", ""}, {"lifecycle", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"OPTIONS", "/b", {}}), Operation::kCorsPreflight);
  EXPECT_EQ(RouteOf({"OPTIONS", "/b/k", {}}), Operation::kCorsPreflight);
}

TEST(RouterTest, PublicAccessBlockAndOwnershipControls) {
  EXPECT_EQ(RouteOf({"GET", "/b", {{"publicAccessBlock", ""}}}), Operation::kGetPublicAccessBlock);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"publicAccessBlock", ""}}}), Operation::kPutPublicAccessBlock);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"publicAccessBlock", ""}}}),
            Operation::kDeletePublicAccessBlock);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"ownershipControls", ""}}}),
            Operation::kGetBucketOwnershipControls);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"ownershipControls", ""}}}),
            Operation::kPutBucketOwnershipControls);
  EXPECT_EQ(RouteOf({"DELETE", "/b", {{"ownershipControls", ""}}}),
            Operation::kDeleteBucketOwnershipControls);
  EXPECT_EQ(RouteOf({"POST", "/b", {{"ownershipControls", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b/k", {{"publicAccessBlock", ""}}}), Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"GET", "/b", {{"publicAccessBlock", ""}, {"cors", ""}}}),
            Operation::kNotImplemented);
  EXPECT_EQ(RouteOf({"PUT", "/b", {{"ownershipControls", ""}, {"versioning", ""}}}),
            Operation::kNotImplemented);
}

}  // namespace
}  // namespace sb::gateway
