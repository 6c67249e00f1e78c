// RequestConditions: the request-derived condition keys the Authorize stage hands the policy
// engine (addresses, transport, listing parameters, s3: header keys, request tags).
#include "gateway/stages/request_conditions.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/core_test_util.h"

namespace sb::gateway {
namespace {

using ::testing::ElementsAre;
using Headers = std::vector<std::pair<std::string, std::string>>;

policy::eval::ContextMap ConditionsFor(Operation op, Headers headers,
                                       std::vector<std::pair<std::string, std::string>> query) {
  HttpRequestHead head;
  head.method = "PUT";
  head.target = "/b/k";
  head.remote_ip = "10.1.2.3";
  for (auto& [k, v] : headers) head.headers.emplace_back(k, v);
  core_testing::StringBody body("");
  core_testing::RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ctx.req.http = &head;
  ctx.req.op = op;
  ctx.req.query = std::move(query);
  return RequestConditions(ctx);
}

std::vector<std::string> Values(const policy::eval::ContextMap& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::vector<std::string>{} : it->second;
}

TEST(RequestConditionsTest, AddressTransportAndHeaders) {
  auto m = ConditionsFor(Operation::kPutObject,
                         {{"x-amz-server-side-encryption", "aws:kms"},
                          {"x-amz-object-lock-mode", "GOVERNANCE"},
                          {"x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00Z"},
                          {"user-agent", "boto3"}},
                         {{"versionId", "v1"}});
  EXPECT_THAT(Values(m, "aws:SourceIp"), ElementsAre("10.1.2.3"));
  EXPECT_THAT(Values(m, "aws:SecureTransport"), ElementsAre("false"));
  EXPECT_THAT(Values(m, "aws:UserAgent"), ElementsAre("boto3"));
  EXPECT_THAT(Values(m, "s3:x-amz-server-side-encryption"), ElementsAre("aws:kms"));
  EXPECT_THAT(Values(m, "s3:x-amz-object-lock-mode"), ElementsAre("GOVERNANCE"));
  EXPECT_THAT(Values(m, "s3:x-amz-object-lock-retain-until-date"),
              ElementsAre("2030-01-01T00:00:00Z"));
  EXPECT_THAT(Values(m, "s3:VersionId"), ElementsAre("v1"));
  EXPECT_EQ(m.count("s3:prefix"), 0u);            // not a listing
  EXPECT_EQ(m.count("s3:signatureversion"), 0u);  // anonymous
}

TEST(RequestConditionsTest, ListingParametersOnlyOnListings) {
  auto m = ConditionsFor(Operation::kListObjectsV2, {},
                         {{"prefix", "home/kim/"}, {"delimiter", "/"}, {"max-keys", "10"}});
  EXPECT_THAT(Values(m, "s3:prefix"), ElementsAre("home/kim/"));
  EXPECT_THAT(Values(m, "s3:delimiter"), ElementsAre("/"));
  EXPECT_THAT(Values(m, "s3:max-keys"), ElementsAre("10"));
}

TEST(RequestConditionsTest, RequestObjectTagsFromTheTaggingHeader) {
  auto m = ConditionsFor(Operation::kPutObject,
                         {{"x-amz-tagging", "project=blue&team%20name=data+eng&empty="}}, {});
  EXPECT_THAT(Values(m, "s3:RequestObjectTag/project"), ElementsAre("blue"));
  EXPECT_THAT(Values(m, "s3:RequestObjectTag/team name"), ElementsAre("data eng"));
  EXPECT_THAT(Values(m, "s3:RequestObjectTag/empty"), ElementsAre(""));
  EXPECT_THAT(Values(m, "s3:RequestObjectTagKeys"), ElementsAre("project", "team name", "empty"));
  // Undecodable pairs are skipped, never guessed.
  auto bad = ConditionsFor(Operation::kPutObject, {{"x-amz-tagging", "a=%zz&b=2&=3"}}, {});
  EXPECT_EQ(bad.count("s3:RequestObjectTag/a"), 0u);
  EXPECT_THAT(Values(bad, "s3:RequestObjectTagKeys"), ElementsAre("b"));
}

// A POST upload's form fields stand for its headers; a signed one is authType POST.
TEST(RequestConditionsTest, PostFormFieldsAreTheHeaders) {
  HttpRequestHead head;
  head.method = "POST";
  head.target = "/b";
  core_testing::StringBody body("");
  core_testing::RecordingWriter out;
  RequestContext ctx(head, body, out, absl::UnixEpoch());
  ctx.req.http = &head;
  ctx.req.op = Operation::kPostObject;
  PostUpload& post = ctx.auth.post.emplace();
  post.form.fields = {
      {"acl", "private"},
      {"x-amz-server-side-encryption", "AES256"},
      {"x-amz-tagging",
       "<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>"}};
  post.signature_v2 = true;
  ctx.auth.sigv4.anonymous = false;
  ctx.auth.sigv4.access_key = "AK";
  auto m = RequestConditions(ctx);
  EXPECT_THAT(Values(m, "s3:x-amz-acl"), ElementsAre("private"));
  EXPECT_THAT(Values(m, "s3:x-amz-server-side-encryption"), ElementsAre("AES256"));
  EXPECT_THAT(Values(m, "s3:RequestObjectTag/team"), ElementsAre("blue"));
  EXPECT_THAT(Values(m, "s3:RequestObjectTagKeys"), ElementsAre("team"));
  EXPECT_THAT(Values(m, "s3:authType"), ElementsAre("POST"));
  EXPECT_THAT(Values(m, "s3:signatureversion"), ElementsAre("AWS"));
}

}  // namespace
}  // namespace sb::gateway
