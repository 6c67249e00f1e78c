// EncryptionContext: non-secret name/value pairs bound as AAD into every data-key wrap, so a
// sealed key only opens for the object it was made for (the gateway passes e.g. bucket and
// key). Thread-safety: values and a pure function.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace sb::sse {

using EncryptionContext = std::map<std::string, std::string, std::less<>>;

// Unambiguous byte encoding, in key order: for each pair, u32 LE key length, key, u32 LE
// value length, value. Equal contexts, and only those, encode equally.
std::string CanonicalEncryptionContext(const EncryptionContext& context);

}  // namespace sb::sse
