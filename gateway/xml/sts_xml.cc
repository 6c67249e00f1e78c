#include "gateway/xml/sts_xml.h"

#include "gateway/xml/xml_builder.h"

namespace sb::gateway::xml {

std::string AssumeRoleResponseXml(const AssumeRoleResult& r) {
  XmlBuilder b(1024);
  b.Declaration();
  const std::string response = r.action + "Response";
  const std::string result = r.action + "Result";
  b.OpenRoot(response, kStsNamespace);
  b.Open(result);
  b.Open("AssumedRoleUser");
  b.Element("Arn", r.assumed_role_arn);
  b.Element("AssumedRoleId", r.assumed_role_id);
  b.Close("AssumedRoleUser");
  b.Open("Credentials");
  b.Element("AccessKeyId", r.access_key_id);
  b.Element("SecretAccessKey", r.secret_access_key);
  b.Element("SessionToken", r.session_token);
  b.TimeElement("Expiration", r.expiration_unix_nanos);
  b.Close("Credentials");
  b.Close(result);
  b.Open("ResponseMetadata");
  b.Element("RequestId", r.request_id);
  b.Close("ResponseMetadata");
  b.Close(response);
  return b.Finish();
}

std::string StsErrorXml(int http_status, std::string_view code, std::string_view message,
                        std::string_view request_id) {
  XmlBuilder b(256 + message.size());
  b.Declaration();
  b.OpenRoot("ErrorResponse", kStsNamespace);
  b.Open("Error");
  b.Element("Type", http_status >= 500 ? "Receiver" : "Sender");
  b.Element("Code", code);
  b.Element("Message", message);
  b.Close("Error");
  b.Element("RequestId", request_id);
  b.Close("ErrorResponse");
  return b.Finish();
}

}  // namespace sb::gateway::xml
