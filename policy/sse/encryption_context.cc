#include "policy/sse/encryption_context.h"

#include "policy/sse/internal/wire.h"

namespace sb::sse {

std::string CanonicalEncryptionContext(const EncryptionContext& context) {
  std::string out;
  internal::WireWriter w(&out);
  for (const auto& [key, value] : context) {
    w.U32(static_cast<uint32_t>(key.size()));
    w.Bytes(key);
    w.U32(static_cast<uint32_t>(value.size()));
    w.Bytes(value);
  }
  return out;
}

}  // namespace sb::sse
