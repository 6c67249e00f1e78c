#include <string>

#include "common/error_reason.h"
#include "gateway/xml/request_xml.h"
#include "gtest/gtest.h"

namespace sb::gateway::xml {
namespace {

void ExpectError(const absl::Status& status, ErrorReason reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(GetReason(status), reason) << status;
}

// ---- CompleteMultipartUpload ----

TEST(ParseCompleteTest, WithNamespaceQuotesAndWhitespace) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
      "  <Part>\n    <PartNumber> 1 </PartNumber>\n"
      "    <ETag>\"a54357aff0632cce46d942af68356b38\"</ETag>\n  </Part>\n"
      "  <Part><ETag>&quot;0c78aef83f66abc1fa1e8477f296d394&quot;</ETag>"
      "<PartNumber>2</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>\n"
      "  <Part><PartNumber>10000</PartNumber><ETag>plain-etag-3</ETag></Part>\n"
      "</CompleteMultipartUpload>\n";
  absl::StatusOr<std::vector<CompletedPart>> parts = ParseCompleteMultipartUpload(body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].part_number, 1u);
  EXPECT_EQ((*parts)[0].etag, "a54357aff0632cce46d942af68356b38");
  EXPECT_EQ((*parts)[1].part_number, 2u);
  EXPECT_EQ((*parts)[1].etag, "0c78aef83f66abc1fa1e8477f296d394");
  EXPECT_EQ((*parts)[2].part_number, 10000u);
  EXPECT_EQ((*parts)[2].etag, "plain-etag-3");
  EXPECT_TRUE(CheckPartOrder(*parts).ok());
}

TEST(ParseCompleteTest, WithoutNamespaceOrDeclarationAndWithPrefix) {
  absl::StatusOr<std::vector<CompletedPart>> plain = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>x</ETag></Part>"
      "</CompleteMultipartUpload>");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ((*plain)[0].part_number, 3u);
  absl::StatusOr<std::vector<CompletedPart>> prefixed = ParseCompleteMultipartUpload(
      "<s3:CompleteMultipartUpload xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<s3:Part><s3:PartNumber>4</s3:PartNumber><s3:ETag><![CDATA[\"y\"]]></s3:ETag>"
      "</s3:Part></s3:CompleteMultipartUpload>");
  ASSERT_TRUE(prefixed.ok()) << prefixed.status();
  EXPECT_EQ((*prefixed)[0].part_number, 4u);
  EXPECT_EQ((*prefixed)[0].etag, "y");
}

TEST(ParseCompleteTest, MalformedBodies) {
  for (std::string_view body : {
           "",
           "   ",
           "not xml",
           "<CompleteMultipartUpload>",  // unclosed
           "<CompleteMultipartUpload></Wrong>",
           "<CompleteMultipartUpload></CompleteMultipartUpload>",  // no parts
           "<Delete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Delete>",
           "<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag> \"\" </ETag>"
           "</Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1.5</PartNumber><ETag>x</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>99999999999999999999999</PartNumber>"
           "<ETag>x</ETag></Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber><b>1</b></PartNumber><ETag>x</ETag>"
           "</Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload/><CompleteMultipartUpload/>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>"
           "</CompleteMultipartUpload>trailing",
       }) {
    SCOPED_TRACE(body);
    ExpectError(ParseCompleteMultipartUpload(body).status(), ErrorReason::kMalformedXml);
  }
}

TEST(ParseCompleteTest, PartNumberRange) {
  auto body = [](std::string_view number) {
    return "<CompleteMultipartUpload><Part><PartNumber>" + std::string(number) +
           "</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>";
  };
  ExpectError(ParseCompleteMultipartUpload(body("0")).status(), ErrorReason::kInvalidArgument);
  ExpectError(ParseCompleteMultipartUpload(body("-3")).status(), ErrorReason::kInvalidArgument);
  ExpectError(ParseCompleteMultipartUpload(body("10001")).status(), ErrorReason::kInvalidPart);
  EXPECT_TRUE(ParseCompleteMultipartUpload(body("1")).ok());
}

TEST(ParseCompleteTest, TooManyParts) {
  std::string body = "<CompleteMultipartUpload>";
  for (int i = 1; i <= 10001; ++i) {
    body += "<Part><PartNumber>" + std::to_string(i <= 10000 ? i : 1) +
            "</PartNumber><ETag>e</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  ExpectError(ParseCompleteMultipartUpload(body).status(), ErrorReason::kMalformedXml);
}

TEST(ParseCompleteTest, TenThousandPartsParse) {
  std::string body = "<CompleteMultipartUpload>";
  for (int i = 1; i <= 10000; ++i) {
    body += "<Part><PartNumber>" + std::to_string(i) + "</PartNumber><ETag>\"e" +
            std::to_string(i) + "\"</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  absl::StatusOr<std::vector<CompletedPart>> parts = ParseCompleteMultipartUpload(body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 10000u);
  EXPECT_EQ(parts->back().etag, "e10000");
  EXPECT_TRUE(CheckPartOrder(*parts).ok());
}

TEST(CheckPartOrderTest, RequiresStrictlyAscending) {
  EXPECT_TRUE(CheckPartOrder({}).ok());
  EXPECT_TRUE(CheckPartOrder({{1, "a", "", ""}}).ok());
  EXPECT_TRUE(CheckPartOrder({{1, "a", "", ""}, {5, "b", "", ""}, {6, "c", "", ""}}).ok());
  ExpectError(CheckPartOrder({{2, "a", "", ""}, {1, "b", "", ""}}), ErrorReason::kInvalidPartOrder);
  ExpectError(CheckPartOrder({{1, "a", "", ""}, {1, "b", "", ""}}), ErrorReason::kInvalidPartOrder);
}

// ---- Delete ----

TEST(ParseDeleteTest, BotoShapedBody) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Object><Key>a/b.txt</Key></Object>"
      "<Object><Key>x&amp;y &lt;z&gt; &quot;q&quot; &apos;s&apos;</Key>"
      "<VersionId> v1 </VersionId></Object>"
      "<Object><Key>日本語 ü</Key></Object>"
      "<Object><Key>&#x41;&#66;</Key></Object>"
      "<Quiet>true</Quiet></Delete>";
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(body);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_TRUE(request->quiet);
  ASSERT_EQ(request->objects.size(), 4u);
  EXPECT_EQ(request->objects[0].key, "a/b.txt");
  EXPECT_EQ(request->objects[0].version_id, "");
  EXPECT_EQ(request->objects[1].key, "x&y <z> \"q\" 's'");
  EXPECT_EQ(request->objects[1].version_id, "v1");
  EXPECT_EQ(request->objects[2].key, "日本語 ü");
  EXPECT_EQ(request->objects[3].key, "AB");
}

TEST(ParseDeleteTest, KeysKeepWhitespaceAndCdata) {
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(
      "<Delete><Quiet>False</Quiet><Object><Key>  padded  </Key></Object>"
      "<Object><Key> </Key></Object>"
      "<Object><Key>a<![CDATA[<b>&]]>c</Key></Object>"
      "<Object><Key>tab\there\nline</Key></Object>"
      "<Object><Key></Key></Object></Delete>");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_FALSE(request->quiet);
  ASSERT_EQ(request->objects.size(), 5u);
  EXPECT_EQ(request->objects[0].key, "  padded  ");
  EXPECT_EQ(request->objects[1].key, " ");
  EXPECT_EQ(request->objects[2].key, "a<b>&c");
  EXPECT_EQ(request->objects[3].key, "tab\there\nline");
  EXPECT_EQ(request->objects[4].key, "");
}

TEST(ParseDeleteTest, CommentsAndProcessingInstructionsAreIgnored) {
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(
      "<?xml version=\"1.0\"?>\n<!-- c --><Delete><!-- c --><Object><?pi x?>"
      "<Key>a<!-- x -->b</Key></Object></Delete>\n<!-- end -->\n");
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_EQ(request->objects.size(), 1u);
  EXPECT_EQ(request->objects[0].key, "ab");
}

TEST(ParseDeleteTest, QuietDefaultsToFalse) {
  absl::StatusOr<DeleteObjectsRequest> request =
      ParseDeleteObjects("<Delete><Object><Key>k</Key></Object></Delete>");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_FALSE(request->quiet);
}

TEST(ParseDeleteTest, MalformedBodies) {
  for (std::string_view body : {
           "",
           "<Delete></Delete>",
           "<Delete/>",
           "<Delete><Quiet>true</Quiet></Delete>",
           "<Delete><Object></Object></Delete>",
           "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
           "<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>",
           "<Delete><Object><Key>a<i>b</i></Key></Object></Delete>",
           "<Delete><Object><Key>k</Key></Object>",
           "<NotDelete><Object><Key>k</Key></Object></NotDelete>",
           "<Delete><Object><Key>a&#0;b</Key></Object></Delete>",
           "<Delete><Object><Key>a&#x000;b</Key></Object></Delete>",
           "junk<Delete><Object><Key>k</Key></Object></Delete>",
           "<Delete><Object><Key>k</Key></Object></Delete><Delete/>",
       }) {
    SCOPED_TRACE(body);
    ExpectError(ParseDeleteObjects(body).status(), ErrorReason::kMalformedXml);
  }
  constexpr char kWithNul[] = "<Delete><Object><Key>a\0b</Key></Object></Delete>";
  ExpectError(ParseDeleteObjects(std::string_view(kWithNul, sizeof(kWithNul) - 1)).status(),
              ErrorReason::kMalformedXml);
}

TEST(ParseDeleteTest, OneThousandObjectsButNotMore) {
  std::string body = "<Delete>";
  for (int i = 0; i < 1000; ++i) body += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
  absl::StatusOr<DeleteObjectsRequest> ok = ParseDeleteObjects(body + "</Delete>");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->objects.size(), 1000u);
  EXPECT_EQ(ok->objects.back().key, "k999");
  body += "<Object><Key>one-too-many</Key></Object></Delete>";
  ExpectError(ParseDeleteObjects(body).status(), ErrorReason::kMalformedXml);
}

TEST(ParseDeleteTest, RejectsOversizedBodyWithoutParsing) {
  std::string body = "<Delete><Object><Key>";
  body.append(kMaxRequestXmlBytes, 'k');
  body += "</Key></Object></Delete>";
  ExpectError(ParseDeleteObjects(body).status(), ErrorReason::kMalformedXml);
}

TEST(ParseDeleteTest, DeepNestingIsHandled) {
  std::string body = "<Delete><Object><Key>k</Key></Object>";
  for (int i = 0; i < 100000; ++i) body += "<x>";
  for (int i = 0; i < 100000; ++i) body += "</x>";
  body += "</Delete>";
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(body);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->objects.size(), 1u);
}

TEST(ParseDeleteTest, DoctypeEntitiesAreNotExpanded) {
  absl::StatusOr<DeleteObjectsRequest> request = ParseDeleteObjects(
      "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<Delete><Object><Key>&xxe;</Key></Object></Delete>");
  // pugixml skips the DTD and leaves the unknown entity reference as literal text.
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->objects[0].key, "&xxe;");
}

// ---- Robustness: every prefix and many corruptions of valid bodies ----

TEST(ParserRobustnessTest, TruncatedAndCorruptedBodiesNeverCrash) {
  const std::string complete =
      "<?xml version=\"1.0\"?><CompleteMultipartUpload xmlns=\"x\"><Part><PartNumber>1"
      "</PartNumber><ETag>&quot;a&quot;</ETag></Part><Part><PartNumber>2</PartNumber>"
      "<ETag><![CDATA[b]]></ETag></Part></CompleteMultipartUpload>";
  const std::string del =
      "<Delete><Quiet>true</Quiet><Object><Key>k&amp;&#x41;</Key><VersionId>v</VersionId>"
      "</Object><!-- c --></Delete>";
  const std::string config =
      "<CreateBucketConfiguration><LocationConstraint>eu</LocationConstraint>"
      "</CreateBucketConfiguration>";
  auto parse_all = [](std::string_view body) {
    // Each either succeeds or reports a reasoned InvalidArgument.
    for (const absl::Status& status :
         {ParseCompleteMultipartUpload(body).status(), ParseDeleteObjects(body).status(),
          ParseCreateBucketConfiguration(body).status()}) {
      if (!status.ok()) {
        ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
        ASSERT_NE(GetReason(status), ErrorReason::kNone) << status;
      }
    }
  };
  uint32_t x = 12345;
  for (const std::string& body : {complete, del, config}) {
    for (size_t len = 0; len <= body.size(); ++len) parse_all(body.substr(0, len));
    for (int round = 0; round < 2000; ++round) {
      std::string mutated = body;
      for (int flips = 0; flips < 3; ++flips) {
        x = x * 1664525u + 1013904223u;
        mutated[(x >> 8) % mutated.size()] = static_cast<char>(x >> 24);
      }
      parse_all(mutated);
    }
  }
}

// ---- CreateBucketConfiguration ----

TEST(ParseCreateBucketConfigurationTest, EmptyBodyMeansDefault) {
  EXPECT_EQ(*ParseCreateBucketConfiguration(""), "");
  EXPECT_EQ(*ParseCreateBucketConfiguration(" \r\n\t"), "");
}

TEST(ParseCreateBucketConfigurationTest, ReadsLocationConstraint) {
  EXPECT_EQ(*ParseCreateBucketConfiguration(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<LocationConstraint> eu-west-1 </LocationConstraint>"
                "</CreateBucketConfiguration>"),
            "eu-west-1");
  EXPECT_EQ(*ParseCreateBucketConfiguration("<?xml version=\"1.0\"?>\n<CreateBucketConfiguration>"
                                            "<LocationConstraint>us-west-2</LocationConstraint>"
                                            "</CreateBucketConfiguration>\n"),
            "us-west-2");
  EXPECT_EQ(*ParseCreateBucketConfiguration("<CreateBucketConfiguration/>"), "");
  EXPECT_EQ(*ParseCreateBucketConfiguration(
                "<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>"),
            "");
}

TEST(ParseCreateBucketConfigurationTest, MalformedBodies) {
  for (std::string_view body : {"garbage", "<CreateBucketConfiguration>",
                                "<Configuration><LocationConstraint>x</LocationConstraint>"
                                "</Configuration>"}) {
    SCOPED_TRACE(body);
    ExpectError(ParseCreateBucketConfiguration(body).status(), ErrorReason::kMalformedXml);
  }
}

TEST(ParseTaggingTest, KeepsOrderDuplicatesAndEmptyValues) {
  auto tags = ParseTagging(
      "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
      "<Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key><Value></Value></Tag>"
      "<Tag><Key>b</Key><Value>x &amp; y</Value></Tag><Tag><Key>c</Key></Tag>"
      "</TagSet></Tagging>");
  ASSERT_TRUE(tags.ok()) << tags.status();
  ASSERT_EQ(tags->size(), 4u);
  EXPECT_EQ((*tags)[0].key, "b");
  EXPECT_EQ((*tags)[1].value, "");
  EXPECT_EQ((*tags)[2].value, "x & y");
  EXPECT_EQ((*tags)[3].value, "");
  auto empty = ParseTagging("<Tagging><TagSet/></Tagging>");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST(ParseTaggingTest, MalformedBodies) {
  for (std::string_view body : {
           "",
           "<Tagging/>",
           "<Tags><TagSet/></Tags>",
           "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>",
           "<Tagging><TagSet><Tag><Key>k<b/></Key></Tag></TagSet></Tagging>",
       }) {
    ExpectError(ParseTagging(body).status(), ErrorReason::kMalformedXml);
  }
}

TEST(ParseVersioningTest, StatusAndMfaDelete) {
  auto enabled = ParseVersioningConfiguration(
      "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Status>Enabled</Status></VersioningConfiguration>");
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  EXPECT_EQ(enabled->status, "Enabled");
  EXPECT_EQ(enabled->mfa_delete, "");
  auto suspended = ParseVersioningConfiguration(
      "<VersioningConfiguration><MfaDelete> Disabled </MfaDelete><Status>Suspended</Status>"
      "</VersioningConfiguration>");
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_EQ(suspended->status, "Suspended");
  EXPECT_EQ(suspended->mfa_delete, "Disabled");
  auto empty = ParseVersioningConfiguration("<VersioningConfiguration/>");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->status, "");
}

TEST(ParseVersioningTest, MalformedBodies) {
  for (std::string_view body : {
           "",
           "junk",
           "<Versioning><Status>Enabled</Status></Versioning>",
           "<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>",
           "<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>",
           "<VersioningConfiguration><MfaDelete>On</MfaDelete></VersioningConfiguration>",
           "<VersioningConfiguration><Status><b>Enabled</b></Status></VersioningConfiguration>",
       }) {
    ExpectError(ParseVersioningConfiguration(body).status(), ErrorReason::kMalformedXml);
  }
}

}  // namespace
}  // namespace sb::gateway::xml
