#include "gateway/xml/request_xml.h"

#include <cstring>
#include <pugixml.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"

namespace sb::gateway::xml {
namespace {

constexpr size_t kMaxCompleteParts = 10000;
constexpr size_t kMaxDeleteObjects = 1000;  // S3's documented limit per request

absl::Status Malformed(std::string_view detail) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                   absl::StrCat("The XML you provided was not well-formed or did not validate "
                                "against our published schema: ",
                                AsAbsl(detail)));
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Returns true if `text` has a numeric character reference to U+0000. pugixml decodes it
// to a NUL byte, which would silently truncate the element text (a Delete of "a&#0;b"
// must not become a delete of "a"); XML 1.0 forbids the reference anyway.
bool HasNulReference(std::string_view text) {
  for (size_t pos = text.find("&#"); pos != std::string_view::npos;
       pos = text.find("&#", pos + 2)) {
    size_t i = pos + 2;
    const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const size_t digits_start = i;
    bool all_zero = true;
    while (i < text.size() && absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      if (!hex && !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) break;
      if (text[i] != '0') all_zero = false;
      ++i;
    }
    if (i > digits_start && all_zero && i < text.size() && text[i] == ';') return true;
  }
  return false;
}

// Parses `body` into `doc` and returns its single root element, which must be named
// `root_name` (ignoring any namespace prefix).
absl::StatusOr<pugi::xml_node> ParseRoot(std::string_view body, std::string_view root_name,
                                         pugi::xml_document& doc) {
  if (body.size() > kMaxRequestXmlBytes) return Malformed("body too large");
  // pugixml keeps strings NUL-terminated; a raw NUL (never legal XML) would cut text short.
  if (std::memchr(body.data(), '\0', body.size()) != nullptr) return Malformed("NUL byte");
  if (HasNulReference(body)) return Malformed("reference to character 0");
  // parse_fragment makes pugixml keep text outside the root (which it otherwise drops
  // silently) and accept several roots, so the loop below can reject both.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(body.data(), body.size(),
                      pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_fragment,
                      pugi::encoding_utf8);
  if (!parsed) return Malformed(parsed.description());
  pugi::xml_node root;
  for (pugi::xml_node node : doc.children()) {
    switch (node.type()) {
      case pugi::node_element:
        if (root) return Malformed("more than one root element");
        root = node;
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata: {
        std::string_view text = node.value();
        if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
          return Malformed("text outside the root element");
        }
        break;
      }
      default:  // declaration, comments, processing instructions
        break;
    }
  }
  if (!root) return Malformed("no root element");
  if (LocalName(root) != root_name) {
    return Malformed(absl::StrCat("expected root element ", AsAbsl(root_name)));
  }
  return root;
}

// The first child element of `parent` with local name `name`, or a null node.
pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) return child;
  }
  return pugi::xml_node();
}

// The concatenated character data (text and CDATA) of a simple-content element.
absl::StatusOr<std::string> ElementText(const pugi::xml_node& element) {
  std::string text;
  for (pugi::xml_node child : element.children()) {
    switch (child.type()) {
      case pugi::node_pcdata:
      case pugi::node_cdata:
        text.append(child.value());
        break;
      case pugi::node_element:
        return Malformed(absl::StrCat("unexpected element inside ", element.name()));
      default:  // comments and processing instructions
        break;
    }
  }
  return text;
}

std::string_view TrimWhitespace(std::string_view s) {
  return AsStd(absl::StripAsciiWhitespace(AsAbsl(s)));
}

absl::StatusOr<CompletedPart> ParsePart(const pugi::xml_node& part_node) {
  const pugi::xml_node number_node = Child(part_node, "PartNumber");
  const pugi::xml_node etag_node = Child(part_node, "ETag");
  if (!number_node || !etag_node) return Malformed("Part needs PartNumber and ETag");
  SB_ASSIGN_OR_RETURN(const std::string number_text, ElementText(number_node));
  int64_t number = 0;
  if (!absl::SimpleAtoi(AsAbsl(TrimWhitespace(number_text)), &number)) {
    return Malformed("PartNumber is not an integer");
  }
  if (number < 1) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "PartNumber must be >= 1");
  }
  if (number > 10000) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPart,
                     "One or more of the specified parts could not be found. Part numbers "
                     "must be between 1 and 10000");
  }
  SB_ASSIGN_OR_RETURN(const std::string etag_text, ElementText(etag_node));
  std::string_view etag = TrimWhitespace(etag_text);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  if (etag.empty()) return Malformed("empty ETag");
  CompletedPart part{static_cast<uint32_t>(number), std::string(etag), "", ""};
  for (pugi::xml_node child : part_node.children()) {
    const std::string_view name = LocalName(child);
    if (child.type() != pugi::node_element || !name.starts_with("Checksum") ||
        name == "ChecksumType") {
      continue;
    }
    SB_ASSIGN_OR_RETURN(const std::string value, ElementText(child));
    part.checksum_algorithm = std::string(name.substr(strlen("Checksum")));
    part.checksum = std::string(TrimWhitespace(value));
  }
  return part;
}

}  // namespace

absl::StatusOr<std::vector<CompletedPart>> ParseCompleteMultipartUpload(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(const pugi::xml_node root, ParseRoot(body, "CompleteMultipartUpload", doc));
  std::vector<CompletedPart> parts;
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element || LocalName(child) != "Part") continue;
    if (parts.size() == kMaxCompleteParts) return Malformed("more than 10000 parts");
    SB_ASSIGN_OR_RETURN(CompletedPart part, ParsePart(child));
    parts.push_back(std::move(part));
  }
  if (parts.empty()) return Malformed("no Part elements");
  return parts;
}

absl::Status CheckPartOrder(const std::vector<CompletedPart>& parts) {
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].part_number <= parts[i - 1].part_number) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidPartOrder,
                       "The list of parts was not in ascending order. Parts must be ordered "
                       "by part number.");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DeleteObjectsRequest> ParseDeleteObjects(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(const pugi::xml_node root, ParseRoot(body, "Delete", doc));
  DeleteObjectsRequest request;
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = LocalName(child);
    if (name == "Quiet") {
      SB_ASSIGN_OR_RETURN(const std::string text, ElementText(child));
      const std::string value = absl::AsciiStrToLower(AsAbsl(TrimWhitespace(text)));
      if (value != "true" && value != "false") return Malformed("Quiet must be true or false");
      request.quiet = value == "true";
    } else if (name == "Object") {
      if (request.objects.size() == kMaxDeleteObjects) {
        return Malformed("more than 1000 objects in one request");
      }
      const pugi::xml_node key_node = Child(child, "Key");
      if (!key_node) return Malformed("Object without Key");
      ObjectToDelete object;
      SB_ASSIGN_OR_RETURN(object.key, ElementText(key_node));
      if (const pugi::xml_node version_node = Child(child, "VersionId")) {
        SB_ASSIGN_OR_RETURN(const std::string version, ElementText(version_node));
        object.version_id = std::string(TrimWhitespace(version));
      }
      request.objects.push_back(std::move(object));
    }
  }
  if (request.objects.empty()) return Malformed("no Object elements");
  return request;
}

absl::StatusOr<std::string> ParseCreateBucketConfiguration(std::string_view body) {
  if (TrimWhitespace(body).empty()) return std::string();
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(const pugi::xml_node root, ParseRoot(body, "CreateBucketConfiguration", doc));
  const pugi::xml_node location = Child(root, "LocationConstraint");
  if (!location) return std::string();
  SB_ASSIGN_OR_RETURN(const std::string text, ElementText(location));
  return std::string(TrimWhitespace(text));
}

absl::StatusOr<std::vector<Tag>> ParseTagging(std::string_view body) {
  constexpr size_t kMaxTags = 1000;  // far above any S3 limit; bounds the work
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(const pugi::xml_node root, ParseRoot(body, "Tagging", doc));
  const pugi::xml_node tag_set = Child(root, "TagSet");
  if (!tag_set) return Malformed("no TagSet");
  std::vector<Tag> tags;
  for (pugi::xml_node child : tag_set.children()) {
    if (child.type() != pugi::node_element || LocalName(child) != "Tag") continue;
    if (tags.size() == kMaxTags) return Malformed("too many tags");
    const pugi::xml_node key = Child(child, "Key");
    if (!key) return Malformed("Tag without Key");
    Tag tag;
    SB_ASSIGN_OR_RETURN(tag.key, ElementText(key));
    if (const pugi::xml_node value = Child(child, "Value")) {
      SB_ASSIGN_OR_RETURN(tag.value, ElementText(value));
    }
    tags.push_back(std::move(tag));
  }
  return tags;
}

absl::StatusOr<VersioningConfiguration> ParseVersioningConfiguration(std::string_view body) {
  pugi::xml_document doc;
  SB_ASSIGN_OR_RETURN(const pugi::xml_node root, ParseRoot(body, "VersioningConfiguration", doc));
  VersioningConfiguration config;
  if (const pugi::xml_node status = Child(root, "Status")) {
    SB_ASSIGN_OR_RETURN(const std::string text, ElementText(status));
    config.status = std::string(TrimWhitespace(text));
    if (config.status != "Enabled" && config.status != "Suspended") {
      return Malformed("Status must be Enabled or Suspended");
    }
  }
  if (const pugi::xml_node mfa = Child(root, "MfaDelete")) {
    SB_ASSIGN_OR_RETURN(const std::string text, ElementText(mfa));
    config.mfa_delete = std::string(TrimWhitespace(text));
    if (config.mfa_delete != "Enabled" && config.mfa_delete != "Disabled") {
      return Malformed("MfaDelete must be Enabled or Disabled");
    }
  }
  return config;
}

}  // namespace sb::gateway::xml
