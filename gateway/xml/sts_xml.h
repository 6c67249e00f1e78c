// STS query-protocol documents (AWS STS API 2011-06-15): the AssumeRole response and the
// <ErrorResponse> STS clients parse (not S3's <Error>). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb::gateway::xml {

inline constexpr std::string_view kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

struct AssumeRoleResult {
  // Names the document: <ACTION>Response/<ACTION>Result (AssumeRoleWithCertificate too).
  std::string action = "AssumeRole";
  std::string assumed_role_arn;  // arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
  std::string assumed_role_id;   // ID:SESSION
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  int64_t expiration_unix_nanos = 0;
  std::string request_id;
};

// An <ACTION>Response document (result.action: AssumeRole or AssumeRoleWithCertificate).
std::string AssumeRoleResponseXml(const AssumeRoleResult& result);

// `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
// <RequestId/></ErrorResponse>`; Receiver for 5xx statuses.
std::string StsErrorXml(int http_status, std::string_view code, std::string_view message,
                        std::string_view request_id);

}  // namespace sb::gateway::xml
