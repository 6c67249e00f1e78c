#include "gateway/xml/encryption_xml.h"

#include <cstring>
#include <pugixml.hpp>
#include <vector>

#include "absl/strings/ascii.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "gateway/xml/request_xml.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

absl::Status Malformed() {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema.");
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Element children of `parent` named `name`.
std::vector<pugi::xml_node> Children(const pugi::xml_node& parent, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) out.push_back(child);
  }
  return out;
}

std::string Text(const pugi::xml_node& node) {
  return std::string(absl::StripAsciiWhitespace(node.child_value()));
}

}  // namespace

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
  if (body.size() > kMaxRequestXmlBytes || std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return Malformed();
  }
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8)) {
    return Malformed();
  }
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "ServerSideEncryptionConfiguration") return Malformed();
  auto rules = Children(root, "Rule");
  if (rules.size() != 1) return Malformed();
  auto defaults = Children(rules[0], "ApplyServerSideEncryptionByDefault");
  if (defaults.size() != 1) return Malformed();
  auto algorithm = Children(defaults[0], "SSEAlgorithm");
  if (algorithm.size() != 1) return Malformed();
  EncryptionRule rule;
  rule.sse_algorithm = Text(algorithm[0]);
  if (rule.sse_algorithm != "AES256" && rule.sse_algorithm != "aws:kms") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema: SSEAlgorithm must be AES256 or aws:kms");
  }
  auto key_id = Children(defaults[0], "KMSMasterKeyID");
  if (key_id.size() > 1) return Malformed();
  if (!key_id.empty()) rule.kms_master_key_id = Text(key_id[0]);
  if (!rule.kms_master_key_id.empty() && rule.sse_algorithm != "aws:kms") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "a KMSMasterKeyID is not applicable if the default sse algorithm is not "
                     "aws:kms");
  }
  auto bucket_key = Children(rules[0], "BucketKeyEnabled");
  if (bucket_key.size() > 1) return Malformed();
  if (!bucket_key.empty()) {
    std::string v = Text(bucket_key[0]);
    if (v != "true" && v != "false") return Malformed();
    rule.bucket_key_enabled = v == "true";
  }
  return rule;
}

}  // namespace sb::gateway::xml
