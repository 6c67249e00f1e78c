// EncryptedWriter: the write side of encryption at rest. Takes an object's (part's)
// plaintext in chunks, hashes it for the ETag, seals it into SSE packages and streams the
// ciphertext into an erasure ObjectWriter. Memory: at most one package plus one chunk.
// A spec marked `unencrypted` (--insecure-no-encryption) streams the plaintext as is.
// Not thread-safe (one per request).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "erasure/data_plane.h"
#include "gateway/internal/md5.h"
#include "gateway/object_encryption.h"
#include "metadata/proto/records.pb.h"
#include "policy/sse/encrypting_stream.h"

namespace sb::gateway::internal {

class EncryptedWriter {
 public:
  // A fresh data key for `spec` and `context` and a new data-plane writer. KMS errors as
  // NewObjectKey; data-plane errors as DataPlane::NewWriter.
  static absl::StatusOr<std::unique_ptr<EncryptedWriter>> Start(
      erasure::DataPlane& data, sse::Keyring& keyring, const EncryptionSpec& spec,
      const sse::EncryptionContext& context);
  ~EncryptedWriter();  // aborts unless Finish succeeded

  // Encrypts and writes the next plaintext bytes. On error the writer is aborted.
  absl::Status Write(std::string_view plaintext);
  uint64_t plaintext_size() const { return plaintext_size_; }
  // Raw MD5 of all plaintext written; call once, after the last Write.
  std::string PlaintextMd5();
  // Seals the last package, makes the data durable and returns the part (plaintext size,
  // ETag, DataRef, SseMetadata). An empty plaintext stores no data at all: reading zero bytes
  // needs no package. Call PlaintextMd5 first.
  absl::StatusOr<metadata::DataPart> Finish(uint32_t part_number, std::string_view plaintext_md5);
  // Drops whatever was written.
  void Abort();

 private:
  EncryptedWriter(std::unique_ptr<erasure::ObjectWriter> writer, std::optional<sse::ObjectKey> key,
                  std::optional<sse::EncryptingStream> stream,
                  std::optional<sse::SseCKey> customer_key);
  absl::Status WriteCiphertext();

  std::unique_ptr<erasure::ObjectWriter> writer_;
  std::optional<sse::ObjectKey> key_;            // nullopt: unencrypted
  std::optional<sse::EncryptingStream> stream_;  // nullopt: unencrypted
  uint64_t plaintext_size_ = 0;
  // SSE-C: the ETag is keyed by the customer key (SseCKey::Etag), not the plaintext MD5.
  const std::optional<sse::SseCKey> customer_key_;
  Md5 plain_md5_;
  std::string ciphertext_;  // reused buffer
  bool done_ = false;
};

}  // namespace sb::gateway::internal
