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
  // Write into a worst-case buffer and shrink once: cheaper than a push_back per byte.
  std::string out(value.size() * 3, '\0');
  char* p = out.data();
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsLiteral(c)) {
      *p++ = ch;
    } else if (c == ' ') {
      *p++ = '%';
      *p++ = '2';
      *p++ = '0';
    } else {
      *p++ = '%';
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 0xF];
    }
  }
  out.resize(static_cast<size_t>(p - out.data()));
  return out;
}

}  // namespace sb::gateway::xml
