// Fuzzes the S3 XML request-body parsers of gateway/xml/ (pugixml underneath): every input
// goes to CompleteMultipartUpload, Delete (DeleteObjects), Tagging, VersioningConfiguration,
// CreateBucketConfiguration, ServerSideEncryptionConfiguration, AccessControlPolicy and the
// Object Lock bodies (ObjectLockConfiguration, Retention, LegalHold), CORSConfiguration,
// and to the ListObjectsV2 continuation-token decoder. Properties: errors are
// InvalidArgument with a reason; accepted documents respect the documented limits; what a
// parser accepts survives a round trip through our own XML writer (escaping included).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "common/error_reason.h"
#include "gateway/xml/acl_xml.h"
#include "gateway/xml/bucket_config_xml.h"
#include "gateway/xml/cors_xml.h"
#include "gateway/xml/encryption_xml.h"
#include "gateway/xml/lifecycle_xml.h"
#include "gateway/xml/list_objects_xml.h"
#include "gateway/xml/object_lock_xml.h"
#include "gateway/xml/request_xml.h"
#include "gateway/xml/xml_builder.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::gateway::xml {
namespace {

void CheckRefusal(const absl::Status& status) {
  SB_FUZZ_CHECK(!status.ok());
  SB_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  SB_FUZZ_CHECK(GetReason(status) != ErrorReason::kNone);
}

void FuzzComplete(std::string_view body) {
  absl::StatusOr<std::vector<CompletedPart>> parts = ParseCompleteMultipartUpload(body);
  if (!parts.ok()) return CheckRefusal(parts.status());
  SB_FUZZ_CHECK(!parts->empty() && parts->size() <= 10000);
  std::string again = "<CompleteMultipartUpload>";
  for (const CompletedPart& p : *parts) {
    SB_FUZZ_CHECK(p.part_number >= 1 && p.part_number <= 10000);
    // Quoted, as clients send it: the parser trims whitespace outside the quotes only.
    again += "<Part><PartNumber>" + std::to_string(p.part_number) + "</PartNumber><ETag>\"";
    AppendEscaped(&again, p.etag);
    again += "\"</ETag></Part>";
  }
  again += "</CompleteMultipartUpload>";
  absl::StatusOr<std::vector<CompletedPart>> reparsed = ParseCompleteMultipartUpload(again);
  SB_FUZZ_CHECK(reparsed.ok() && reparsed->size() == parts->size());
  for (size_t i = 0; i < parts->size(); ++i) {
    SB_FUZZ_CHECK((*reparsed)[i].part_number == (*parts)[i].part_number);
    SB_FUZZ_CHECK((*reparsed)[i].etag == (*parts)[i].etag);
  }
  (void)CheckPartOrder(*parts);
}

// A key parsed from a Delete body must come back byte for byte when we write it into a
// response (<Deleted><Key>) and a client parses that: build a Delete body the same way.
void FuzzDelete(std::string_view body) {
  absl::StatusOr<DeleteObjectsRequest> req = ParseDeleteObjects(body);
  if (!req.ok()) return CheckRefusal(req.status());
  SB_FUZZ_CHECK(!req->objects.empty() && req->objects.size() <= 1000);
  std::string again = "<Delete>";
  again += req->quiet ? "<Quiet>true</Quiet>" : "<Quiet>false</Quiet>";
  for (const ObjectToDelete& o : req->objects) {
    again += "<Object><Key>";
    AppendEscaped(&again, o.key);
    again += "</Key>";
    if (!o.version_id.empty()) {
      again += "<VersionId>";
      AppendEscaped(&again, o.version_id);
      again += "</VersionId>";
    }
    again += "</Object>";
  }
  again += "</Delete>";
  absl::StatusOr<DeleteObjectsRequest> reparsed = ParseDeleteObjects(again);
  SB_FUZZ_CHECK(reparsed.ok());
  SB_FUZZ_CHECK(reparsed->quiet == req->quiet);
  SB_FUZZ_CHECK(reparsed->objects.size() == req->objects.size());
  for (size_t i = 0; i < req->objects.size(); ++i) {
    SB_FUZZ_CHECK(reparsed->objects[i].key == req->objects[i].key);
    SB_FUZZ_CHECK(reparsed->objects[i].version_id == req->objects[i].version_id);
  }
}

void FuzzTagging(std::string_view body) {
  absl::StatusOr<std::vector<Tag>> tags = ParseTagging(body);
  if (!tags.ok()) return CheckRefusal(tags.status());
  SB_FUZZ_CHECK(tags->size() <= 1000);
  std::string again = "<Tagging><TagSet>";
  for (const Tag& t : *tags) {
    again += "<Tag><Key>";
    AppendEscaped(&again, t.key);
    again += "</Key><Value>";
    AppendEscaped(&again, t.value);
    again += "</Value></Tag>";
  }
  again += "</TagSet></Tagging>";
  absl::StatusOr<std::vector<Tag>> reparsed = ParseTagging(again);
  SB_FUZZ_CHECK(reparsed.ok() && reparsed->size() == tags->size());
  for (size_t i = 0; i < tags->size(); ++i) {
    SB_FUZZ_CHECK((*reparsed)[i].key == (*tags)[i].key);
    SB_FUZZ_CHECK((*reparsed)[i].value == (*tags)[i].value);
  }
}

void FuzzVersioning(std::string_view body) {
  absl::StatusOr<VersioningConfiguration> v = ParseVersioningConfiguration(body);
  if (!v.ok()) return CheckRefusal(v.status());
  SB_FUZZ_CHECK(v->status.empty() || v->status == "Enabled" || v->status == "Suspended");
  SB_FUZZ_CHECK(v->mfa_delete.empty() || v->mfa_delete == "Enabled" || v->mfa_delete == "Disabled");
}

void FuzzEncryption(std::string_view body) {
  absl::StatusOr<EncryptionRule> rule = ParseServerSideEncryptionConfiguration(body);
  if (!rule.ok()) return CheckRefusal(rule.status());
  SB_FUZZ_CHECK(rule->sse_algorithm == "AES256" || rule->sse_algorithm == "aws:kms");
  absl::StatusOr<EncryptionRule> again =
      ParseServerSideEncryptionConfiguration(ServerSideEncryptionConfigurationXml(*rule));
  SB_FUZZ_CHECK(again.ok());
  SB_FUZZ_CHECK(again->sse_algorithm == rule->sse_algorithm);
  SB_FUZZ_CHECK(again->kms_master_key_id == rule->kms_master_key_id);
  SB_FUZZ_CHECK(again->bucket_key_enabled == rule->bucket_key_enabled);
}

void FuzzOthers(std::string_view body) {
  absl::StatusOr<std::string> location = ParseCreateBucketConfiguration(body);
  if (!location.ok()) CheckRefusal(location.status());
  absl::StatusOr<bool> acl = IsOwnerOnlyAcl(body, "strongbox-owner");
  if (!acl.ok()) CheckRefusal(acl.status());
  absl::StatusOr<std::string> marker = MarkerFromContinuationToken(body);
  if (marker.ok()) {
    // Tokens we hand out decode to their marker; any accepted token maps back to one.
    absl::StatusOr<std::string> again =
        MarkerFromContinuationToken(ContinuationTokenFromMarker(*marker));
    SB_FUZZ_CHECK(again.ok() && *again == *marker);
  } else {
    CheckRefusal(marker.status());
  }
}

// Lifecycle: refused with an S3 error (transitions: NotImplemented), or stored in a form that
// parses back to itself; filter matching never fails.
void FuzzLifecycle(std::string_view body) {
  absl::StatusOr<std::vector<LifecycleRule>> rules = ParseLifecycleConfiguration(body);
  if (!rules.ok()) {
    if (rules.status().code() == absl::StatusCode::kUnimplemented) return;
    return CheckRefusal(rules.status());
  }
  SB_FUZZ_CHECK(!rules->empty() && rules->size() <= kMaxLifecycleRules);
  const std::string stored = LifecycleConfigurationXml(*rules);
  absl::StatusOr<std::vector<LifecycleRule>> back = ParseLifecycleConfiguration(stored);
  SB_FUZZ_CHECK(back.ok() && LifecycleConfigurationXml(*back) == stored);
  for (const LifecycleRule& r : *rules) (void)LifecycleFilterMatches(r, "logs/a", 10, {});
}

// Public access block and ownership controls: refused, or round-trip.
void FuzzBucketSettings(std::string_view body) {
  absl::StatusOr<metadata::PublicAccessBlockConfig> pab = ParsePublicAccessBlockConfiguration(body);
  if (!pab.ok()) {
    CheckRefusal(pab.status());
  } else {
    auto back = ParsePublicAccessBlockConfiguration(PublicAccessBlockConfigurationXml(*pab));
    SB_FUZZ_CHECK(back.ok() && back->SerializeAsString() == pab->SerializeAsString());
  }
  absl::StatusOr<std::string> ownership = ParseOwnershipControls(body);
  if (!ownership.ok()) return CheckRefusal(ownership.status());
  SB_FUZZ_CHECK(IsObjectOwnership(*ownership));
}

}  // namespace
}  // namespace sb::gateway::xml

namespace sb::gateway::xml {
namespace {

// What a lock parser accepts survives our own writer: the Get* bodies parse back the same.
void FuzzObjectLock(std::string_view body) {
  absl::StatusOr<ObjectLockConfiguration> config = ParseObjectLockConfiguration(body);
  if (!config.ok()) {
    CheckRefusal(config.status());
  } else {
    std::string again = ObjectLockConfigurationXml(*config);
    absl::StatusOr<ObjectLockConfiguration> back = ParseObjectLockConfiguration(again);
    SB_FUZZ_CHECK(back.ok() && back->has_rule == config->has_rule);
    if (config->has_rule) {
      SB_FUZZ_CHECK(back->mode == config->mode && back->days == config->days &&
                    back->years == config->years);
    }
  }
  absl::StatusOr<ObjectRetention> retention = ParseRetention(body);
  if (!retention.ok()) {
    CheckRefusal(retention.status());
  } else if (!retention->remove) {
    absl::StatusOr<ObjectRetention> back =
        ParseRetention(RetentionXml(retention->mode, retention->retain_until));
    SB_FUZZ_CHECK(back.ok() && back->mode == retention->mode && !back->remove);
    // The writer keeps milliseconds.
    SB_FUZZ_CHECK(absl::AbsDuration(back->retain_until - retention->retain_until) <
                  absl::Milliseconds(1));
  }
  absl::StatusOr<bool> hold = ParseLegalHold(body);
  if (!hold.ok()) {
    CheckRefusal(hold.status());
  } else {
    absl::StatusOr<bool> back = ParseLegalHold(LegalHoldXml(*hold));
    SB_FUZZ_CHECK(back.ok() && *back == *hold);
  }
}

// A CORS configuration we accept is stored as our own XML; that must parse back the same.
void FuzzCors(std::string_view body) {
  absl::StatusOr<std::vector<CorsRule>> rules = ParseCorsConfiguration(body);
  if (!rules.ok()) return CheckRefusal(rules.status());
  SB_FUZZ_CHECK(!rules->empty() && rules->size() <= kMaxCorsRules);
  const std::string stored = CorsConfigurationXml(*rules);
  absl::StatusOr<std::vector<CorsRule>> back = ParseCorsConfiguration(stored);
  SB_FUZZ_CHECK(back.ok() && CorsConfigurationXml(*back) == stored);
  (void)MatchCorsRule(*rules, "https://a.example", "GET", {"x-amz-date"});
}

}  // namespace
}  // namespace sb::gateway::xml

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::gateway::xml;
  if (size > 64 * 1024) return 0;  // the size limit itself is checked by the unit tests
  std::string_view body(reinterpret_cast<const char*>(data), size);
  FuzzComplete(body);
  FuzzDelete(body);
  FuzzTagging(body);
  FuzzVersioning(body);
  FuzzEncryption(body);
  FuzzOthers(body);
  FuzzObjectLock(body);
  FuzzCors(body);
  FuzzLifecycle(body);
  FuzzBucketSettings(body);
  return 0;
}
