#include "gateway/xml/acl_xml.h"

#include <pugixml.hpp>

#include "common/error_reason.h"
#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {
namespace {

// Local name of an element, ignoring any namespace prefix.
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (auto child : node.children()) {
    if (LocalName(child) == name) return child;
  }
  return {};
}

}  // namespace

std::string OwnerOnlyAclXml(std::string_view owner) {
  XmlBuilder b;
  b.Declaration();
  b.OpenRoot("AccessControlPolicy");
  b.OwnerElement("Owner", owner);
  b.Open("AccessControlList");
  b.Open("Grant");
  std::string grantee =
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:type=\"CanonicalUser\"><ID>";
  AppendEscaped(&grantee, owner);
  grantee += "</ID><DisplayName>";
  AppendEscaped(&grantee, owner);
  grantee += "</DisplayName></Grantee>";
  std::string doc = b.Finish();
  doc += grantee;
  doc += "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList>";
  doc += "</AccessControlPolicy>";
  return doc;
}

absl::StatusOr<bool> IsOwnerOnlyAcl(std::string_view body, std::string_view owner) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(body.data(), body.size(), pugi::parse_default);
  pugi::xml_node root = doc.document_element();
  if (!parsed || LocalName(root) != "AccessControlPolicy") {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kMalformedXml,
                     "The XML you provided was not well-formed or did not validate against "
                     "our published schema.");
  }
  int grants = 0;
  for (auto grant : Child(root, "AccessControlList").children()) {
    if (LocalName(grant) != "Grant") continue;
    ++grants;
    std::string_view id = Child(Child(grant, "Grantee"), "ID").text().get();
    std::string_view permission = Child(grant, "Permission").text().get();
    if (id != owner || permission != "FULL_CONTROL") return false;
  }
  return grants == 1;
}

}  // namespace sb::gateway::xml
