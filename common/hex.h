// Hex encoding of raw bytes (lowercase), and decoding of either case. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sb {

std::string HexEncode(std::string_view raw);
// Decodes lowercase or uppercase hex; returns false on odd length or bad digits.
bool HexDecode(std::string_view hex, std::string* out);

}  // namespace sb
