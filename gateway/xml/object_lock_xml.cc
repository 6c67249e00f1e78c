#include "gateway/xml/object_lock_xml.h"

#include <pugixml.hpp>
#include <vector>

#include "absl/strings/numbers.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/xml/pugi_util.h"
#include "gateway/xml/request_xml.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

// The text of the single child `name` of `parent`; Malformed if there is not exactly one.
absl::StatusOr<std::string> OnlyChildText(const pugi::xml_node& parent, std::string_view name) {
  auto nodes = Children(parent, name);
  if (nodes.size() != 1) return MalformedXml();
  return Text(nodes[0]);
}

// An optional integer child: 0 when absent, Malformed when repeated or not an integer.
absl::StatusOr<int32_t> OptionalInt(const pugi::xml_node& parent, std::string_view name) {
  auto nodes = Children(parent, name);
  if (nodes.empty()) return 0;
  int32_t value = 0;
  if (nodes.size() != 1 || !absl::SimpleAtoi(AsAbsl(Text(nodes[0])), &value)) return MalformedXml();
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
  if (enabled != "Enabled") return MalformedXml();
  ObjectLockConfiguration config;
  auto rules = Children(root, "Rule");
  if (rules.size() > 1) return MalformedXml();
  if (rules.empty()) return config;
  auto retention = Children(rules[0], "DefaultRetention");
  if (retention.size() != 1) return MalformedXml();
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
  if (!root.child("Mode") && !root.child("RetainUntilDate")) {
    retention.remove = true;
    return retention;
  }
  SB_ASSIGN_OR_RETURN(retention.mode, OnlyChildText(root, "Mode"));
  SB_ASSIGN_OR_RETURN(std::string date, OnlyChildText(root, "RetainUntilDate"));
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, AsAbsl(date), &retention.retain_until, &error)) {
    return MalformedXml();
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
  if (status != "ON" && status != "OFF") return MalformedXml();
  return status == "ON";
}

}  // namespace sb::gateway::xml
