#include "gateway/xml/object_lock_xml.h"

#include <cstring>
#include <pugixml.hpp>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
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

// Loads `body` and returns its root element if it is named `root`.
absl::StatusOr<pugi::xml_node> LoadRoot(pugi::xml_document& doc, std::string_view body,
                                        std::string_view root) {
  if (body.size() > kMaxRequestXmlBytes || std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return Malformed();
  }
  if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8)) {
    return Malformed();
  }
  pugi::xml_node node = doc.document_element();
  if (LocalName(node) != root) return Malformed();
  return node;
}

// The text of the single child `name` of `parent`; Malformed if there is not exactly one.
absl::StatusOr<std::string> OnlyChildText(const pugi::xml_node& parent, std::string_view name) {
  auto nodes = Children(parent, name);
  if (nodes.size() != 1) return Malformed();
  return Text(nodes[0]);
}

// An optional integer child: 0 when absent, Malformed when repeated or not an integer.
absl::StatusOr<int32_t> OptionalInt(const pugi::xml_node& parent, std::string_view name) {
  auto nodes = Children(parent, name);
  if (nodes.empty()) return 0;
  int32_t value = 0;
  if (nodes.size() != 1 || !absl::SimpleAtoi(AsAbsl(Text(nodes[0])), &value)) return Malformed();
  return value;
}

}  // namespace

std::string FormatRetainUntil(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string ObjectLockConfigurationXml(const ObjectLockConfiguration& config) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("ObjectLockConfiguration");
  b.Element("ObjectLockEnabled", "Enabled");
  if (config.has_rule) {
    b.Open("Rule");
    b.Open("DefaultRetention");
    b.Element("Mode", config.mode);
    if (config.days != 0) b.Element("Days", config.days);
    if (config.years != 0) b.Element("Years", config.years);
    b.Close("DefaultRetention");
    b.Close("Rule");
  }
  b.Close("ObjectLockConfiguration");
  return b.Finish();
}

absl::StatusOr<ObjectLockConfiguration> ParseObjectLockConfiguration(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "ObjectLockConfiguration"));
  SB_ASSIGN_OR_RETURN(std::string enabled, OnlyChildText(root, "ObjectLockEnabled"));
  if (enabled != "Enabled") return Malformed();
  ObjectLockConfiguration config;
  auto rules = Children(root, "Rule");
  if (rules.size() > 1) return Malformed();
  if (rules.empty()) return config;
  auto retention = Children(rules[0], "DefaultRetention");
  if (retention.size() != 1) return Malformed();
  config.has_rule = true;
  SB_ASSIGN_OR_RETURN(config.mode, OnlyChildText(retention[0], "Mode"));
  SB_ASSIGN_OR_RETURN(config.days, OptionalInt(retention[0], "Days"));
  SB_ASSIGN_OR_RETURN(config.years, OptionalInt(retention[0], "Years"));
  return config;
}

std::string RetentionXml(std::string_view mode, absl::Time retain_until) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("Retention");
  b.Element("Mode", mode);
  b.Element("RetainUntilDate", FormatRetainUntil(retain_until));
  b.Close("Retention");
  return b.Finish();
}

absl::StatusOr<ObjectRetention> ParseRetention(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "Retention"));
  ObjectRetention retention;
  SB_ASSIGN_OR_RETURN(retention.mode, OnlyChildText(root, "Mode"));
  SB_ASSIGN_OR_RETURN(std::string date, OnlyChildText(root, "RetainUntilDate"));
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, AsAbsl(date), &retention.retain_until, &error)) {
    return Malformed();
  }
  return retention;
}

std::string LegalHoldXml(bool on) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("LegalHold");
  b.Element("Status", on ? "ON" : "OFF");
  b.Close("LegalHold");
  return b.Finish();
}

absl::StatusOr<bool> ParseLegalHold(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "LegalHold"));
  SB_ASSIGN_OR_RETURN(std::string status, OnlyChildText(root, "Status"));
  if (status != "ON" && status != "OFF") return Malformed();
  return status == "ON";
}

}  // namespace sb::gateway::xml
