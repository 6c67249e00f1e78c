#include "gateway/xml/lifecycle_xml.h"

#include <pugixml.hpp>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/xml/pugi_util.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

absl::Status InvalidArgument(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// The single child `name` of `parent`, or an empty node; MalformedXML if repeated.
absl::StatusOr<pugi::xml_node> Single(const pugi::xml_node& parent, std::string_view name) {
  auto nodes = Children(parent, name);
  if (nodes.size() > 1) return MalformedXml();
  return nodes.empty() ? pugi::xml_node() : nodes[0];
}

absl::StatusOr<std::optional<int64_t>> OptionalInt(const pugi::xml_node& parent,
                                                   std::string_view name) {
  SB_ASSIGN_OR_RETURN(pugi::xml_node node, Single(parent, name));
  if (!node) return std::optional<int64_t>();
  int64_t v = 0;
  if (!absl::SimpleAtoi(Text(node), &v)) return MalformedXml();
  return std::optional<int64_t>(v);
}

absl::Status ParseTag(const pugi::xml_node& tag, std::map<std::string, std::string>* tags) {
  SB_ASSIGN_OR_RETURN(pugi::xml_node key, Single(tag, "Key"));
  SB_ASSIGN_OR_RETURN(pugi::xml_node value, Single(tag, "Value"));
  if (!key) return MalformedXml();
  if (!tags->emplace(Text(key), value ? Text(value) : "").second) {
    return InvalidArgument("Duplicate Tag Keys are not allowed.");
  }
  return absl::OkStatus();
}

// <Filter>: Prefix | Tag | ObjectSizeGreaterThan | ObjectSizeLessThan | And{...}.
absl::Status ParseFilter(const pugi::xml_node& filter, LifecycleRule* rule) {
  pugi::xml_node scope = filter;
  SB_ASSIGN_OR_RETURN(pugi::xml_node conj, Single(filter, "And"));
  if (conj) scope = conj;
  SB_ASSIGN_OR_RETURN(pugi::xml_node prefix, Single(scope, "Prefix"));
  if (prefix) rule->prefix = Text(prefix);
  for (const pugi::xml_node& tag : Children(scope, "Tag")) {
    SB_RETURN_IF_ERROR(ParseTag(tag, &rule->tags));
  }
  SB_ASSIGN_OR_RETURN(auto gt, OptionalInt(scope, "ObjectSizeGreaterThan"));
  SB_ASSIGN_OR_RETURN(auto lt, OptionalInt(scope, "ObjectSizeLessThan"));
  if ((gt && *gt < 0) || (lt && *lt <= 0)) return InvalidArgument("Invalid object size bound");
  if (gt) rule->size_greater_than = static_cast<uint64_t>(*gt);
  if (lt) rule->size_less_than = static_cast<uint64_t>(*lt);
  if (!conj && rule->tags.size() > 1) return MalformedXml();  // several tags need <And>
  return absl::OkStatus();
}

absl::Status PositiveDays(const std::optional<int64_t>& days, std::string_view action) {
  if (days && *days <= 0) {
    return InvalidArgument(
        absl::StrCat("'Days' for ", AsAbsl(action), " action must be a positive integer"));
  }
  return absl::OkStatus();
}

absl::Status ParseExpiration(const pugi::xml_node& node, LifecycleRule* rule) {
  SB_ASSIGN_OR_RETURN(rule->expiration_days, OptionalInt(node, "Days"));
  SB_RETURN_IF_ERROR(PositiveDays(rule->expiration_days, "Expiration"));
  SB_ASSIGN_OR_RETURN(pugi::xml_node date, Single(node, "Date"));
  SB_ASSIGN_OR_RETURN(pugi::xml_node marker, Single(node, "ExpiredObjectDeleteMarker"));
  if (date) {
    absl::Time t;
    std::string error;
    const std::string text = Text(date);
    if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error) &&
        !absl::ParseTime("%Y-%m-%d", text, &t, &error)) {
      return InvalidArgument("Invalid date: the date must be ISO 8601, at midnight UTC");
    }
    const int64_t seconds = absl::ToUnixSeconds(t);
    if (seconds % 86400 != 0) return InvalidArgument("'Date' must be at midnight GMT");
    rule->expiration_date_unix = seconds;
  }
  if (marker) {
    const std::string text = Text(marker);
    if (text != "true" && text != "false") return MalformedXml();
    rule->expired_object_delete_marker = text == "true";
  }
  const int set = (rule->expiration_days ? 1 : 0) + (date ? 1 : 0) + (marker ? 1 : 0);
  if (set != 1) return MalformedXml();
  return absl::OkStatus();
}

absl::StatusOr<LifecycleRule> ParseRule(const pugi::xml_node& node, size_t index) {
  LifecycleRule rule;
  for (std::string_view unsupported : {"Transition", "NoncurrentVersionTransition"}) {
    if (!Children(node, unsupported).empty()) {
      return MakeError(absl::StatusCode::kUnimplemented, ErrorReason::kNotImplemented,
                       "Lifecycle transitions (storage classes) are not supported");
    }
  }
  SB_ASSIGN_OR_RETURN(pugi::xml_node id, Single(node, "ID"));
  rule.id = id ? Text(id) : absl::StrCat("rule-", index + 1);
  if (rule.id.size() > 255)
    return InvalidArgument("ID length should not exceed allowed limit of 255");
  SB_ASSIGN_OR_RETURN(pugi::xml_node status, Single(node, "Status"));
  if (!status || (Text(status) != "Enabled" && Text(status) != "Disabled")) return MalformedXml();
  rule.enabled = Text(status) == "Enabled";
  SB_ASSIGN_OR_RETURN(pugi::xml_node filter, Single(node, "Filter"));
  SB_ASSIGN_OR_RETURN(pugi::xml_node prefix, Single(node, "Prefix"));
  if (filter && prefix) return MalformedXml();
  if (filter) SB_RETURN_IF_ERROR(ParseFilter(filter, &rule));
  if (prefix) {
    rule.legacy_prefix = true;
    rule.prefix = Text(prefix);
  }
  SB_ASSIGN_OR_RETURN(pugi::xml_node expiration, Single(node, "Expiration"));
  if (expiration) SB_RETURN_IF_ERROR(ParseExpiration(expiration, &rule));
  SB_ASSIGN_OR_RETURN(pugi::xml_node noncurrent, Single(node, "NoncurrentVersionExpiration"));
  if (noncurrent) {
    SB_ASSIGN_OR_RETURN(rule.noncurrent_days, OptionalInt(noncurrent, "NoncurrentDays"));
    SB_ASSIGN_OR_RETURN(rule.newer_noncurrent_versions,
                        OptionalInt(noncurrent, "NewerNoncurrentVersions"));
    if (!rule.noncurrent_days) return MalformedXml();
    SB_RETURN_IF_ERROR(PositiveDays(rule.noncurrent_days, "NoncurrentVersionExpiration"));
    if (rule.newer_noncurrent_versions && *rule.newer_noncurrent_versions <= 0) {
      return InvalidArgument("NewerNoncurrentVersions must be a positive integer");
    }
  }
  SB_ASSIGN_OR_RETURN(pugi::xml_node abort, Single(node, "AbortIncompleteMultipartUpload"));
  if (abort) {
    SB_ASSIGN_OR_RETURN(rule.abort_incomplete_days, OptionalInt(abort, "DaysAfterInitiation"));
    if (!rule.abort_incomplete_days) return MalformedXml();
    SB_RETURN_IF_ERROR(PositiveDays(rule.abort_incomplete_days, "AbortIncompleteMultipartUpload"));
  }
  if (!expiration && !noncurrent && !abort) return MalformedXml();  // no action
  return rule;
}

}  // namespace

absl::StatusOr<std::vector<LifecycleRule>> ParseLifecycleConfiguration(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(pugi::xml_node root, LoadRoot(doc, body, "LifecycleConfiguration"));
  auto nodes = Children(root, "Rule");
  if (nodes.empty()) return MalformedXml();
  if (nodes.size() > kMaxLifecycleRules) {
    return InvalidArgument("A lifecycle configuration can have at most 1000 rules");
  }
  std::vector<LifecycleRule> rules;
  std::set<std::string> ids;
  for (size_t i = 0; i < nodes.size(); ++i) {
    SB_ASSIGN_OR_RETURN(LifecycleRule rule, ParseRule(nodes[i], i));
    if (!ids.insert(rule.id).second) return InvalidArgument("Rule ID must be unique");
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::string LifecycleConfigurationXml(const std::vector<LifecycleRule>& rules) {
  XmlBuilder b(256 + rules.size() * 320);
  b.Declaration();
  b.OpenRoot("LifecycleConfiguration");
  for (const LifecycleRule& r : rules) {
    b.Open("Rule");
    b.Element("ID", r.id);
    if (r.legacy_prefix) {
      b.Element("Prefix", r.prefix);
    } else {
      b.Open("Filter");
      const int parts = (r.prefix.empty() ? 0 : 1) + static_cast<int>(r.tags.size()) +
                        (r.size_greater_than ? 1 : 0) + (r.size_less_than ? 1 : 0);
      if (parts > 1) b.Open("And");
      if (!r.prefix.empty() || parts == 0) b.Element("Prefix", r.prefix);
      for (const auto& [key, value] : r.tags) {
        b.Open("Tag");
        b.Element("Key", key);
        b.Element("Value", value);
        b.Close("Tag");
      }
      if (r.size_greater_than) b.Element("ObjectSizeGreaterThan", *r.size_greater_than);
      if (r.size_less_than) b.Element("ObjectSizeLessThan", *r.size_less_than);
      if (parts > 1) b.Close("And");
      b.Close("Filter");
    }
    b.Element("Status", r.enabled ? "Enabled" : "Disabled");
    if (r.expiration_days || r.expiration_date_unix || r.expired_object_delete_marker) {
      b.Open("Expiration");
      if (r.expiration_days) b.Element("Days", *r.expiration_days);
      if (r.expiration_date_unix) {
        b.Element("Date", absl::FormatTime("%Y-%m-%dT%H:%M:%S.000Z",
                                           absl::FromUnixSeconds(*r.expiration_date_unix),
                                           absl::UTCTimeZone()));
      }
      if (r.expired_object_delete_marker) b.Element("ExpiredObjectDeleteMarker", true);
      b.Close("Expiration");
    }
    if (r.noncurrent_days) {
      b.Open("NoncurrentVersionExpiration");
      b.Element("NoncurrentDays", *r.noncurrent_days);
      if (r.newer_noncurrent_versions) {
        b.Element("NewerNoncurrentVersions", *r.newer_noncurrent_versions);
      }
      b.Close("NoncurrentVersionExpiration");
    }
    if (r.abort_incomplete_days) {
      b.Open("AbortIncompleteMultipartUpload");
      b.Element("DaysAfterInitiation", *r.abort_incomplete_days);
      b.Close("AbortIncompleteMultipartUpload");
    }
    b.Close("Rule");
  }
  b.Close("LifecycleConfiguration");
  return b.Finish();
}

bool LifecycleFilterMatches(const LifecycleRule& rule, std::string_view key, uint64_t size,
                            const std::map<std::string, std::string>& tags) {
  if (!key.starts_with(rule.prefix)) return false;
  if (rule.size_greater_than && size <= *rule.size_greater_than) return false;
  if (rule.size_less_than && size >= *rule.size_less_than) return false;
  for (const auto& [k, v] : rule.tags) {
    auto it = tags.find(k);
    if (it == tags.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace sb::gateway::xml
