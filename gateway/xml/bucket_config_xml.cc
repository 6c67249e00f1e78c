#include "gateway/xml/bucket_config_xml.h"

#include <pugixml.hpp>

#include "common/status_macros.h"
#include "gateway/xml/pugi_util.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

// An optional boolean child; S3 accepts only "true" and "false".
absl::Status ReadFlag(const pugi::xml_node& root, std::string_view name, bool* out) {
  auto nodes = Children(root, name);
  if (nodes.empty()) return absl::OkStatus();
  if (nodes.size() > 1) return MalformedXml();
  const std::string text = Text(nodes[0]);
  if (text != "true" && text != "false") return MalformedXml();
  *out = text == "true";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<metadata::PublicAccessBlockConfig> ParsePublicAccessBlockConfiguration(
    std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "PublicAccessBlockConfiguration"));
  bool acls = false;
  bool ignore = false;
  bool policy = false;
  bool restrict = false;
  SB_RETURN_IF_ERROR(ReadFlag(root, "BlockPublicAcls", &acls));
  SB_RETURN_IF_ERROR(ReadFlag(root, "IgnorePublicAcls", &ignore));
  SB_RETURN_IF_ERROR(ReadFlag(root, "BlockPublicPolicy", &policy));
  SB_RETURN_IF_ERROR(ReadFlag(root, "RestrictPublicBuckets", & restrict));
  metadata::PublicAccessBlockConfig config;
  config.set_block_public_acls(acls);
  config.set_ignore_public_acls(ignore);
  config.set_block_public_policy(policy);
  config.set_restrict_public_buckets(restrict);
  return config;
}

std::string PublicAccessBlockConfigurationXml(const metadata::PublicAccessBlockConfig& config) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("PublicAccessBlockConfiguration");
  b.Element("BlockPublicAcls", config.block_public_acls());
  b.Element("IgnorePublicAcls", config.ignore_public_acls());
  b.Element("BlockPublicPolicy", config.block_public_policy());
  b.Element("RestrictPublicBuckets", config.restrict_public_buckets());
  b.Close("PublicAccessBlockConfiguration");
  return b.Finish();
}

bool IsObjectOwnership(std::string_view value) {
  return value == "BucketOwnerEnforced" || value == "BucketOwnerPreferred" ||
         value == "ObjectWriter";
}

absl::StatusOr<std::string> ParseOwnershipControls(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "OwnershipControls"));
  auto rules = Children(root, "Rule");
  if (rules.size() != 1) return MalformedXml();
  auto ownership = Children(rules[0], "ObjectOwnership");
  if (ownership.size() != 1) return MalformedXml();
  std::string value = Text(ownership[0]);
  if (!IsObjectOwnership(value)) return MalformedXml();
  return value;
}

std::string OwnershipControlsXml(std::string_view object_ownership) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("OwnershipControls");
  b.Open("Rule");
  b.Element("ObjectOwnership", object_ownership);
  b.Close("Rule");
  b.Close("OwnershipControls");
  return b.Finish();
}

}  // namespace sb::gateway::xml
