// Object version ids. A version id is 32 lower-case hex characters: 16 for the version's
// sequence (unix microseconds, strictly increasing per key) and 16 of CSPRNG output, so ids
// sort by creation time, are URL safe, and cannot be guessed from a neighbour's id.
// The null version (written while versioning is off or suspended) has the id "null".
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::metadata {

inline constexpr std::string_view kNullVersionId = "null";

// A fresh id for the version at `seq`.
std::string MakeVersionId(uint64_t seq);
// The sequence an id names; nullopt if `id` is not a well-formed non-null version id.
std::optional<uint64_t> VersionIdSeq(std::string_view id);
// True for "null" and for every id MakeVersionId can return.
bool IsValidVersionId(std::string_view id);

}  // namespace sb::metadata
