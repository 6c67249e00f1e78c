#include "gateway/xml/pugi_util.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "common/error_reason.h"
#include "gateway/xml/request_xml.h"

namespace sb::gateway::xml {

absl::Status MalformedXml() {
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

absl::StatusOr<pugi::xml_node> LoadRoot(pugi::xml_document& doc, std::string_view body,
                                        std::string_view root) {
  if (body.size() > kMaxRequestXmlBytes || std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return MalformedXml();
  }
  if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8)) {
    return MalformedXml();
  }
  pugi::xml_node node = doc.document_element();
  if (LocalName(node) != root) return MalformedXml();
  return node;
}

}  // namespace sb::gateway::xml
