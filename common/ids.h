// Identifiers: request ids, data ids and upload ids. All are unique, URL-safe strings;
// time-ordered ids sort by creation time. Thread-safe.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace sb {

// 16 hex chars of randomness-seeded counter: unique within and across processes.
std::string NewRequestId();

// A time-ordered, globally unique id (26 chars, lexicographic order == time order):
// 12 hex digits of unix micros, then 14 hex digits of randomness.
std::string NewTimeOrderedId(absl::Time now);

// 32 hex chars of cryptographically strong randomness.
std::string NewRandomId();

}  // namespace sb
