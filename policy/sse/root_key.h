// The KMS root key: 32 random bytes, kept base64-encoded in a file named by --kms-key-file
// or in the STRONGBOX_KMS_KEY environment variable. It encrypts the keyring file and nothing
// else; losing it loses every SSE-S3/SSE-KMS object. Thread-safe (no shared state).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "policy/sse/key256.h"

namespace sb::sse {

inline constexpr char kRootKeyEnvVar[] = "STRONGBOX_KMS_KEY";

// Decodes standard base64 (surrounding whitespace ignored) of exactly 32 bytes.
// InvalidArgument otherwise (the message never echoes the input).
absl::StatusOr<Key256> ParseRootKey(std::string_view base64_text);

// Loads the root key from `key_file` if it is non-empty, else from $STRONGBOX_KMS_KEY.
// NotFound if neither is given (or the file is missing); InvalidArgument if the content is
// not base64 of 32 bytes; FailedPrecondition if the file is writable by group or others
// (readable by them only logs a warning).
absl::StatusOr<Key256> LoadRootKey(std::string_view key_file);

// Quick start: writes a fresh random root key, base64 plus newline, to a new file with mode
// 0600 and returns it. AlreadyExists if `path` exists (a root key is never overwritten).
absl::StatusOr<Key256> GenerateRootKeyFile(std::string_view path);

}  // namespace sb::sse
