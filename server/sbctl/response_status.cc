#include "server/sbctl/response_status.h"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sb::sbctl {
namespace {

struct ServerError {
  std::string code;
  std::string message;
  std::string request_id;
};

bool ParseXmlError(std::string_view body, ServerError* out) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return false;
  pugi::xml_node error = doc.child("Error");
  if (!error) return false;
  out->code = error.child_value("Code");
  out->message = error.child_value("Message");
  out->request_id = error.child_value("RequestId");
  return !out->code.empty() || !out->message.empty();
}

std::string JsonString(const boost::json::object& obj, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const boost::json::value* v = obj.if_contains(key);
    if (v != nullptr && v->is_string()) return std::string(v->as_string());
  }
  return "";
}

bool ParseJsonError(std::string_view body, ServerError* out) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  if (ec || !v.is_object()) return false;
  const boost::json::object& obj = v.as_object();
  out->code = JsonString(obj, {"Code", "code", "error"});
  out->message = JsonString(obj, {"Message", "message"});
  out->request_id = JsonString(obj, {"RequestId", "request_id"});
  return !out->code.empty() || !out->message.empty();
}

absl::StatusCode CodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return absl::StatusCode::kInvalidArgument;
    case 401:
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 405:
    case 501:
      return absl::StatusCode::kUnimplemented;
    case 409:
    case 412:
      return absl::StatusCode::kFailedPrecondition;
    case 429:
    case 503:
      return absl::StatusCode::kUnavailable;
    default:
      return status >= 500 ? absl::StatusCode::kInternal : absl::StatusCode::kUnknown;
  }
}

}  // namespace

std::string OneLine(std::string_view text, size_t max_len) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    if (out.size() >= max_len) {
      out.append("...");
      break;
    }
  }
  return out;
}

absl::Status StatusFromResponse(const Response& response) {
  if (response.status >= 200 && response.status < 300) return absl::OkStatus();
  std::string message = absl::StrCat("HTTP ", response.status);
  ServerError error;
  if (ParseXmlError(response.body, &error) || ParseJsonError(response.body, &error)) {
    if (!error.code.empty()) absl::StrAppend(&message, " ", OneLine(error.code, 64));
    if (!error.message.empty()) absl::StrAppend(&message, ": ", OneLine(error.message));
    if (!error.request_id.empty()) {
      absl::StrAppend(&message, " (request id ", OneLine(error.request_id, 64), ")");
    }
  } else if (!absl::StripAsciiWhitespace(response.body).empty()) {
    absl::StrAppend(&message, ": ", OneLine(response.body, 120));
  }
  return absl::Status(CodeForHttpStatus(response.status), message);
}

}  // namespace sb::sbctl
