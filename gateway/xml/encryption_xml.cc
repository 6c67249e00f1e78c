#include "gateway/xml/encryption_xml.h"

#include <pugixml.hpp>
#include <vector>

#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/xml/pugi_util.h"
#include "gateway/xml/request_xml.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

std::string ServerSideEncryptionConfigurationXml(const EncryptionRule& rule) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("ServerSideEncryptionConfiguration");
  b.Open("Rule");
  b.Open("ApplyServerSideEncryptionByDefault");
  b.Element("SSEAlgorithm", rule.sse_algorithm);
  if (!rule.kms_master_key_id.empty()) b.Element("KMSMasterKeyID", rule.kms_master_key_id);
  b.Close("ApplyServerSideEncryptionByDefault");
  b.Element("BucketKeyEnabled", rule.bucket_key_enabled);
  b.Close("Rule");
  b.Close("ServerSideEncryptionConfiguration");
  return b.Finish();
}

absl::StatusOr<EncryptionRule> ParseServerSideEncryptionConfiguration(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root,
                      LoadRoot(doc, body, "ServerSideEncryptionConfiguration"));
  auto rules = Children(root, "Rule");
  if (rules.size() != 1) return MalformedXml();
  auto defaults = Children(rules[0], "ApplyServerSideEncryptionByDefault");
  if (defaults.size() != 1) return MalformedXml();
  auto algorithm = Children(defaults[0], "SSEAlgorithm");
  if (algorithm.size() != 1) return MalformedXml();
  EncryptionRule rule;
  rule.sse_algorithm = Text(algorithm[0]);
  if (rule.sse_algorithm != "AES256" && rule.sse_algorithm != "aws:kms") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema: SSEAlgorithm must be AES256 or aws:kms");
  }
  auto key_id = Children(defaults[0], "KMSMasterKeyID");
  if (key_id.size() > 1) return MalformedXml();
  if (!key_id.empty()) rule.kms_master_key_id = Text(key_id[0]);
  if (!rule.kms_master_key_id.empty() && rule.sse_algorithm != "aws:kms") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "a KMSMasterKeyID is not applicable if the default sse algorithm is not "
                     "aws:kms");
  }
  auto bucket_key = Children(rules[0], "BucketKeyEnabled");
  if (bucket_key.size() > 1) return MalformedXml();
  if (!bucket_key.empty()) {
    std::string v = Text(bucket_key[0]);
    if (v != "true" && v != "false") return MalformedXml();
    rule.bucket_key_enabled = v == "true";
  }
  return rule;
}

}  // namespace sb::gateway::xml
