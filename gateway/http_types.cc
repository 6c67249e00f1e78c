#include "gateway/http_types.h"

namespace sb::gateway {

const std::string* HttpRequestHead::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace sb::gateway
