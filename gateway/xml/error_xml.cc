#include "gateway/xml/error_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

std::string ErrorXml(const ErrorDocument& error) {
  XmlBuilder b(256 + error.message.size() + error.resource.size());
  b.Declaration();
  b.Open("Error");
  b.Element("Code", error.code);
  b.Element("Message", error.message);
  for (const auto& [name, value] : error.extra) b.Element(name, value);
  if (!error.resource.empty()) b.Element("Resource", error.resource);
  b.Element("RequestId", error.request_id);
  if (!error.host_id.empty()) b.Element("HostId", error.host_id);
  b.Close("Error");
  return b.Finish();
}

}  // namespace sb::gateway::xml
