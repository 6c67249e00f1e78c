// Small pugixml helpers shared by the S3 request-body parsers of gateway/xml (encryption,
// Object Lock): S3's MalformedXML error, namespace-blind element names, and a checked load.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::gateway::xml {

// InvalidArgument(kMalformedXml) with S3's message.
absl::Status MalformedXml();

// Local name of an element, ignoring any namespace prefix.
std::string_view LocalName(const pugi::xml_node& node);

// Element children of `parent` named `name` (by local name).
std::vector<pugi::xml_node> Children(const pugi::xml_node& parent, std::string_view name);

// The element's text without surrounding ASCII whitespace.
std::string Text(const pugi::xml_node& node);

// Loads `body` into `doc` and returns its root element if it is named `root`. MalformedXml
// for bodies over kMaxRequestXmlBytes, with a NUL byte, that do not parse, or with another
// root.
absl::StatusOr<pugi::xml_node> LoadRoot(pugi::xml_document& doc, std::string_view body,
                                        std::string_view root);

}  // namespace sb::gateway::xml
