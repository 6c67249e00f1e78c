// Value types of the built-in KMS (policy/sse/keyring.h): key states, key descriptions and
// generated data keys. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>

#include "policy/sse/key256.h"

namespace sb::sse {

// A disabled master key still exists (and keeps its versions) but neither wraps nor unwraps.
enum class KeyState : uint8_t { kEnabled = 1, kDisabled = 2 };

struct KeyInfo {
  std::string key_id;
  KeyState state = KeyState::kEnabled;
  uint32_t latest_version = 0;  // versions are 1..latest_version; new wraps use the latest
};

// A fresh data key: use `plaintext` to encrypt, store only `sealed`.
struct DataKey {
  Key256 plaintext;
  std::string sealed;  // opaque; carries key_id and key_version in the clear
  std::string key_id;
  uint32_t key_version = 0;
};

// The clear header of a sealed data key.
struct SealedKeyHeader {
  std::string key_id;
  uint32_t key_version = 0;
};

}  // namespace sb::sse
