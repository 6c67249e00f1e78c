#include "gateway/xml/url_encode.h"

namespace sb::gateway::xml {
namespace {

bool IsLiteral(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return c == '-' || c == '_' || c == '.' || c == '*' || c == '/';
}

}  // namespace

std::string S3UrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() + value.size() / 2);
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsLiteral(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace sb::gateway::xml
